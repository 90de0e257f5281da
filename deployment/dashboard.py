"""Dashboard contributions (see opf.core.dashboard): the deployment panel (coverage of the
current standard set, stale deployments), the improvement funnel (it reads the
improvements of ``actions`` and the releases of this area, so it lives here, in the
later of the two), the "assets released" momentum series and the "coverage" headline
figure."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import median
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions import improvement_stays
from actions.models import Improvement, ImprovementStay
from deployment import unit_counts
from deployment.models import AssetVersion, ProcessAsset
from deployment.queries import unit_coverage
from opf.core import charts, freshness
from opf.core.dashboard import (
    PANEL_CHART_HEIGHT,
    PANEL_CHART_WIDTH,
    Headline,
    MonthlySeries,
    Panel,
    count_by_month,
    once,
)
from opf.core.permissions import restrict
from opf.organization.models import OrgUnit
from opf.organization.scope import DashboardFilter

# --- deployment -------------------------------------------------------------------

STALE_SHOWN = 10


def coverage_in_scope(f: DashboardFilter) -> Any:
    """``queries.unit_coverage`` for the filter: read once, for this panel and the
    coverage headline (the dashboard builds both from one filter). The units are the
    filter's org unit (or the top units) and the level below, each counting its
    subtree (a chart of every unit of a big organization reads as noise). For someone
    who sees every project, from the counts kept per org unit (``unit_counts``)."""

    def read() -> Any:
        if unit_counts.sees_every_project(f.user):  # counts kept per unit: a row each
            return unit_counts.unit_coverage(unit=f.org_unit, stale_shown=STALE_SHOWN, levels=2)
        return unit_coverage(
            f.user, unit=f.org_unit, only_set=True, stale_shown=STALE_SHOWN, levels=2
        )

    return once(f, "deployment.unit_coverage", read)


def build_deployment(f: DashboardFilter) -> dict[str, Any]:
    """Coverage of the current standard set by org unit, and the stale deployments (the
    rules of ``queries.coverage``, counted in the database by ``queries.unit_coverage``).

    The units shown are the top of the scope and the level below it
    (``coverage_in_scope``); choosing a unit in the filter shows its next level."""
    result = coverage_in_scope(f)
    unit_url = _unit_urls([u.unit for u in result.units])
    return {
        "href": reverse("deployment:coverage"),
        "standard_set": str(result.standard_set) if result.standard_set else None,
        "stale_days": result.stale_days,
        "units": [
            {
                "name": u.unit.name,
                "href": unit_url[u.unit.pk],
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


_MARKER = 987654321987654321  # a pk no table reaches, found once in the page's URL


def _unit_urls(units: list[OrgUnit]) -> dict[int, str]:
    """Each unit's ``get_absolute_url()``, reversed once (a reverse() costs ~60 us; the
    panel shows the top units and the level below, 61 at scale 10): the URL of a unit
    with a marker pk, the marker replaced by each pk. Checked against the first unit's
    own URL; each reversed when the URL does not show its pk as such."""
    if not units:
        return {}
    head, found, tail = OrgUnit(pk=_MARKER).get_absolute_url().rpartition(str(_MARKER))
    if not found or f"{head}{units[0].pk}{tail}" != units[0].get_absolute_url():
        return {u.pk: u.get_absolute_url() for u in units}
    return {u.pk: f"{head}{u.pk}{tail}" for u in units}


def draw_deployment(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    units = figures["units"]
    return {
        "coverage": charts.bar_chart(
            _("Coverage of the current standard set"),
            [u["name"] for u in units],
            [charts.Series(_("Coverage (%)"), [u["percent"] for u in units])],
            x_label=_("Org unit and the units below it"),
            y_label=_("Assets on the current release (%)"),
            hrefs=[u["href"] for u in units],
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        )
    }


# --- improvement funnel -----------------------------------------------------------

STAGES = ("candidate", "selected", "in_action", "implemented", "deployed")
STAGE_LABELS = {
    "candidate": _lazy("Candidates"),
    "selected": _lazy("Selected"),
    "in_action": _lazy("In action"),
    "implemented": _lazy("Implemented"),
    "deployed": _lazy("Deployed"),
}


@dataclass(frozen=True)
class LaterStage:
    """A stage past "deployed" that a later app judges (``lessons``: deployed and
    effective): ``reached(ids)`` gives those of the improvements that reached it."""

    stage: str
    label: str | Promise
    reached: Callable[[Collection[int]], Collection[int]]
    short: str | Promise = ""  # the chart's axis label, where ``label`` is long
    # Those of the improvements that can reach it (the others are not asked about).
    among: Callable[[QuerySet[Improvement]], QuerySet[Improvement]] | None = None


def build_funnel(f: DashboardFilter, later: LaterStage | None = None) -> dict[str, Any]:
    """Improvement funnel: candidates → selected → in action → implemented → deployed
    (→ ``later``: an improvement that reached it counts there, whatever its stage).

    Counts are the improvements now in each stage. An implemented improvement counts
    as *deployed* once an asset for one of its process areas had a version released
    after it was implemented. The median time in a stage (days) is taken over the
    stays in it that have ended, from the improvements' history rows (when the state
    changed) and, for "implemented", the first release after it.
    With an org unit chosen, the improvements that came from findings in its subtree.

    Worked out in PostgreSQL (:func:`_stages_in_sql`: one statement, whatever the
    number of improvements and history rows), else from the rows in Python
    (:func:`_stages_in_python`); both give the same figures.
    """
    improvements = restrict(Improvement._default_manager.all(), f.user)
    if f.org_unit is not None:
        improvements = improvements.filter(
            f.unit_q("findings__org_unit") | f.unit_q("findings__project__org_unit")
        ).distinct()
    stages = (*STAGES, later.stage) if later else STAGES
    labels: dict[str, str | Promise] = {
        **STAGE_LABELS,
        **({later.stage: later.label} if later else {}),
    }
    if connection.vendor == "postgresql":
        found, stays = _stages_in_sql(improvements, later)
    else:
        found, stays = _stages_in_python(improvements, later)
    counts = {stage: found.get(stage, 0) for stage in stages}
    list_url = reverse(Improvement.url_name("list"))
    return {
        "href": list_url,
        "stages": [
            {
                "stage": stage,
                "label": str(labels[stage]),
                "short": str(later.short or later.label)
                if later and stage == later.stage
                else str(labels[stage]),
                "count": counts[stage],
                "median_days": round(median(stays[stage]), 1) if stays.get(stage) else None,
                "href": list_url
                if later and stage == later.stage
                else f"{list_url}?state={'implemented' if stage == 'deployed' else stage}",
            }
            for stage in stages
        ],
    }


Stays = dict[str, list[float]]


def _stages_in_python(
    improvements: QuerySet[Improvement], later: LaterStage | None
) -> tuple[dict[str, int], Stays]:
    """The improvements in each stage now (by the stage's name, any state counted), and
    the days of the stays in each stage that have ended: from every history row of the
    improvements, their process areas and every release (four queries, and ``later``'s)."""
    ids = improvements.values("pk")
    history = Improvement.history.filter(id__in=ids).order_by("id", "history_date", "history_id")
    timelines: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for pk, state, when in history.values_list("id", "state", "history_date"):
        line = timelines[pk]
        if not line or line[-1][0] != state:
            line.append((state, when))
    area_links = Improvement.process_areas.through.objects.filter(improvement_id__in=ids)
    areas_of: dict[int, set[int]] = defaultdict(set)
    for improvement_id, area_id in area_links.values_list("improvement_id", "processarea_id"):
        areas_of[improvement_id].add(area_id)
    releases: dict[int, list[datetime]] = defaultdict(list)
    for area_id, released in (
        AssetVersion.objects.filter(released_at__isnull=False, asset__process_areas__isnull=False)
        .order_by("released_at")
        .values_list("asset__process_areas", "released_at")
    ):
        releases[area_id].append(released)  # in order: the first after a day is bisected

    beyond = set(later.reached(list(timelines))) if later else set()
    counts: dict[str, int] = defaultdict(int)
    stays: Stays = defaultdict(list)
    for pk, line in timelines.items():
        for (state, start), (_next, end) in pairwise(line):
            if state in STAGES:
                stays[state].append((end - start).total_seconds() / 86400)
        state, entered = line[-1]
        if state == "implemented":
            after = _first_release(areas_of[pk], releases, entered)
            if after is not None:
                stays["implemented"].append((after - entered).total_seconds() / 86400)
                state = "deployed"
        if pk in beyond:
            state = later.stage if later else state
        counts[state] += 1
    return counts, stays


# The funnel in one statement, from the stays kept per improvement
# (``actions.improvement_stays``: its history rows' runs in one state). The open stays
# are the states now, counted by state; those past the later stage, and the
# implemented ones deployed, are counted again, as moved from their state to theirs
# (rows whose counts add up by stage). An implemented improvement is deployed by the
# first release at or after its stay began of an asset for one of its process areas:
# the stays and the releases of each area in one list, latest first, each stay taking
# the earliest release seen so far (a release at the same moment before it). Of each
# stage's ended stays only the middle one or two are read (the median), from the index
# by stage and length (for "implemented", with the deployed ones' time to their
# release, ranked): their lengths in exact microseconds, made days as Python makes them
# from the same moments.
_STAGES_SQL = """
WITH implemented AS (
  SELECT s.improvement_id AS id, s.entered FROM {stays} s
  WHERE s.ended IS NULL AND s.state = %(implemented)s{in_scope}
), events AS (
  SELECT l.processarea_id AS area_id, n.entered AS at, 1 AS kind, n.id
  FROM implemented n JOIN {areas} l ON l.improvement_id = n.id
  UNION ALL
  SELECT a.processarea_id, v.released_at, 0, NULL
  FROM {asset_areas} a JOIN {version} v ON v.asset_id = a.processasset_id
  WHERE v.released_at IS NOT NULL AND EXISTS (SELECT 1 FROM implemented)
), deployed AS (
  SELECT n.id, n.entered, f.released FROM implemented n JOIN (
    SELECT id, MIN(next) AS released FROM (
      SELECT id, kind, MIN(CASE WHEN kind = 0 THEN at END) OVER (
        PARTITION BY area_id ORDER BY at DESC, kind ROWS UNBOUNDED PRECEDING) AS next
      FROM events
    ) e WHERE kind = 1 AND next IS NOT NULL GROUP BY id
  ) f ON f.id = n.id
), ended AS (
  SELECT s.state AS stage, COUNT(*) AS total FROM {stays} s
  WHERE s.ended IS NOT NULL AND s.state IN ({stages}){in_scope} GROUP BY s.state
)
SELECT FALSE, s.state, COUNT(*), CAST(NULL AS bigint) FROM {stays} s
WHERE s.ended IS NULL{in_scope} GROUP BY s.state
UNION ALL
SELECT FALSE, s.state, -COUNT(*), NULL FROM {stays} s
WHERE s.ended IS NULL AND s.improvement_id = ANY(%(beyond)s){in_scope} GROUP BY s.state
UNION ALL
SELECT FALSE, %(later)s, COUNT(*), NULL FROM {stays} s
WHERE s.ended IS NULL AND s.improvement_id = ANY(%(beyond)s){in_scope}
UNION ALL
SELECT FALSE, moved.stage, moved.sign * COUNT(*), NULL FROM deployed d,
  (VALUES (%(deployed)s, 1), (%(implemented)s, -1)) AS moved (stage, sign)
WHERE NOT d.id = ANY(%(beyond)s) GROUP BY moved.stage, moved.sign
UNION ALL
SELECT TRUE, e.stage, 0, m.spent FROM ended e, LATERAL (
  SELECT s.spent FROM {stays} s WHERE s.state = e.stage AND s.ended IS NOT NULL{in_scope}
  ORDER BY s.spent OFFSET (e.total - 1) / 2 LIMIT 2 - e.total %% 2
) m WHERE e.stage <> %(implemented)s
UNION ALL
SELECT TRUE, stage, n, spent FROM (
  SELECT stage, spent, ROW_NUMBER() OVER (ORDER BY spent) AS n, COUNT(*) OVER () AS total
  FROM (
    SELECT s.state AS stage, s.spent FROM {stays} s
    WHERE s.state = %(implemented)s AND s.ended IS NOT NULL{in_scope}
    UNION ALL
    SELECT %(implemented)s, {released} FROM deployed
  ) i
) r WHERE n IN ((total + 1) / 2, total / 2 + 1)
"""


def _stages_in_sql(
    improvements: QuerySet[Improvement], later: LaterStage | None
) -> tuple[dict[str, int], Stays]:
    """``_stages_in_python``'s figures from PostgreSQL: one statement (and, with
    ``later``, one for the improvements that may reach it, then ``later.reached``'s);
    of each stage's ended stays, only the middle one or two (their median)."""
    if improvements.query.distinct:  # joined (an org unit's findings): each once
        improvements = Improvement._default_manager.filter(pk__in=improvements.values("pk"))
    beyond: list[int] = []
    if later is not None:
        traced = improvements.filter(Exists(Improvement.history.filter(id=OuterRef("pk"))))
        if later.among is not None:
            traced = later.among(traced)
        candidates = list(traced.order_by().values_list("pk", flat=True))
        beyond = sorted(later.reached(candidates)) if candidates else []
    try:
        scope, scope_params = improvements.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # nothing the user may see
        return {}, {}
    params: dict[str, Any] = {
        "implemented": Improvement.State.IMPLEMENTED.value,
        "deployed": "deployed",
        "later": later.stage if later else "",
        "beyond": beyond,
        **{f"stage{n}": stage for n, stage in enumerate(STAGES)},
    }
    if improvements.query.where.children:
        # the scope's own parameters, named
        numbers = iter(range(len(scope_params)))

        def named(found: re.Match[str]) -> str:
            return found[0] if found[0] == "%%" else f"%(scope{next(numbers)})s"

        scope = re.sub(r"%[%s]", named, scope)
        params.update({f"scope{n}": value for n, value in enumerate(scope_params)})
        in_scope = f" AND s.improvement_id IN ({scope})"
    else:  # every improvement: the stays kept are those of the improvements there are
        in_scope = ""
    sql = _STAGES_SQL.format(
        in_scope=in_scope,
        stages=", ".join(f"%(stage{n})s" for n in range(len(STAGES))),
        released=improvement_stays.microseconds("released", "entered", connection.vendor),
        **freshness.table_names(
            stays=ImprovementStay,
            areas=Improvement.process_areas.through,
            asset_areas=ProcessAsset.process_areas.through,
            version=AssetVersion,
        ),
    )
    # the stays are counted from the history rows: a figure kept is kept until those move
    freshness.note_read([Improvement.history.model._meta.db_table])
    counts: dict[str, int] = {}
    stays: Stays = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for is_stay, stage, number, spent in cursor.fetchall():
            if is_stay:
                # as ``timedelta.total_seconds()`` gives it: exact microseconds
                days = timedelta(microseconds=spent).total_seconds() / 86400
                stays[stage].append(days)
            else:  # a state's count, or those moved from it (negative) or to it
                counts[stage] = counts.get(stage, 0) + number
    return {stage: number for stage, number in counts.items() if number}, stays


def _first_release(
    areas: set[int], releases: dict[int, list[datetime]], since: datetime
) -> datetime | None:
    """The first release, at ``since`` or later, of an asset for one of ``areas``
    (``releases``: each area's, in order): a search per area, not a scan of them all."""
    firsts = []
    for area in areas:
        dates = releases.get(area, [])
        at = bisect_left(dates, since)
        if at < len(dates):
            firsts.append(dates[at])
    return min(firsts) if firsts else None


def draw_funnel(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    stages = figures["stages"]
    return {
        "funnel": charts.bar_chart(
            _("Improvements by stage"),
            [s.get("short", s["label"]) for s in stages],  # frozen briefings: no "short"
            [charts.Series(_("Improvements"), [s["count"] for s in stages])],
            x_label=_("Stage"),
            y_label=_("Improvements"),
            hrefs=[s["href"] for s in stages],
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        )
    }


# --- momentum --------------------------------------------------------------------


def assets_released(f: DashboardFilter) -> dict[date, int]:
    return count_by_month(
        restrict(AssetVersion._default_manager.all(), f.user).filter(released_at__isnull=False),
        "released_at",
        f,
    )


def coverage_figure(f: DashboardFilter) -> dict[str, Any]:
    """Share of the current standard set's releases in use (or verified) by the active
    projects in scope, waivers left out (the coverage matrix's rule). Coverage has no
    dated past (deployments keep their state, not a dated coverage), so ``previous``
    is None: the headline panel compares it with the latest frozen briefing."""
    result = coverage_in_scope(f)
    paths = [u.unit.path for u in result.units]
    roots = [
        u
        for u in result.units
        if not any(u.unit.path != p and u.unit.path.startswith(p) for p in paths)
    ]
    current = sum(u.current for u in roots)
    applicable = sum(u.applicable for u in roots)
    return {
        "value": round(100 * current / applicable) if applicable else None,
        "unit": "%",
        "previous": None,
        "better": "higher",
        "note": _("of the standard set in use in projects"),
        "href": reverse("deployment:coverage"),
    }


HEADLINES = [
    Headline(
        "coverage",
        _lazy("Coverage"),
        coverage_figure,
        order=20,
        perm="deployment.view_projectdeployment",
    )
]

# The funnel's panel is ``lessons``' (it adds the "deployed and effective" stage).
PANELS = [
    Panel(
        "deployment",
        _lazy("Deployment"),
        "opf/dashboard/panels/deployment.html",
        build_deployment,
        order=40,
        perm="deployment.view_projectdeployment",
        charts=draw_deployment,
    ),
]
MOMENTUM = [
    MonthlySeries(
        _lazy("Assets released"),
        assets_released,
        reverse_lazy("deployment:assetversion_list"),
        order=10,  # first, as when it was the core's only series
    )
]
