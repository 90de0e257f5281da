"""Reads: the coverage matrix, the projects that need attention, "My projects".

Each read runs a fixed number of queries whatever the number of projects,
assets and deployments (asserted in tests/deployment/test_coverage.py).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deployment import coverage_counts
from deployment.models import AssetVersion, ProjectDeployment, StandardProcessSet, TailoringRecord
from opf.core.permissions import restrict
from opf.organization.models import PATH_STEP, OrgUnit, Project

if TYPE_CHECKING:
    from opf.core.accounts import User

DEFAULT_STALE_DAYS = 30


def stale_days() -> int:
    """Deployments not updated for this many days are flagged.

    ``settings.OPF_DEPLOYMENT_STALE_DAYS`` or the ``OPF_DEPLOYMENT_STALE_DAYS``
    environment variable; a bad value fails loudly.
    """
    raw: Any = getattr(settings, "OPF_DEPLOYMENT_STALE_DAYS", None)
    if raw is None:
        raw = os.environ.get("OPF_DEPLOYMENT_STALE_DAYS", DEFAULT_STALE_DAYS)
    try:
        days = int(raw)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(
            f"OPF_DEPLOYMENT_STALE_DAYS must be a number, not {raw!r}"
        ) from error
    if days < 1:
        raise ImproperlyConfigured("OPF_DEPLOYMENT_STALE_DAYS must be at least 1")
    return days


def stale_cutoff(days: int | None = None) -> datetime:
    return timezone.now() - timedelta(days=days or stale_days())


def current_standard_set() -> StandardProcessSet | None:
    return (
        StandardProcessSet.objects.filter(state=StandardProcessSet.State.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


# --- coverage ------------------------------------------------------------------

CURRENT, OUTDATED, NONE, WAIVED = "current", "outdated", "none", "waived"
STATUS_LABELS = {
    CURRENT: _("current"),
    OUTDATED: _("outdated"),
    NONE: _("none"),
    WAIVED: _("waived"),
}


@dataclass
class Cell:
    status: str
    state: str = ""  # the deployment's state, when there is one
    stale: bool = False

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Row:
    project: Project
    cells: list[Cell]

    @property
    def current(self) -> int:
        return sum(1 for c in self.cells if c.status == CURRENT)

    @property
    def applicable(self) -> int:
        return sum(1 for c in self.cells if c.status != WAIVED)


@dataclass
class UnitCoverage:
    unit: OrgUnit
    projects: int = 0
    current: int = 0
    applicable: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.current / self.applicable) if self.applicable else None


@dataclass
class Coverage:
    versions: list[AssetVersion]  # the columns: each asset's current release
    rows: list[Row]
    units: list[UnitCoverage]
    stale_days: int
    standard_set: StandardProcessSet | None = None
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> list[tuple[str, int]]:
        rows = [(str(label), self.totals.get(key, 0)) for key, label in STATUS_LABELS.items()]
        return [*rows, (str(_("stale")), self.totals.get("stale", 0))]


def coverage(
    user: User,
    *,
    unit: OrgUnit | None = None,
    only_set: bool = False,
    days: int | None = None,
) -> Coverage:
    """Projects x assets: is each active project on the asset's current release?

    Four queries: the columns, the rows, their deployments, the org units.
    Waived cells count neither for nor against a unit's coverage %.
    """
    days = days or stale_days()
    cutoff = stale_cutoff(days)
    standard_set = current_standard_set() if only_set else None
    versions_qs = AssetVersion.objects.filter(state=AssetVersion.State.RELEASED).select_related(
        "asset"
    )
    if standard_set is not None:
        versions_qs = versions_qs.filter(asset__versions__standard_sets=standard_set).distinct()
    versions = sorted(versions_qs, key=lambda v: (v.asset.name, v.pk))
    projects_qs = restrict(
        Project.objects.filter(active=True).select_related("org_unit"), user, "view"
    ).order_by("org_unit__path", "name")
    if unit is not None:
        projects_qs = projects_qs.filter(org_unit__path__startswith=unit.path)
    projects = list(projects_qs)
    asset_ids = [v.asset_id for v in versions]
    current_of = {v.asset_id: v.pk for v in versions}

    found: dict[tuple[int, int], list[tuple[int, str, datetime]]] = defaultdict(list)
    deployments = ProjectDeployment.objects.filter(
        project__in=projects_qs, asset_version__asset_id__in=asset_ids
    ).values_list(
        "project_id", "asset_version__asset_id", "asset_version_id", "state", "updated_at"
    )
    for project_id, asset_id, version_id, state, updated in deployments:
        found[(project_id, asset_id)].append((version_id, state, updated))

    rows = []
    totals = {CURRENT: 0, OUTDATED: 0, NONE: 0, WAIVED: 0, "stale": 0}
    for project in projects:
        cells = [_cell(found.get((project.pk, a)), current_of[a], cutoff) for a in asset_ids]
        for cell in cells:
            totals[cell.status] += 1
            totals["stale"] += cell.stale
        rows.append(Row(project, cells))
    return Coverage(versions, rows, _by_unit(rows), days, standard_set, totals)


def _cell(found: list[tuple[int, str, datetime]] | None, current: int, cutoff: datetime) -> Cell:
    if not found:
        return Cell(NONE)
    waived = ProjectDeployment.State.WAIVED
    on_current = [f for f in found if f[0] == current]
    if on_current:
        _version, state, updated = on_current[0]
        if state == waived:
            return Cell(WAIVED, state)
        stale = state not in ProjectDeployment.CLOSED_STATES and updated < cutoff
        return Cell(CURRENT, state, stale)
    older = [f for f in found if f[1] != waived]
    if older:
        _version, state, updated = older[0]
        stale = state not in ProjectDeployment.CLOSED_STATES and updated < cutoff
        return Cell(OUTDATED, state, stale)
    return Cell(WAIVED, waived)


def _by_unit(rows: list[Row]) -> list[UnitCoverage]:
    """Coverage per org unit, each unit counting its whole subtree."""
    units = list(OrgUnit.objects.filter(active=True).order_by("path"))
    own: dict[str, UnitCoverage] = {}
    for row in rows:
        path = row.project.org_unit.path
        entry = own.setdefault(path, UnitCoverage(row.project.org_unit))
        entry.projects += 1
        entry.current += row.current
        entry.applicable += row.applicable
    result = []
    for unit in units:
        total = UnitCoverage(unit)
        for path, entry in own.items():
            if path.startswith(unit.path):
                total.projects += entry.projects
                total.current += entry.current
                total.applicable += entry.applicable
        if total.projects:
            result.append(total)
    return result


# --- projects that need the process group's attention (SP 3.2) ----------------


@dataclass
class MissingSet:
    project: Project
    missing: list[AssetVersion]


def startups_without_set(user: User) -> tuple[StandardProcessSet | None, list[MissingSet]]:
    """Active start-up projects lacking (a non-waived deployment of) some version
    of the current standard set. Three queries."""
    standard_set = current_standard_set()
    if standard_set is None:
        return None, []
    versions = list(standard_set.asset_versions.select_related("asset").order_by("asset__name"))
    projects = list(
        restrict(
            Project.objects.filter(active=True, phase=Project.Phase.STARTUP).select_related(
                "org_unit", "manager"
            ),
            user,
            "view",
        ).order_by("name")
    )
    have = set(
        ProjectDeployment.objects.filter(project__in=projects, asset_version__in=versions)
        .exclude(state=ProjectDeployment.State.WAIVED)
        .values_list("project_id", "asset_version_id")
    )
    result = []
    for project in projects:
        missing = [v for v in versions if (project.pk, v.pk) not in have]
        if missing:
            result.append(MissingSet(project, missing))
    return standard_set, result


def on_superseded_versions(user: User) -> QuerySet[ProjectDeployment]:
    """Deployments of superseded versions on active projects that do not also
    have the asset's current release: "would benefit from the current set"."""
    has_current = ProjectDeployment.objects.filter(
        project=OuterRef("project"),
        asset_version__asset=OuterRef("asset_version__asset"),
        asset_version__state=AssetVersion.State.RELEASED,
    )
    current_release = AssetVersion.objects.filter(
        asset=OuterRef("asset_version__asset"), state=AssetVersion.State.RELEASED
    )
    return (
        restrict(ProjectDeployment.objects.all(), user, "view")
        .filter(asset_version__state=AssetVersion.State.SUPERSEDED, project__active=True)
        .exclude(state=ProjectDeployment.State.WAIVED)
        .filter(~Exists(has_current), Exists(current_release))
        .select_related("project__org_unit", "project__manager", "asset_version__asset")
        .order_by("project__name", "asset_version__asset__name")
    )


# --- "My projects" -------------------------------------------------------------


def my_projects(user: User) -> list[Project]:
    """The user's active projects with their deployments (two queries)."""
    deployments = ProjectDeployment.objects.select_related(
        "asset_version__asset", "project"
    ).annotate(open_tailorings=Count("tailorings", filter=Q(tailorings__state="requested")))
    return list(
        Project.objects.filter(manager=user, active=True)
        .select_related("org_unit", "manager")
        .prefetch_related(Prefetch("deployments", queryset=deployments))
        .order_by("name")
    )


def tailorings_for_asset(asset_id: int) -> QuerySet[TailoringRecord]:
    return TailoringRecord.objects.filter(
        deployment__asset_version__asset_id=asset_id
    ).select_related("deployment__project", "deployment__asset_version", "decided_by")


# --- coverage by org unit, aggregated in the database (the dashboard panel) ---


@dataclass
class StaleProject:
    project_id: int
    name: str
    count: int

    def get_absolute_url(self) -> str:
        return reverse("opf:project_detail", args=[self.project_id])


@dataclass
class UnitSummary:
    """``coverage()``'s per-unit figures and stale counts without its matrix."""

    units: list[UnitCoverage]
    stale_days: int
    standard_set: StandardProcessSet | None = None
    stale_total: int = 0
    stale: list[StaleProject] = field(default_factory=list)


# One query over the projects' counted cells (``coverage_counts``): a row per own org
# unit (projects, current, waived, stale), then the first stale projects (id, name,
# stale) in the matrix's order. The projects in scope are read once (a CTE named
# twice is computed once), driven by the projects' table, whose size the planner
# knows (the counts' table may be freshly filled, before any statistics).
_SUMMARY = """
WITH scoped AS (
  SELECT p.id AS id, p.name AS name, p.org_unit_id AS org_unit_id, u.path AS path,
    c.current AS current, c.waived AS waived, c.stale AS stale
  FROM {project} p JOIN {unit} u ON u.id = p.org_unit_id
  LEFT JOIN {coverage} c ON c.project_id = p.id AND c.columns = %s
  WHERE p.id IN ({projects})
)
SELECT 'unit', org_unit_id, path, COUNT(*), COALESCE(SUM(current), 0),
  COALESCE(SUM(waived), 0), COALESCE(SUM(stale), 0)
FROM scoped
GROUP BY org_unit_id, path
UNION ALL
SELECT * FROM (
  SELECT 'stale', id, name, stale, 0, 0, 0 FROM scoped WHERE stale > 0
  ORDER BY path, name, id
  LIMIT %s
) stale
"""


def unit_coverage(
    user: User,
    *,
    unit: OrgUnit | None = None,
    only_set: bool = False,
    days: int | None = None,
    stale_shown: int = 10,
    levels: int | None = None,
) -> UnitSummary:
    """The figures of ``coverage()`` by org unit (each unit counting its whole
    subtree), the stale total and the first ``stale_shown`` projects with stale
    deployments, counted in the database instead of building the matrix.

    Six queries whatever the number of projects, assets and deployments: the
    standard set (with ``only_set``), the columns, the per-project counts brought
    up to date (two: ``coverage_counts``), the counts by own org unit with the
    first stale projects, the org units. The columns are the current releases
    (one released version per asset). Where a project has several live
    deployments of superseded versions of one asset, its cell is stale when any
    of them is (``coverage()`` looks at one of them).

    ``levels``: only the top levels of the scope are rolled up, starting at ``unit``
    (or at the top units), its ancestors left out (the dashboard shows two); every
    active unit with projects, ancestors included, when None.
    """
    days = days or stale_days()
    standard_set = current_standard_set() if only_set else None
    versions_qs = AssetVersion.objects.filter(state=AssetVersion.State.RELEASED)
    if standard_set is not None:
        versions_qs = versions_qs.filter(asset__versions__standard_sets=standard_set).distinct()
    current_of = dict(versions_qs.values_list("asset_id", "pk").order_by("pk"))
    projects_qs = restrict(Project.objects.filter(active=True), user, "view")
    if unit is not None:
        projects_qs = projects_qs.filter(org_unit__path__startswith=unit.path)
    summary = UnitSummary([], days, standard_set)
    try:
        projects_sql, projects_params = projects_qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return summary
    projects = (projects_sql, list(projects_params))
    key = coverage_counts.count_missing(current_of, days, projects)
    names = coverage_counts.tables()
    sql = _SUMMARY.format(
        projects=projects_sql, unit=connection.ops.quote_name(OrgUnit._meta.db_table), **names
    )
    params = [key, *projects_params, stale_shown]
    own = _own_unit_counts(summary, sql, params)
    _roll_up(summary, own, units_shown(unit, levels), columns=len(current_of))
    return summary


def _own_unit_counts(summary: UnitSummary, sql: str, params: list[Any]) -> dict[str, list[int]]:
    """Runs the summary query: the counts by own org unit's path (projects, current,
    waived, stale); the first stale projects go to ``summary.stale``."""
    own: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, pk, name, *counts in cursor.fetchall():
            if kind == "unit":
                own[name] = [int(n) for n in counts]  # a unit's row names its path
            else:
                summary.stale.append(StaleProject(pk, name, int(counts[0])))
    return own


def units_shown(unit: OrgUnit | None, levels: int | None) -> Any:
    """The active org units a summary lists: all of them, or ``levels`` levels from
    ``unit`` (the top when None) down."""
    units = OrgUnit.objects.filter(active=True)
    if levels is not None:
        top = unit.path if unit is not None else ""
        deepest = (len(top) or PATH_STEP) + (levels - 1) * PATH_STEP
        units = units.filter(path__startswith=top).alias(path_length=Length("path"))
        units = units.filter(path_length__lte=deepest)
    return units


def _roll_up(
    summary: UnitSummary, own: dict[str, list[int]], units: QuerySet[OrgUnit], *, columns: int
) -> None:
    """Each of ``units`` (active ones) with projects counts its whole subtree (inactive
    units' projects roll up to their active ancestors); the stale total of all. Each
    unit's own counts are added to the units on its path (a path is its ancestors'
    keys): units x depth steps, not units x units."""
    totals = {u.path: UnitCoverage(u) for u in units.order_by("path")}
    for path, (projects, current, waived, _stale) in own.items():
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            total = totals.get(path[:end])
            if total is not None:
                total.projects += projects
                total.current += current
                total.applicable += projects * columns - waived
    summary.units.extend(t for t in totals.values() if t.projects)  # in path order
    summary.stale_total = sum(row[3] for row in own.values())
