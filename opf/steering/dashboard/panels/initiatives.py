"""Initiatives: churn warnings, departed advocates, and the initiatives over time by
method and owning unit (``opf.steering.initiatives``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import charts
from opf.core.dashboard import PANEL_CHART_HEIGHT, PANEL_CHART_WIDTH, Panel
from opf.organization.scope import DashboardFilter
from opf.steering import initiatives


def build(f: DashboardFilter) -> dict[str, Any]:
    rows = initiatives.visible_initiatives(f)
    ended = {i.pk for i in rows if i.state == i.State.ENDED}
    deployed = initiatives.deployed_initiatives(ended)
    churn = initiatives.churn(f, rows, deployed)
    departed = initiatives.departed_advocates(f, rows)
    return {
        "churn": churn,
        "departed": departed,
        "timeline": initiatives.timeline(f, rows),
        "warning": bool(churn or departed),
    }


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    timeline = figures["timeline"]
    if not timeline["rows"]:
        return {}
    series = [charts.Series(s["label"], s["counts"]) for s in timeline["by_method"]]
    return {
        "by_method": charts.line_chart(
            _("Initiatives running per month, by method"),
            timeline["months"],
            series,
            x_label=_("Month"),
            y_label=_("Initiatives"),
            y_min=0,
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        )
    }


PANEL = Panel(
    "initiatives",
    _lazy("Initiatives and churn"),
    "opf/dashboard/panels/initiatives.html",
    build,
    order=65,
    perm="opf.view_initiative",
    charts=draw,
)
