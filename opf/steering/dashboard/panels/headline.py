"""Headline figures: the few numbers an executive reads first (maturity, coverage,
compliance rate, plans on track, open non-compliances, momentum), each with its trend
against the period just before and a link to the records behind it.

The features declare them (``<pkg>.dashboard.HEADLINES``, ``opf.core.dashboard.Headline``);
this panel gathers them, so the dashboard, the API, the briefing (which freezes them
with the other panels) and the executive's home page show the same figures."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from opf.core.dashboard import (
    Headline,
    MonthlySeries,
    Panel,
    figures_key,
    headlines_for,
    iso,
    momentum_series,
    previous_period,
)
from opf.core.freshness import cached
from opf.organization.scope import DashboardFilter

SLUG = "headline"


def trend(value: float | None, previous: float | None, better: str) -> dict[str, Any]:
    """The change against the previous period: its size, its direction and whether
    that direction is good news (``better`` is ``"higher"`` or ``"lower"``)."""
    if value is None or previous is None:
        return {"delta": None, "direction": None, "good": None}
    delta = round(value - previous, 1)
    if delta == 0:
        return {"delta": 0, "direction": "flat", "good": None}
    direction = "up" if delta > 0 else "down"
    return {"delta": delta, "direction": direction, "good": (delta > 0) == (better == "higher")}


def last_briefing(f: DashboardFilter) -> tuple[dict[str, Any], datetime] | None:
    """The headline figures of the latest briefing frozen before the period's last day
    for the same org unit, and when it was frozen; None if there is none."""
    from opf.steering.models import SteeringMeeting

    before = timezone.make_aware(datetime.combine(f.end, time.min))
    found = (
        SteeringMeeting.objects.filter(
            briefing_as_of__lt=before, briefing_unit=f.org_unit, briefing_figures__isnull=False
        )
        .order_by("-briefing_as_of")
        .values_list("briefing_figures", "briefing_as_of")
        .first()
    )
    if found is None:
        return None
    figures, frozen = found
    items = (figures or {}).get(SLUG, {}).get("items", [])
    return {item["slug"]: item.get("value") for item in items}, frozen


def _compare_with_briefing(items: list[dict[str, Any]], f: DashboardFilter) -> None:
    """A figure with no dated past (coverage: deployments keep their state, not a dated
    one) is compared with the same figure in the latest frozen briefing instead, and
    says so ("vs. the briefing of 3 Sep 2026")."""
    if not any(item["previous"] is None and item["value"] is not None for item in items):
        return
    briefing = last_briefing(f)
    if briefing is None:
        return
    values, frozen = briefing
    for item in items:
        previous = values.get(item["slug"])
        if item["previous"] is None and item["value"] is not None and previous is not None:
            item["previous"] = previous
            item["compared_with"] = iso(timezone.localdate(frozen))
            item.update(trend(item["value"], previous, item["better"]))


def item(headline: Headline, f: DashboardFilter) -> dict[str, Any]:
    """One headline figure, JSON-ready, with its trend against the period before."""
    figure = headline.figure(f)
    value, previous = figure.get("value"), figure.get("previous")
    return {
        "slug": headline.slug,
        "label": str(headline.label),
        "value": value,
        "previous": previous,
        "unit": figure.get("unit", ""),
        "of": figure.get("of"),
        "note": str(figure.get("note", "")),
        "href": figure.get("href", ""),
        "better": figure.get("better", "higher"),
        "compared_with": None,  # None: the period before
        **trend(value, previous, figure.get("better", "higher")),
    }


def build(f: DashboardFilter) -> dict[str, Any]:
    """Each figure is kept on its own (``opf.core.freshness``): a write computes again
    only the figures that read what it wrote (a deployment update: coverage), not the
    whole row."""
    key = figures_key(f)
    items = [
        dict(cached((*key, SLUG, h.slug), lambda h=h: item(h, f)))  # type: ignore[misc]
        for h in headlines_for(f.user)
    ]
    _compare_with_briefing(items, f)
    return {"items": items}


def _total(series: list[MonthlySeries], f: DashboardFilter) -> int:
    return sum(sum(entry.counts(f).values()) for entry in series)


def momentum_figure(f: DashboardFilter) -> dict[str, Any]:
    """Everything the momentum panel counts (assets released, action items closed,
    proposals accepted, …) in the period, against the period before."""
    from django.urls import reverse

    series = momentum_series()
    first = next((str(s.href) for s in series if s.href), "")
    return {
        "value": _total(series, f),
        "previous": _total(series, previous_period(f)),
        "better": "higher",
        "note": _lazy("releases, items closed, proposals accepted"),
        "href": first or reverse("opf:dashboard") + "#panel-momentum",
    }


PANEL = Panel(
    SLUG,
    _lazy("Headline figures"),
    "opf/dashboard/panels/headline.html",
    build,
    order=0,
)
