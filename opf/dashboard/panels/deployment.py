"""Deployment: coverage of the current standard set by org unit, and stale deployments
(the rules of ``deployment.queries.coverage``, counted in the database by
``deployment.queries.unit_coverage``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf import charts
from opf.dashboard import DashboardFilter, Panel

STALE_SHOWN = 10


def build(f: DashboardFilter) -> dict[str, Any]:
    from deployment.queries import unit_coverage

    result = unit_coverage(f.user, unit=f.org_unit, only_set=True, stale_shown=STALE_SHOWN)
    return {
        "href": reverse("deployment:coverage"),
        "standard_set": str(result.standard_set) if result.standard_set else None,
        "stale_days": result.stale_days,
        "units": [
            {
                "name": u.unit.name,
                "href": u.unit.get_absolute_url(),
                "projects": u.projects,
                "current": u.current,
                "applicable": u.applicable,
                "percent": u.percent,
            }
            for u in result.units
        ],
        "stale_total": result.stale_total,
        "stale": [
            {"project": row.name, "href": row.get_absolute_url(), "count": row.count}
            for row in result.stale
        ],
    }


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    units = figures["units"]
    return {
        "coverage": charts.bar_chart(
            _("Coverage of the current standard set"),
            [u["name"] for u in units],
            [charts.Series(_("Coverage (%)"), [u["percent"] for u in units])],
            x_label=_("Org unit"),
            y_label=_("Assets on the current release (%)"),
            hrefs=[u["href"] for u in units],
        )
    }


PANEL = Panel(
    "deployment",
    _lazy("Deployment"),
    "opf/dashboard/panels/deployment.html",
    build,
    order=40,
    perm="deployment.view_projectdeployment",
    charts=draw,
)
