"""Each project's cells of the coverage matrix, counted once and kept in the database
(``ProjectCoverage``, #24), so the dashboard's coverage and the coverage page's totals
add up one row per project instead of reading every deployment.

The rule is the per-cell SQL below (``_CELLS``, the matrix's ``queries._cell`` counted
in the database). A row holds a project's counts for one set of columns (the assets'
current releases) and one stale rule, named by a digest of both: a release, a new
standard set or another stale rule gives other columns, and rows are counted afresh
for them. A row is counted again when

- a deployment of the project is saved, moved along its workflow or deleted (the
  signals below, again once the transaction has committed), or written in bulk (who
  writes in bulk calls :func:`forget`: plan expansion, the dataset builder);
- time has made one of its open deployments stale (``watch_from``);
- it is older than ``RECOUNT_AFTER`` (it bounds a count read while a deployment was
  being written and committed), or the clock has gone back.

Rows are counted when read (:func:`count_missing`), in one statement for every project
in scope that has no current row, so a write costs one ``DELETE`` and the next read
counts only the projects written.

The same writes move their org unit's write stamp (:func:`mark_written`,
``CoverageWrite``), in the writer's transaction, which the counts kept per org unit
(``deployment.unit_counts``, the dashboard of someone who sees every project) are
checked against: a project saved into or out of a unit, or deleted, moves it too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from deployment.models import (
    AssetVersion,
    CoverageWrite,
    ProjectCoverage,
    ProjectDeployment,
    UnitCoverageCount,
)
from opf.core import freshness
from opf.organization.models import OrgUnit, Project

RECOUNT_AFTER = timedelta(minutes=10)

# One row per (project, asset) that has deployments: is the project on the
# current release (live or waived), on an older one (live), is that stale, and the
# oldest update of an open deployment not stale yet (when the cell may turn stale).
_CELLS = """
SELECT project_id, asset_id,
  MAX(CASE WHEN cur = 1 AND live = 1 THEN 1 ELSE 0 END) AS cur,
  MAX(CASE WHEN cur = 1 AND live = 0 THEN 1 ELSE 0 END) AS cur_waived,
  MAX(CASE WHEN cur = 0 AND live = 1 THEN 1 ELSE 0 END) AS old_live,
  MAX(CASE WHEN cur = 1 THEN stale ELSE 0 END) AS cur_stale,
  MAX(CASE WHEN cur = 0 THEN stale ELSE 0 END) AS old_stale,
  MIN(fresh) AS watch_from
FROM (
  SELECT pd.project_id AS project_id, av.asset_id AS asset_id,
    CASE WHEN av.state = %s THEN 1 ELSE 0 END AS cur,
    CASE WHEN pd.state <> %s THEN 1 ELSE 0 END AS live,
    CASE WHEN pd.state NOT IN (%s, %s) AND pd.updated_at < %s THEN 1 ELSE 0 END AS stale,
    CASE WHEN pd.state NOT IN (%s, %s) AND pd.updated_at >= %s THEN pd.updated_at END AS fresh
  FROM {deployment} pd JOIN {version} av ON av.id = pd.asset_version_id
  WHERE av.asset_id IN ({assets}) AND pd.project_id IN ({projects})
) deployment
GROUP BY project_id, asset_id
"""

# Per project: current cells, waived cells (a waived current release, or only
# waived older ones) and stale cells (the current release's deployment, or
# else an older live one, open and not updated since the cutoff).
_PER_PROJECT = """
SELECT project_id,
  SUM(cur) AS current,
  SUM(CASE WHEN cur = 0 AND (cur_waived = 1 OR old_live = 0) THEN 1 ELSE 0 END) AS waived,
  SUM(CASE WHEN cur = 1 THEN cur_stale WHEN cur_waived = 1 THEN 0 ELSE old_stale END) AS stale,
  MIN(watch_from) AS watch_from
FROM ({cells}) cell GROUP BY project_id
"""

_NO_CELLS = """
SELECT pd.project_id, 0 AS current, 0 AS waived, 0 AS stale, pd.updated_at AS watch_from
FROM {deployment} pd WHERE 1 = 0
"""

# The projects in scope without a row for these columns.
_MISSING = """
SELECT m.id FROM {project} m WHERE m.id IN ({projects}) AND NOT EXISTS (
  SELECT 1 FROM {coverage} c WHERE c.project_id = m.id AND c.columns = %s)
"""

_COUNT = """
INSERT INTO {coverage} (project_id, columns, current, waived, stale, watch_from, counted_at)
SELECT p.id, %s, COALESCE(pp.current, 0), COALESCE(pp.waived, 0), COALESCE(pp.stale, 0),
  pp.watch_from, %s
FROM {project} p LEFT JOIN ({per_project}) pp ON pp.project_id = p.id
WHERE p.id IN ({missing})
ON CONFLICT (project_id, columns) DO NOTHING
"""

_OUTDATED = """
DELETE FROM {coverage}
WHERE counted_at < %s OR counted_at > %s OR (columns = %s AND watch_from < %s)
"""


def tables() -> dict[str, str]:
    return freshness.table_names(
        deployment=ProjectDeployment,
        version=AssetVersion,
        project=Project,
        coverage=ProjectCoverage,
    )


def columns_key(current_of: dict[int, int], days: int) -> str:
    """The digest naming the columns (each asset's current release) and the stale rule."""
    return hashlib.sha256(repr((sorted(current_of.items()), days)).encode()).hexdigest()


def count_missing(current_of: dict[int, int], days: int, projects: tuple[str, list[Any]]) -> str:
    """Counts the cells of the projects in ``projects`` (SQL and parameters) that have no
    current row for these columns, and returns the columns' key. Two statements: rows
    that may have moved are dropped, missing ones counted."""
    key = columns_key(current_of, days)
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    names = tables()
    projects_sql, projects_params = projects
    # What the rows are counted from, read by the figure that sums them (the statements
    # below write, so the freshness watch does not note what they read).
    freshness.note_read(
        [ProjectDeployment._meta.db_table, AssetVersion._meta.db_table, Project._meta.db_table]
    )
    missing = _MISSING.format(projects=projects_sql, **names)
    missing_params = [*projects_params, key]
    per_project, cells_params = per_project_counts(current_of, cutoff, (missing, missing_params))
    with connection.cursor() as cursor:
        cursor.execute(_OUTDATED.format(**names), [now - RECOUNT_AFTER, now, key, cutoff])
        cursor.execute(
            _COUNT.format(per_project=per_project, missing=missing, **names),
            [key, now, *cells_params, *missing_params],
        )
    return key


def per_project_counts(
    current_of: dict[int, int], cutoff: datetime, projects: tuple[str, list[Any]]
) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) of a row per project of ``projects`` (SQL and
    parameters) with deployments of the columns: its current, waived and stale cells
    and the oldest update of an open deployment not stale yet (``watch_from``)."""
    names = tables()
    projects_sql, projects_params = projects
    if not current_of:  # no columns: no cell counts
        return _NO_CELLS.format(**names), []
    closed = [str(s) for s in ProjectDeployment.CLOSED_STATES]
    cells = _CELLS.format(
        assets=", ".join(str(int(pk)) for pk in current_of), projects=projects_sql, **names
    )
    params = [
        AssetVersion.State.RELEASED,
        ProjectDeployment.State.WAIVED,
        *closed,
        cutoff,
        *closed,
        cutoff,
        *projects_params,
    ]
    return _PER_PROJECT.format(cells=cells), params


def forget(project_ids: Iterable[int] | None = None) -> None:
    """Count these projects' cells again when next read (every project's, when None):
    now, and again once the transaction under way has committed (a read in between
    may have counted what was not committed yet)."""
    rows = ProjectCoverage.objects.all()
    if project_ids is not None:
        project_ids = set(project_ids)
        rows = rows.filter(project_id__in=project_ids)
    freshness.forget_rows(rows)
    mark_written(project_ids)


_MARK = """
INSERT INTO {written} (org_unit_id, written)
SELECT u.id, 1 FROM {unit} u WHERE {which}
ON CONFLICT (org_unit_id) DO UPDATE SET written = {written}.written + 1
"""
_OF_PROJECTS = "u.id IN (SELECT p.org_unit_id FROM {project} p WHERE p.id IN ({marks}))"
_UNITS = "u.id IN ({marks})"


def mark_written(project_ids: Iterable[int] | None = None, unit_ids: Iterable[int] = ()) -> None:
    """Move the write stamps (``CoverageWrite``) of the org units of these projects, as
    stored now, and of ``unit_ids`` (every unit's, when ``project_ids`` is None), in the
    transaction under way: the counts kept per unit (``unit_counts``) read before
    it commits no longer hold once it has."""
    names = freshness.table_names(written=CoverageWrite, unit=OrgUnit, project=Project)
    params: list[Any] = []
    if project_ids is None:
        which = "1 = 1"
    else:
        projects = sorted({int(pk) for pk in project_ids if pk is not None})
        units = sorted({int(pk) for pk in unit_ids if pk is not None})
        parts = []
        for template, pks in ((_OF_PROJECTS, projects), (_UNITS, units)):
            if pks:
                parts.append(template.format(marks=", ".join(["%s"] * len(pks)), **names))
                params += pks
        if not parts:
            return
        which = " OR ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(_MARK.format(which=which, **names), params)


def _deployment_written(sender: type, instance: ProjectDeployment, **kwargs: Any) -> None:
    forget([instance.project_id])


def _project_saving(sender: type, instance: Project, raw: bool = False, **kwargs: Any) -> None:
    """A project saved may leave its unit (the one stored now), join another, start or
    stop counting (active): both units are marked once it is saved (marked before, a
    read in between would count the unit as it was and keep it with the new stamp)."""
    if not raw and instance.pk is not None:
        stored = Project._default_manager.filter(pk=instance.pk).values_list("org_unit_id")
        instance._coverage_unit_before = stored.first()  # type: ignore[attr-defined]


def _project_saved(sender: type, instance: Project, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        before = getattr(instance, "_coverage_unit_before", None) or ()
        mark_written([], [instance.org_unit_id, *before])


def _project_deleted(sender: type, instance: Project, **kwargs: Any) -> None:
    mark_written([], [instance.org_unit_id])


def keep_coverage_counts() -> None:
    """Connect the signals (``DeploymentConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from opf.core.workflow import transitioned

    freshness.derived_table(ProjectCoverage._meta.db_table)
    freshness.derived_table(UnitCoverageCount._meta.db_table)
    for name, signal in (("save", post_save), ("delete", post_delete), ("step", transitioned)):
        signal.connect(
            _deployment_written, sender=ProjectDeployment, dispatch_uid=f"coverage-pd-{name}"
        )
    pre_save.connect(_project_saving, sender=Project, dispatch_uid="coverage-project-saving")
    post_save.connect(_project_saved, sender=Project, dispatch_uid="coverage-project-saved")
    post_delete.connect(_project_deleted, sender=Project, dispatch_uid="coverage-project-deleted")
