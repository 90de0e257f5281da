"""Dashboard contributions (see opf.core.dashboard): the deployment panel (coverage of the
current standard set, stale deployments), the improvement funnel (it reads the
improvements of ``actions`` and the releases of this area, so it lives here, in the
later of the two), the "assets released" momentum series and the "coverage" headline
figure."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from statistics import median
from typing import Any

from django.urls import reverse, reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions.models import Improvement
from deployment import unit_counts
from deployment.models import AssetVersion
from deployment.queries import unit_coverage
from opf.core import charts
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


def build_funnel(f: DashboardFilter, later: LaterStage | None = None) -> dict[str, Any]:
    """Improvement funnel: candidates → selected → in action → implemented → deployed
    (→ ``later``: an improvement that reached it counts there, whatever its stage).

    Counts are the improvements now in each stage. An implemented improvement counts
    as *deployed* once an asset for one of its process areas had a version released
    after it was implemented. The median time in a stage (days) is taken over the
    stays in it that have ended, from the improvements' history rows (when the state
    changed) and, for "implemented", the first release after it.
    With an org unit chosen, the improvements that came from findings in its subtree.
    """
    improvements = restrict(Improvement._default_manager.all(), f.user)
    if f.org_unit is not None:
        improvements = improvements.filter(
            f.unit_q("findings__org_unit") | f.unit_q("findings__project__org_unit")
        ).distinct()
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

    stages = (*STAGES, later.stage) if later else STAGES
    labels: dict[str, str | Promise] = {
        **STAGE_LABELS,
        **({later.stage: later.label} if later else {}),
    }
    beyond = set(later.reached(list(timelines))) if later else set()
    counts = dict.fromkeys(stages, 0)
    stays: dict[str, list[float]] = defaultdict(list)
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
        if state in counts:
            counts[state] += 1
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
                "median_days": round(median(stays[stage]), 1) if stays[stage] else None,
                "href": list_url
                if later and stage == later.stage
                else f"{list_url}?state={'implemented' if stage == 'deployed' else stage}",
            }
            for stage in stages
        ],
    }


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
