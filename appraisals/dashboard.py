"""Dashboard contributions (see opf.core.dashboard): the maturity panel — process areas x
org units from the latest confirmed ratings of Class A appraisals, each org unit's
level over time (the rule of ``method.maturity_level``), and the units stuck at
level 2 (the Process Management Gap); the "maturity" headline figure: how many rated org
units stand at level 3 or above, now and at the end of the previous period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from appraisals import method
from appraisals.models import Appraisal, Rating
from appraisals.queries import gg3_unmet
from opf.core import charts
from opf.core.dashboard import (
    PANEL_CHART_HEIGHT,
    PANEL_CHART_WIDTH,
    Headline,
    Panel,
    add_months,
    iso,
    once,
    previous_period,
)
from opf.core.permissions import restrict
from opf.core.thresholds import stuck_months
from opf.organization.models import OrgUnit
from opf.organization.scope import DashboardFilter
from opf.reference.models import ProcessArea

RATING_SCORE = {"satisfied": 1, "not_satisfied": 0}
RATING_TEXT = {
    "satisfied": _lazy("S"),
    "not_satisfied": _lazy("NS"),
    "not_applicable": _lazy("NA"),
    "not_rated": _lazy("NR"),
}


def build(f: DashboardFilter) -> dict[str, Any]:
    # Plain values, not model instances: there are many ratings at enterprise scale.
    closed = restrict(Appraisal._default_manager.all(), f.user).filter(
        state=Appraisal.State.CLOSED, actual_end__lte=f.end, method__in=method.RATING_METHODS
    )
    appraisals = list(
        closed.order_by("actual_end", "pk").values(
            "pk", "title", "actual_end", "reference_model_id"
        )
    )
    by_level = _areas_by_level(appraisals)
    # EXPIRY_RULE: the latest ratings shown are those still in force at the period's end.
    expiry = {a["pk"]: method.ratings_expire(a["actual_end"]) for a in appraisals}
    in_force = {pk for pk, day in expiry.items() if day is not None and day > f.end}
    latest, rated = _ratings(f, closed, appraisals, in_force)
    unit_list, area_list = _rated_units_and_areas(latest)
    area_index = {a.pk: i for i, a in enumerate(area_list)}
    unit_index = {u.pk: i for i, u in enumerate(unit_list)}
    # One reverse() for the appraisals (hundreds at enterprise scale) and one per unit,
    # not per cell (hundreds of cells).
    appraisal_url = _urls("appraisals:appraisal_detail", [a["pk"] for a in appraisals])
    unit_url = {u.pk: u.get_absolute_url() for u in unit_list}
    cells = [
        [unit_index[u], area_index[a], value, appraisal_url[appraisal_id]]
        for (u, a), (value, appraisal_id) in sorted(
            latest.items(), key=lambda item: (unit_index[item[0][0]], area_index[item[0][1]])
        )
    ]
    limit = stuck_months()
    rated_by = (rated, gg3_unmet(a["pk"] for a in appraisals))
    history_rows, stuck = _level_history(
        f, unit_list, unit_url, appraisals, by_level, rated_by, limit
    )
    for row in history_rows:
        _current(row, row["pk"], appraisals, rated, in_force, expiry)
    return {
        "href": reverse("appraisals:maturity"),
        "areas": [a.abbreviation for a in area_list],
        "units": [{"name": u.name, "href": unit_url[u.pk]} for u in unit_list],
        "cells": cells,
        "appraisals": [
            {
                "title": a["title"],
                "date": iso(a["actual_end"]),
                "href": appraisal_url[a["pk"]],
            }
            for a in appraisals
        ],
        "levels": history_rows,
        "in_force": [
            {"unit": row["unit"], "href": row["href"], "expires": row["expires"]}
            for row in sorted(history_rows, key=lambda r: r["expires"] or "")
            if row["expires"]
        ],
        "stuck_months": limit,
        "stuck": stuck,
    }


def _current(
    row: dict[str, Any],
    unit_id: int,
    appraisals: list[dict[str, Any]],
    rated: dict[tuple[int, int], dict[int, str]],
    in_force: set[int],
    expiry: dict[int, date | None],
) -> None:
    """The unit's level at its latest appraisal whose ratings are still in force
    (``EXPIRY_RULE``) and the day they expire; none once they all expired."""
    row["current"], row["expires"] = None, None
    for index in range(len(appraisals) - 1, -1, -1):
        pk = appraisals[index]["pk"]
        if pk in in_force and (pk, unit_id) in rated:
            row["current"] = row["levels"][index]
            row["expires"] = iso(expiry[pk])
            return


def _areas_by_level(appraisals: list[dict[str, Any]]) -> dict[int, dict[int, set[int]]]:
    """The process areas of level 2 and up of the appraisals' models: model, level, areas."""
    by_level: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for pk, model_id, level in ProcessArea.objects.filter(
        reference_model_id__in={a["reference_model_id"] for a in appraisals}, maturity_level__gte=2
    ).values_list("pk", "reference_model_id", "maturity_level"):
        by_level[model_id][level].add(pk)
    return by_level


def _ratings(
    f: DashboardFilter,
    closed: QuerySet[Appraisal],
    appraisals: list[dict[str, Any]],
    in_force: set[int],
) -> tuple[dict[tuple[int, int], tuple[str, int]], dict[tuple[int, int], dict[int, str]]]:
    """The confirmed ratings of the units in scope: the latest in force per (unit, area)
    with its appraisal, and every appraisal's per (appraisal, unit), area by area."""
    position = {a["pk"]: i for i, a in enumerate(appraisals)}
    ratings = (
        restrict(Rating._default_manager.all(), f.user)
        .filter(appraisal__in=closed.values("pk"), org_unit__in=f.units)
        .exclude(value="")
        .values_list("appraisal_id", "org_unit_id", "process_area_id", "value")
        # unordered: sorted by appraisal below, and one rating per appraisal, unit and
        # area; the model's ordering joined four tables to sort them all first (#24)
        .order_by()
    )
    latest: dict[tuple[int, int], tuple[str, int]] = {}
    rated: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    for appraisal_id, unit_id, area_id, value in sorted(ratings, key=lambda r: position[r[0]]):
        if appraisal_id in in_force:
            latest[(unit_id, area_id)] = (value, appraisal_id)  # later appraisals overwrite
        rated[(appraisal_id, unit_id)][area_id] = value
    return latest, rated


def _rated_units_and_areas(
    latest: dict[tuple[int, int], tuple[str, int]],
) -> tuple[list[OrgUnit], list[ProcessArea]]:
    """The units (in tree order) and areas (by level and order) that have a rating."""
    unit_list = list(
        OrgUnit.objects.filter(pk__in={u for u, _a in latest}).only("pk", "name", "path")
    )
    area_list = list(
        ProcessArea.objects.filter(pk__in={a for _u, a in latest})
        .only("pk", "abbreviation", "maturity_level", "order")
        .order_by("maturity_level", "order", "abbreviation")
    )
    unit_list.sort(key=lambda u: u.path)
    return unit_list, area_list


def _level_history(
    f: DashboardFilter,
    unit_list: list[OrgUnit],
    unit_url: dict[int, str],
    appraisals: list[dict[str, Any]],
    by_level: dict[int, dict[int, set[int]]],
    rated_by: tuple[dict[tuple[int, int], dict[int, str]], dict[tuple[int, int], set[int]]],
    limit: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each rated unit's level at every appraisal (None where not appraised), and the
    units at level 2 for ``limit`` months or more by the end of the period."""
    rated, unmet = rated_by
    history_rows = []
    stuck = []
    for unit in unit_list:
        pk = unit.pk
        levels = [
            None
            if (a["pk"], pk) not in rated
            else (
                method.maturity_level(
                    by_level[a["reference_model_id"]],
                    rated[(a["pk"], pk)],
                    unmet.get((a["pk"], pk)),
                )
                or 0
            )
            for a in appraisals
        ]
        if not any(level is not None for level in levels):
            continue
        history_rows.append(
            {"pk": pk, "unit": unit.name, "href": unit_url[unit.pk], "levels": levels}
        )
        since = _at_level_two_since(
            [(a["actual_end"], lv) for a, lv in zip(appraisals, levels, strict=True)]
        )
        if since is not None and add_months(since.replace(day=1), limit) <= f.end.replace(day=1):
            months = (f.end.year - since.year) * 12 + f.end.month - since.month
            stuck.append(
                {
                    "unit": unit.name,
                    "href": unit_url[unit.pk],
                    "since": iso(since),
                    "months": months,
                }
            )
    return history_rows, stuck


def _url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])


_MARKER = 987654321987654321  # a pk no table reaches, found once in the reversed URL


def _urls(name: str, pks: list[int]) -> dict[int, str]:
    """``_url(name, pk)`` for each of ``pks``, reversed once (a reverse() costs ~60 us,
    hundreds of them milliseconds): the URL reversed for a marker pk, the marker replaced
    by each pk. Checked against a real reverse() for the first; each reversed when the
    URL does not show its pk as such."""
    if not pks:
        return {}
    head, found, tail = _url(name, _MARKER).rpartition(str(_MARKER))
    if not found or f"{head}{pks[0]}{tail}" != _url(name, pks[0]):
        return {pk: _url(name, pk) for pk in pks}
    return {pk: f"{head}{pk}{tail}" for pk in pks}


def _at_level_two_since(results: list[tuple[date | None, int | None]]) -> date | None:
    """When the unit's current stay at level 2 began, if its latest level is 2. Appraisals
    that established no level (0: their scope missed a level 2 area) are skipped."""
    rated = [(day, level) for day, level in results if level and day is not None]
    if not rated or rated[-1][1] != 2:
        return None
    since = rated[-1][0]
    for day, level in reversed(rated):
        if level != 2:
            break
        since = day
    return since


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    text = {value: str(label) for value, label in RATING_TEXT.items()}  # translated once
    cells = {
        (u, a): charts.Cell(RATING_SCORE.get(value), text.get(value, value), href)
        for u, a, value, href in figures["cells"]
    }
    heat = charts.heatmap(
        _("Latest confirmed ratings"),
        [u["name"] for u in figures["units"]],
        figures["areas"],
        cells,
        x_label=_("Process area"),
        y_label=_("Org unit"),
        low=0,
        high=1,
        row_hrefs=[u["href"] for u in figures["units"]],
        palette=charts.BINARY,
        cell_width=36,
    )
    labels = [a["date"] or a["title"] for a in figures["appraisals"]]
    series = [
        charts.Series(row["unit"], [lv if lv else None for lv in row["levels"]])
        for row in figures["levels"]
    ]
    over_time = charts.line_chart(
        _("Maturity level by org unit over time"),
        labels,
        series,
        x_label=_("Appraisal (end date)"),
        y_label=_("Maturity level"),
        y_min=1,
        y_max=5,
        width=PANEL_CHART_WIDTH,
        height=PANEL_CHART_HEIGHT,
    )
    return {"heatmap": heat, "levels": over_time}


def build_once(f: DashboardFilter) -> dict[str, Any]:
    """The panel's figures, read once for the panel and the maturity headline."""
    return once(f, "appraisals.maturity", lambda: build(f))


def latest_levels(figures: dict[str, Any]) -> list[int]:
    """Each rated unit's level at its latest Class A appraisal whose ratings are in
    force (0: not determined); a unit whose ratings all expired has none."""
    found = []
    for row in figures["levels"]:
        if "current" in row:
            if row["current"] is not None:
                found.append(row["current"])
            continue
        rated = [lv for lv in row["levels"] if lv is not None]  # briefings frozen before
        if rated:
            found.append(rated[-1])
    return found


def maturity_figure(f: DashboardFilter) -> dict[str, Any]:
    """Org units at level 3 or above (the enterprise-wide side of the Process Management
    Gap) among those rated by a closed Class A appraisal, by the end of each period."""
    now = latest_levels(build_once(f))
    before = latest_levels(build(previous_period(f)))
    return {
        "value": sum(1 for lv in now if lv >= 3) if now else None,  # none rated: no figure
        "of": len(now) if now else None,
        "previous": sum(1 for lv in before if lv >= 3) if before else None,
        "better": "higher",
        "note": _("rated org units at level 3 or above"),
        "href": reverse("appraisals:maturity"),
    }


HEADLINES = [
    Headline(
        "maturity", _lazy("Maturity"), maturity_figure, order=10, perm="appraisals.view_rating"
    )
]

PANELS = [
    Panel(
        "maturity",
        _lazy("Maturity"),
        "opf/dashboard/panels/maturity.html",
        build_once,
        order=10,
        perm="appraisals.view_rating",
        charts=draw,
    )
]
