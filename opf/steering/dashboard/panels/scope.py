"""Scope: how far each open initiative reaches into the organization.

Initiatives are what the features declare in ``<pkg>.steering.INITIATIVES``
(``opf.core.evidence.Initiative``, in registry order): open appraisals, action plans and
deployment plans. Closed or cancelled appraisals, completed or cancelled plans and
archived records are not open work and are never counted.

An initiative's **reach** is the set of org units and projects it touches: each target
unit with its whole subtree, plus the projects it names. It is measured as the share of
the organization's active projects it reaches. A **department** is a top-level unit
below the root (when the organization has several top-level units, each of them is one).

- **Enterprise-wide**: aimed at the root unit, or reaching at least
  ``OPF_ENTERPRISE_WIDE_SHARE`` percent of the active projects in more than one
  department;
- **Departmental**: everything it reaches lies inside one department (three teams of
  one department are departmental, however many projects they hold);
- **Cross-departmental**: the rest (more than one department, below the share).

The dashboard's org-unit filter chooses which initiatives are listed (those reaching
into the chosen subtree); the figures are always the initiative's whole reach. The panel
also shows the process architecture's enterprise-wide coverage (``PROCESS_COVERAGE``):
enterprise-wide improvement is one process set across the units. A fixed
number of queries: the units, the active projects, then one per kind and relation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import charts
from opf.core.dashboard import PANEL_CHART_HEIGHT, PANEL_CHART_WIDTH, Panel
from opf.core.evidence import Initiative
from opf.core.permissions import restrict
from opf.core.registry import app_modules
from opf.core.thresholds import enterprise_share
from opf.organization.models import PATH_STEP, OrgUnit, Project
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


def process_coverage(f: DashboardFilter) -> dict[str, Any] | None:
    """The process architecture's enterprise-wide coverage: the first contributor's
    ``<pkg>.steering.PROCESS_COVERAGE`` (``lessons``), None when none has one."""
    for module in app_modules("steering"):
        rule = getattr(module, "PROCESS_COVERAGE", None)
        if rule is not None:
            found: dict[str, Any] = rule(f)
            return found
    return None


@dataclass
class Organization:
    """The org tree and its active projects, read once, to measure reaches in memory."""

    paths: dict[int, str]  # unit pk -> materialized path
    projects: dict[int, int]  # active project pk -> its unit pk
    root: str | None = None  # the root's path when the organization has a single root
    _subtrees: dict[int, set[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, user: Any) -> Organization:
        paths = dict(OrgUnit.objects.restrict(user, "view").values_list("pk", "path"))
        projects = dict(
            Project.objects.restrict(user, "view").filter(active=True).values_list("pk", "org_unit")
        )
        roots = [p for p in paths.values() if len(p) == PATH_STEP]
        return cls(paths, projects, roots[0] if len(roots) == 1 else None)

    def subtree(self, unit: int) -> set[int]:
        if unit not in self._subtrees:
            prefix = self.paths.get(unit)
            self._subtrees[unit] = (
                {pk for pk, path in self.paths.items() if path.startswith(prefix)}
                if prefix
                else set()
            )
        return self._subtrees[unit]

    def department(self, unit: int) -> str | None:
        """The department (as a path) holding ``unit``: the level below a single root,
        else the top level; the root itself belongs to no department."""
        path = self.paths.get(unit)
        if path is None:
            return None
        depth = 2 if self.root is not None else 1
        if len(path) < depth * PATH_STEP:
            return None
        return path[: depth * PATH_STEP]

    def is_root(self, unit: int) -> bool:
        return self.root is not None and self.paths.get(unit) == self.root


def category(*, root: bool, departments: int, share: float, enterprise: int) -> str:
    """The rule of the module docstring."""
    if root or (departments > 1 and share >= enterprise):
        return ENTERPRISE
    return DEPARTMENTAL if departments <= 1 else CROSS


def reach_of(
    org: Organization, targets: set[int], named_projects: set[int]
) -> tuple[set[int], set[int]]:
    """(units, active projects) reached by target units (subtrees expanded) and projects."""
    units: set[int] = set()
    for unit in targets:
        units |= org.subtree(unit)
    projects = {pk for pk, unit in org.projects.items() if unit in units}
    projects |= {pk for pk in named_projects if pk in org.projects}
    units |= {org.projects[pk] for pk in projects}
    return units, projects


def build(f: DashboardFilter) -> dict[str, Any]:
    enterprise = enterprise_share()
    org = Organization.read(f.user)
    total = len(org.projects)
    visible = set(f.units.values_list("pk", flat=True))
    items = []
    for initiative in initiatives():
        model = initiative.model
        rows: QuerySet[Any] = restrict(model._default_manager.all(), f.user).exclude(
            state__in=initiative.ended
        )
        if any(field.name == "archived_at" for field in model._meta.fields):
            rows = rows.filter(archived_at__isnull=True)
        targets: dict[int, set[int]] = defaultdict(set)
        named: dict[int, set[int]] = defaultdict(set)
        for relations, found in ((initiative.units, targets), (initiative.projects, named)):
            for relation in relations:
                pairs = rows.filter(**{f"{relation}__isnull": False}).values_list("pk", relation)
                for pk, target in pairs:
                    found[pk].add(target)
        reaches = {}
        for pk in set(targets) | set(named):
            units, projects = reach_of(org, targets[pk], named[pk])
            if units & visible:
                reaches[pk] = (units, projects, any(org.is_root(u) for u in targets[pk]))
        for row in rows.filter(pk__in=list(reaches)).order_by("pk"):
            units, projects, root = reaches[row.pk]
            departments = {d for d in map(org.department, units) if d is not None}
            share = round(100 * len(projects) / total, 1) if total else 0.0
            kind = category(
                root=root, departments=len(departments), share=share, enterprise=enterprise
            )
            items.append(
                {
                    "kind": str(model._meta.verbose_name),
                    "title": str(row),
                    "href": row.get_absolute_url(),
                    "units": len(units),
                    "projects": len(projects),
                    "share": share,
                    "departments": len(departments),
                    "root": root,
                    "category": kind,
                    "category_label": str(CATEGORY_LABELS[kind]),
                }
            )
    counts = {key: sum(1 for i in items if i["category"] == key) for key in CATEGORY_LABELS}
    return {
        "processes": process_coverage(f),
        "enterprise_share": enterprise,
        "active_projects": total,
        "categories": [
            {"category": key, "label": str(label), "count": counts[key]}
            for key, label in CATEGORY_LABELS.items()
        ],
        "items": sorted(items, key=lambda i: (-i["share"], -i["units"], i["title"])),
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
