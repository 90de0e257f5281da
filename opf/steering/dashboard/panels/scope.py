"""Scope: initiatives by how many org units they reach.

Initiatives are what the features declare in ``<pkg>.steering.INITIATIVES``
(``opf.core.evidence.Initiative``, in registry order): the open appraisals (org units in
scope and those of the projects in scope) and deployment plans (target units and those
of the target projects).
One unit: departmental; ``OPF_ENTERPRISE_WIDE_UNITS`` or more: enterprise-wide;
in between: cross-departmental.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import charts
from opf.core.dashboard import PANEL_CHART_HEIGHT, PANEL_CHART_WIDTH, Panel
from opf.core.evidence import Initiative
from opf.core.permissions import restrict
from opf.core.registry import app_modules
from opf.core.thresholds import enterprise_units
from opf.organization.scope import DashboardFilter

DEPARTMENTAL, CROSS, ENTERPRISE = "departmental", "cross_departmental", "enterprise_wide"
CATEGORY_LABELS = {
    DEPARTMENTAL: _lazy("Departmental"),
    CROSS: _lazy("Cross-departmental"),
    ENTERPRISE: _lazy("Enterprise-wide"),
}


def initiatives() -> list[Initiative]:
    """Every contributor's ``<pkg>.steering.INITIATIVES``, in registry order."""
    return [i for module in app_modules("steering") for i in getattr(module, "INITIATIVES", ())]


def category(reach: int, enterprise: int) -> str:
    if reach >= enterprise:
        return ENTERPRISE
    return DEPARTMENTAL if reach <= 1 else CROSS


def build(f: DashboardFilter) -> dict[str, Any]:
    enterprise = enterprise_units()
    visible_units = f.units
    items = []
    for initiative in initiatives():
        model = initiative.model
        rows: QuerySet[Any] = restrict(model._default_manager.all(), f.user).exclude(
            state__in=initiative.ended
        )
        reach: dict[int, set[int]] = defaultdict(set)
        for relation in initiative.relations:
            pairs = rows.filter(**{f"{relation}__in": visible_units}).values_list("pk", relation)
            for pk, unit_id in pairs:
                reach[pk].add(unit_id)
        for row in rows.filter(pk__in=list(reach)).order_by("pk"):
            count = len(reach[row.pk])
            items.append(
                {
                    "kind": str(model._meta.verbose_name),
                    "title": str(row),
                    "href": row.get_absolute_url(),
                    "units": count,
                    "category": category(count, enterprise),
                }
            )
    counts = {key: sum(1 for i in items if i["category"] == key) for key in CATEGORY_LABELS}
    return {
        "enterprise_units": enterprise,
        "categories": [
            {"category": key, "label": str(label), "count": counts[key]}
            for key, label in CATEGORY_LABELS.items()
        ],
        "items": sorted(items, key=lambda i: (-i["units"], i["title"])),
    }


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    cats = figures["categories"]
    return {
        "scope": charts.bar_chart(
            _("Initiatives by reach"),
            [c["label"] for c in cats],
            [charts.Series(_("Initiatives"), [c["count"] for c in cats])],
            x_label=_("Reach"),
            y_label=_("Initiatives"),
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        )
    }


PANEL = Panel(
    "scope", _lazy("Scope"), "opf/dashboard/panels/scope.html", build, order=80, charts=draw
)
