"""Reads of an appraisal: the characterization grid with evidence coverage, rating
proposals, changes since the previous appraisal, maturity by org unit.

Each function runs a fixed number of queries, whatever the size of the scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from appraisals.models import Appraisal, Characterization, Evidence, Finding, Rating
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ProcessArea

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class Column:
    key: str  # "u<pk>" or "p<pk>"
    obj: OrgUnit | Project

    @property
    def is_project(self) -> bool:
        return self.key.startswith("p")


@dataclass
class Cell:
    practice: Practice
    column: Column
    value: str | None
    artifact: bool
    affirmation: bool

    @property
    def id(self) -> str:
        return f"c-{self.practice.pk}-{self.column.key}"

    @property
    def covered(self) -> bool:
        return self.artifact and self.affirmation


@dataclass
class GridRow:
    practice: Practice
    cells: list[Cell] = field(default_factory=list)


def scope_columns(appraisal: Appraisal) -> list[Column]:
    """The places practices are characterized in: org units, then projects."""
    units = [Column(f"u{u.pk}", u) for u in appraisal.org_units.all()]
    projects = [Column(f"p{p.pk}", p) for p in appraisal.projects.select_related("org_unit").all()]
    return units + projects


def scope_practices(appraisal: Appraisal) -> QuerySet[Practice]:
    return (
        Practice.objects.filter(process_area__appraisals=appraisal)
        .select_related("process_area", "goal")
        .order_by("process_area__order", "process_area__abbreviation", "order", "code")
    )


def characterization_values(appraisal: Appraisal) -> dict[tuple[int, str], str]:
    values = {}
    for practice_id, unit_id, project_id, value in Characterization.objects.filter(
        appraisal=appraisal
    ).values_list("practice_id", "org_unit_id", "project_id", "value"):
        values[(practice_id, f"p{project_id}" if project_id else f"u{unit_id}")] = value
    return values


def evidence_coverage(appraisal: Appraisal) -> dict[tuple[int, str], set[str]]:
    """(practice, place) -> the evidence kinds mapped to it."""
    through = Evidence.practices.through
    coverage: dict[tuple[int, str], set[str]] = defaultdict(set)
    for practice_id, unit_id, project_id, kind in through.objects.filter(
        evidence__appraisal=appraisal
    ).values_list("practice_id", "evidence__org_unit_id", "evidence__project_id", "evidence__kind"):
        coverage[(practice_id, f"p{project_id}" if project_id else f"u{unit_id}")].add(kind)
    return coverage


def cell(appraisal: Appraisal, practice: Practice, column: Column) -> Cell:
    """One cell, freshly read (after a change)."""
    key = (practice.pk, column.key)
    value = characterization_values(appraisal).get(key)
    kinds = evidence_coverage(appraisal).get(key, set())
    return Cell(
        practice,
        column,
        value,
        Evidence.Kind.ARTIFACT in kinds,
        Evidence.Kind.AFFIRMATION in kinds,
    )


def characterization_grid(appraisal: Appraisal) -> tuple[list[Column], list[GridRow]]:
    """Rows: in-scope practices; columns: in-scope places; five queries in all."""
    columns = scope_columns(appraisal)
    values = characterization_values(appraisal)
    coverage = evidence_coverage(appraisal)
    rows = []
    for practice in scope_practices(appraisal):
        row = GridRow(practice)
        for column in columns:
            kinds = coverage.get((practice.pk, column.key), set())
            row.cells.append(
                Cell(
                    practice,
                    column,
                    values.get((practice.pk, column.key)),
                    Evidence.Kind.ARTIFACT in kinds,
                    Evidence.Kind.AFFIRMATION in kinds,
                )
            )
        rows.append(row)
    return columns, rows


def rating_units(columns: list[Column]) -> list[OrgUnit]:
    """Org units rated: those in scope and those of in-scope projects."""
    units: dict[int, OrgUnit] = {}
    for column in columns:
        unit = column.obj.org_unit if isinstance(column.obj, Project) else column.obj
        units.setdefault(unit.pk, unit)
    return sorted(units.values(), key=lambda u: u.path)


RATING_RULE = _(
    "A process area is proposed Satisfied for an org unit when every in-scope practice is "
    "characterized Fully or Largely implemented in the unit and in each of its in-scope "
    "projects, and no high-severity weakness was found there; Not satisfied when any is "
    "Partially or Not implemented or a high-severity weakness exists; otherwise (a practice "
    "not yet characterized, or none loaded) Not rated. The lead appraiser confirms the "
    "proposal or overrides it with a reason."
)


def propose_rating(values: list[str | None], *, high_weakness: bool) -> str:
    """The rating rule (see ``RATING_RULE``); ``None`` is a missing characterization."""
    Value = Characterization.Value
    if high_weakness or any(v in (Value.PI, Value.NI) for v in values):
        return Rating.Value.NOT_SATISFIED
    if not values or any(v in (None, Value.NY) for v in values):
        return Rating.Value.NOT_RATED
    return Rating.Value.SATISFIED


def rating_proposals(appraisal: Appraisal) -> dict[tuple[int, int], str]:
    """(process area, org unit) -> the proposed rating, by :func:`propose_rating`."""
    columns = scope_columns(appraisal)
    values = characterization_values(appraisal)
    practices_by_area: dict[int, list[int]] = defaultdict(list)
    for practice_id, area_id in Practice.objects.filter(
        process_area__appraisals=appraisal
    ).values_list("pk", "process_area_id"):
        practices_by_area[area_id].append(practice_id)
    weaknesses = list(
        Finding.objects.filter(
            appraisal=appraisal,
            kind=Finding.Kind.WEAKNESS,
            severity=Finding.Severity.HIGH,
            archived_at__isnull=True,
        ).values_list("process_area_id", "org_unit_id", "project_id")
    )
    area_ids = list(appraisal.process_areas.values_list("pk", flat=True))
    proposals = {}
    for unit in rating_units(columns):
        places = [
            c
            for c in columns
            if (isinstance(c.obj, Project) and c.obj.org_unit.path.startswith(unit.path))
            or (not isinstance(c.obj, Project) and c.obj.pk == unit.pk)
        ]
        keys = {c.key for c in places}
        for area_id in area_ids:
            cells = [values.get((p, key)) for p in practices_by_area[area_id] for key in keys]
            high = any(
                a == area_id
                and (
                    (u is None and p is None)
                    or (u is not None and f"u{u}" in keys)
                    or (p is not None and f"p{p}" in keys)
                )
                for a, u, p in weaknesses
            )
            proposals[(area_id, unit.pk)] = propose_rating(cells, high_weakness=high)
    return proposals


def unconfirmed_ratings(appraisal: Appraisal) -> list[str]:
    return [
        f"{r.process_area.abbreviation} @ {r.org_unit}"
        for r in Rating.objects.filter(appraisal=appraisal, value="").select_related(
            "process_area", "org_unit"
        )
    ]


def ratings_of(appraisal: Appraisal) -> QuerySet[Rating]:
    return Rating.objects.filter(appraisal=appraisal).select_related(
        "process_area", "org_unit", "confirmed_by"
    )


CHARACTERIZATION_ORDER = {"NI": 1, "PI": 2, "LI": 3, "FI": 4}
RATING_ORDER = {"not_satisfied": 1, "satisfied": 2}


@dataclass
class Change:
    what: str
    before: StrOrPromise
    after: StrOrPromise
    up: bool


def changes_since_previous(appraisal: Appraisal) -> list[Change]:
    """Practices (per place) and ratings that moved up or down since the previous appraisal."""
    previous = appraisal.previous
    if previous is None:
        return []
    changes: list[Change] = []
    practices = {p.pk: p for p in scope_practices(appraisal)}
    places = {c.key: c.obj for c in scope_columns(appraisal)}
    before = characterization_values(previous)
    for key, after in characterization_values(appraisal).items():
        old = before.get(key)
        a, b = CHARACTERIZATION_ORDER.get(after), CHARACTERIZATION_ORDER.get(old or "")
        if a and b and a != b and old is not None and key[0] in practices:
            changes.append(
                Change(
                    f"{practices[key[0]].code} @ {places.get(key[1], key[1])}", old, after, a > b
                )
            )
    old_ratings = {(r.process_area_id, r.org_unit_id): r.value for r in ratings_of(previous)}
    for rating in ratings_of(appraisal):
        old = old_ratings.get((rating.process_area_id, rating.org_unit_id))
        a, b = RATING_ORDER.get(rating.value), RATING_ORDER.get(old or "")
        if a and b and a != b and old is not None:
            changes.append(
                Change(
                    f"{rating.process_area.abbreviation} @ {rating.org_unit}",
                    dict(Rating.Value.choices)[old],
                    rating.get_value_display(),
                    a > b,
                )
            )
    return changes


def maturity_by_unit(appraisal: Appraisal) -> list[tuple[OrgUnit, int | None]]:
    """Per rated org unit, the highest maturity level L (2-5) such that every process area
    of the model at levels 2..L is confirmed Satisfied (or Not applicable); 1 when level 2
    is not reached; None when the scope did not cover all of level 2's process areas."""
    by_level: dict[int, set[int]] = defaultdict(set)
    for pk, level in ProcessArea.objects.filter(
        reference_model_id=appraisal.reference_model_id, maturity_level__gte=2
    ).values_list("pk", "maturity_level"):
        by_level[level].add(pk)
    rated: dict[OrgUnit, dict[int, str]] = {}
    for rating in ratings_of(appraisal):
        rated.setdefault(rating.org_unit, {})[rating.process_area_id] = rating.value
    return [
        (unit, maturity_level(by_level, values))
        for unit, values in sorted(rated.items(), key=lambda item: item[0].path)
    ]


def findings_by_area(appraisal: Appraisal) -> list[tuple[ProcessArea, list[Finding]]]:
    findings = (
        Finding.objects.filter(appraisal=appraisal, archived_at__isnull=True)
        .select_related("process_area", "practice", "org_unit", "project")
        .order_by("process_area__order", "process_area__abbreviation", "kind", "pk")
    )
    grouped: dict[ProcessArea, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.process_area, []).append(finding)
    return list(grouped.items())


def team_of(appraisal: Appraisal) -> list[Any]:
    return list(appraisal.team.all())


@dataclass
class MaturityRow:
    unit: OrgUnit
    levels: list[int | None]  # one per appraisal column


def maturity_over_time() -> tuple[list[Appraisal], list[MaturityRow]]:
    """Org units by closed appraisals (oldest first): the maturity level each appraisal
    established from its confirmed ratings (the rule of ``maturity_by_unit``).
    Three queries, whatever the number of appraisals, units and ratings."""
    appraisals = list(
        Appraisal.objects.filter(state=Appraisal.State.CLOSED)
        .select_related("reference_model")
        .order_by("actual_end", "pk")
    )
    by_level: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for pk, model_id, level in (
        ProcessArea.objects.filter(
            reference_model__appraisals__in=appraisals, maturity_level__gte=2
        )
        .distinct()
        .values_list("pk", "reference_model_id", "maturity_level")
    ):
        by_level[model_id][level].add(pk)
    values: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    units: dict[int, OrgUnit] = {}
    for rating in Rating.objects.filter(appraisal__in=appraisals).select_related("org_unit"):
        units[rating.org_unit_id] = rating.org_unit
        values[(rating.appraisal_id, rating.org_unit_id)][rating.process_area_id] = rating.value
    rows = []
    for unit in sorted(units.values(), key=lambda u: u.path):
        levels: list[int | None] = []
        for appraisal in appraisals:
            rated = values.get((appraisal.pk, unit.pk))
            if rated is None:
                levels.append(None)  # not appraised
            else:  # 0: not determined (the scope missed a level 2 area)
                levels.append(maturity_level(by_level[appraisal.reference_model_id], rated) or 0)
        rows.append(MaturityRow(unit, levels))
    return appraisals, rows


def maturity_level(by_level: dict[int, set[int]], values: dict[int, str]) -> int | None:
    """The maturity rule: the highest level L (2-5) such that every process area at levels
    2..L (``by_level``: level -> process area pks of the model) is rated Satisfied or Not
    applicable in ``values`` (process area pk -> rating value); 1 when level 2 is not
    reached; None when ``values`` miss one of level 2's process areas."""
    good = {Rating.Value.SATISFIED, Rating.Value.NOT_APPLICABLE}
    if not by_level.get(2) or not by_level[2] <= set(values):
        return None
    level = 1
    for candidate in range(2, 6):
        areas = by_level.get(candidate, set())
        if not areas or not areas <= set(values) or any(values[a] not in good for a in areas):
            break
        level = candidate
    return level


def report(appraisal: Appraisal) -> dict[str, Any]:
    """The findings report, as the page and the PDF show it."""
    return {
        "appraisal": appraisal,
        "areas": findings_by_area(appraisal),
        "ratings": ratings_of(appraisal),
        "recommendations": appraisal.recommendations.select_related("process_area"),
        "changes": changes_since_previous(appraisal),
        "maturity": maturity_by_unit(appraisal),
        "rating_rule": RATING_RULE,
        "team": team_of(appraisal),
    }
