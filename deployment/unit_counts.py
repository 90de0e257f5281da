"""The coverage by org unit for someone who sees every project (the process group's
dashboard), from counts kept per org unit (``UnitCoverageCount``, #24): the dashboard
adds up a row per unit instead of a row per project, and a deployment update counts
again the few projects of one unit.

A unit's row holds the cells of its own active projects (``coverage_counts``' rule,
``per_project_counts``) for one set of columns and one stale rule. It is counted in a
statement that also reads the unit's write stamp (``CoverageWrite``), which every
write that may move it moves in the writer's transaction (``coverage_counts``: a
deployment of one of its projects, a project saved into or out of it or deleted, a
bulk write's ``forget``); it holds while the stamp is unchanged, and until time makes
one of its open deployments stale (``watch_from``). A read while a write is under way
counts what was committed and keeps the stamp it read with it, so the write's commit
makes the row outdated: no expiry, no periodic recount.

Someone who sees only some projects gets ``queries.unit_coverage`` (per project).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from deployment import coverage_counts
from deployment.models import (
    AssetVersion,
    CoverageWrite,
    ProjectDeployment,
    UnitCoverageCount,
)
from deployment.queries import (
    StaleProject,
    UnitSummary,
    _roll_up,
    current_standard_set,
    stale_days,
    units_shown,
)
from opf.core import freshness
from opf.organization.models import OrgUnit, Project

# Rows counted for other columns, made outdated by time, counted before their unit's
# last write, or counted later than now (the clock went back).
_OUTDATED = """
DELETE FROM {counts}
WHERE columns <> %s OR watch_from < %s OR counted_at > %s
  OR written <> COALESCE(
    (SELECT w.written FROM {written} w WHERE w.org_unit_id = {counts}.org_unit_id), 0)
"""

# The units without a row: their active projects' cells, summed, with the unit's stamp
# (each unit's sums joined once: a join per unit of every project's cells grew with the
# square of the units).
_MISSING_UNITS = """
SELECT u.id FROM {unit} u WHERE NOT EXISTS (
  SELECT 1 FROM {counts} c WHERE c.org_unit_id = u.id AND c.columns = %s)
"""
_THEIR_PROJECTS = """
SELECT p.id FROM {project} p WHERE p.active = %s AND p.org_unit_id IN ({units})
"""
_COUNT = """
INSERT INTO {counts}
  (org_unit_id, columns, projects, current, waived, stale, stale_projects, watch_from,
   counted_at, written)
SELECT u.id, %s, COALESCE(ap.projects, 0), COALESCE(ac.current, 0), COALESCE(ac.waived, 0),
  COALESCE(ac.stale, 0), COALESCE(ac.stale_projects, 0), ac.watch_from, %s,
  COALESCE(w.written, 0)
FROM {unit} u
LEFT JOIN (
  SELECT p.org_unit_id AS unit_id, COUNT(*) AS projects FROM {project} p
  WHERE p.active = %s AND p.org_unit_id IN ({units}) GROUP BY p.org_unit_id
) ap ON ap.unit_id = u.id
LEFT JOIN (
  SELECT p.org_unit_id AS unit_id, SUM(pp.current) AS current, SUM(pp.waived) AS waived,
    SUM(pp.stale) AS stale, COUNT(CASE WHEN pp.stale > 0 THEN 1 END) AS stale_projects,
    MIN(pp.watch_from) AS watch_from
  FROM ({per_project}) pp JOIN {project} p ON p.id = pp.project_id
  GROUP BY p.org_unit_id
) ac ON ac.unit_id = u.id
LEFT JOIN {written} w ON w.org_unit_id = u.id
WHERE u.id IN ({units})
ON CONFLICT (org_unit_id, columns) DO NOTHING
"""

# A row per unit of the scope with active projects (its path, projects, current, waived,
# stale), then the first stale projects (id, name, stale) in the matrix's order (unit
# path, name): those of the first units with stale projects, as many as make up the
# number shown, whose cells are counted here.
_SUMMARY = """
WITH first_units AS (
  SELECT org_unit_id FROM (
    SELECT c.org_unit_id AS org_unit_id,
      SUM(c.stale_projects) OVER (ORDER BY u.path ROWS UNBOUNDED PRECEDING)
        - c.stale_projects AS before
    FROM {counts} c JOIN {unit} u ON u.id = c.org_unit_id
    WHERE c.columns = %s AND c.stale_projects > 0 AND u.path LIKE %s
  ) ranked WHERE before < %s
  ORDER BY before LIMIT %s
)
SELECT 'unit', u.id, u.path, c.projects, c.current, c.waived, c.stale
FROM {counts} c JOIN {unit} u ON u.id = c.org_unit_id
WHERE c.columns = %s AND c.projects > 0 AND u.path LIKE %s
UNION ALL
SELECT * FROM (
  SELECT 'stale', p.id, p.name, pp.stale, 0, 0, 0
  FROM {project} p JOIN {unit} u ON u.id = p.org_unit_id
  JOIN ({per_project}) pp ON pp.project_id = p.id
  WHERE pp.stale > 0 AND p.active = %s AND p.org_unit_id IN (SELECT org_unit_id FROM first_units)
  ORDER BY u.path, p.name, p.id
  LIMIT %s
) stale
"""
_FIRST_UNITS = "SELECT org_unit_id FROM first_units"


def tables() -> dict[str, str]:
    return freshness.table_names(
        counts=UnitCoverageCount, written=CoverageWrite, unit=OrgUnit, project=Project
    )


def sees_every_project(user: Any) -> bool:
    """Whether ``user`` may see every project (no restriction on the projects' rows)."""
    query = Project.objects.restrict(user, "view").query
    return not query.has_filters() and not query.is_sliced


def unit_coverage(
    *,
    unit: OrgUnit | None = None,
    days: int | None = None,
    stale_shown: int = 10,
    levels: int | None = None,
) -> UnitSummary:
    """``queries.unit_coverage(user, unit=unit, only_set=True, ...)`` for a user who
    sees every project: the same figures, from the counts kept per unit.

    Six queries whatever the number of projects, units and deployments: the standard
    set, the columns, the outdated rows dropped, the missing ones counted, the rows of
    the scope with the first stale projects, the org units."""
    days = days or stale_days()
    standard_set = current_standard_set()
    versions_qs = AssetVersion.objects.filter(state=AssetVersion.State.RELEASED)
    if standard_set is not None:
        versions_qs = versions_qs.filter(asset__versions__standard_sets=standard_set).distinct()
    current_of = dict(versions_qs.values_list("asset_id", "pk").order_by("pk"))
    summary = UnitSummary([], days, standard_set)
    key = coverage_counts.columns_key(current_of, days)
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    names = tables()
    # What the rows are counted from (the counting statements write, so the freshness
    # watch does not note what they read).
    freshness.note_read(
        [
            ProjectDeployment._meta.db_table,
            AssetVersion._meta.db_table,
            Project._meta.db_table,
            OrgUnit._meta.db_table,
            CoverageWrite._meta.db_table,
        ]
    )
    missing = _MISSING_UNITS.format(**names)
    projects = _THEIR_PROJECTS.format(units=missing, **names)
    per_project, cells_params = coverage_counts.per_project_counts(
        current_of, cutoff, (projects, [True, key])
    )
    prefix = (unit.path if unit is not None else "") + "%"
    stale_projects = _THEIR_PROJECTS.format(units=_FIRST_UNITS, **names)
    stale_per_project, stale_params = coverage_counts.per_project_counts(
        current_of, cutoff, (stale_projects, [True])
    )
    own: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_OUTDATED.format(**names), [key, cutoff, now])
        cursor.execute(
            _COUNT.format(per_project=per_project, units=missing, **names),
            [key, now, True, key, *cells_params, key],
        )
        cursor.execute(
            _SUMMARY.format(per_project=stale_per_project, **names),
            [key, prefix, stale_shown, stale_shown, key, prefix, *stale_params, True, stale_shown],
        )
        for kind, pk, name, *counts in cursor.fetchall():
            if kind == "unit":
                own[name] = [int(n) for n in counts]  # a unit's row names its path
            else:
                summary.stale.append(StaleProject(pk, name, int(counts[0])))
    _roll_up(summary, own, units_shown(unit, levels), columns=len(current_of))
    return summary
