"""Headline figures: the few numbers an executive reads first (maturity, coverage,
compliance rate, plans on track, open non-compliances, momentum), each with its trend
against the period just before and a link to the records behind it.

The features declare them (``<pkg>.dashboard.HEADLINES``, ``opf.core.dashboard.Headline``);
this panel gathers them, so the dashboard, the API, the briefing (which freezes them
with the other panels) and the executive's home page show the same figures."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _lazy

from opf.core.dashboard import (
    MonthlySeries,
    Panel,
    headlines_for,
    momentum_series,
    previous_period,
)
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


def build(f: DashboardFilter) -> dict[str, Any]:
    items = []
    for headline in headlines_for(f.user):
        figure = headline.figure(f)
        value, previous = figure.get("value"), figure.get("previous")
        items.append(
            {
                "slug": headline.slug,
                "label": str(headline.label),
                "value": value,
                "previous": previous,
                "unit": figure.get("unit", ""),
                "of": figure.get("of"),
                "note": str(figure.get("note", "")),
                "href": figure.get("href", ""),
                "better": figure.get("better", "higher"),
                **trend(value, previous, figure.get("better", "higher")),
            }
        )
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
