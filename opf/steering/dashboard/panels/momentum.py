"""Momentum: per month, the sum of every app's ``MonthlySeries`` (assets released,
action items closed, proposals accepted, …), with a warning when the total fell for
``OPF_MOMENTUM_FALLING_MONTHS`` months in a row up to the last month of the period."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import charts
from opf.core.dashboard import PANEL_CHART_HEIGHT, PANEL_CHART_WIDTH, Panel, momentum_series
from opf.core.thresholds import falling_months
from opf.organization.scope import DashboardFilter


def falling_streak(totals: list[int]) -> int:
    """How many months in a row, ending with the last, the total fell."""
    streak = 0
    for before, after in zip(reversed(totals[:-1]), reversed(totals[1:]), strict=False):
        if after < before:
            streak += 1
        else:
            break
    return streak


def build(f: DashboardFilter) -> dict[str, Any]:
    months = f.months()
    series: list[dict[str, Any]] = []
    for entry in momentum_series():
        counts = entry.counts(f)
        series.append(
            {
                "label": str(entry.label),
                "href": str(entry.href),
                "counts": [counts.get(m, 0) for m in months],
            }
        )
    totals = [sum(s["counts"][i] for s in series) for i in range(len(months))]
    streak = falling_streak(totals)
    limit = falling_months()
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "series": series,
        "totals": totals,
        "falling_months": streak,
        "falling_limit": limit,
        "warning": streak >= limit,
    }


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    series = [charts.Series(s["label"], s["counts"]) for s in figures["series"]]
    # The total is the headline figure (and the warning's subject), not a fourth line:
    # at the panel's width the legend has room for three series.
    return {
        "momentum": charts.line_chart(
            _("Momentum per month"),
            figures["months"],
            series,
            x_label=_("Month"),
            y_label=_("Count"),
            y_min=0,
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        )
    }


PANEL = Panel(
    "momentum",
    _lazy("Momentum"),
    "opf/dashboard/panels/momentum.html",
    build,
    order=70,
    charts=draw,
)
