"""The characterization grid: in-scope practices by places, with evidence coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from appraisals import method
from appraisals.models import Appraisal, Characterization, Evidence
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice


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
    kinds: set[str] = field(default_factory=set)
    carried_over: bool = False  # copied from the previous appraisal, not yet confirmed

    @property
    def id(self) -> str:
        return f"c-{self.practice.pk}-{self.column.key}"

    @property
    def direct(self) -> bool:
        return method.DIRECT in self.kinds

    @property
    def indirect(self) -> bool:
        return method.INDIRECT in self.kinds

    @property
    def affirmation(self) -> bool:
        return method.AFFIRMATION in self.kinds

    @property
    def covered(self) -> bool:
        """The coverage rule (``method.COVERAGE_RULE``)."""
        return method.covered(self.kinds)


@dataclass
class GridRow:
    practice: Practice
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Coverage:
    """How many practice instances of the grid meet the coverage rule."""

    covered: int
    total: int


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


def place_key(unit_id: int | None, project_id: int | None) -> str:
    return f"p{project_id}" if project_id else f"u{unit_id}"


def characterization_values(appraisal: Appraisal) -> dict[tuple[int, str], str]:
    values = {}
    for practice_id, unit_id, project_id, value in Characterization.objects.filter(
        appraisal=appraisal
    ).values_list("practice_id", "org_unit_id", "project_id", "value"):
        values[(practice_id, place_key(unit_id, project_id))] = value
    return values


def carried_over_cells(appraisal: Appraisal) -> set[tuple[int, str]]:
    """(practice, place) of the characterizations still carried over, unconfirmed."""
    rows = Characterization.objects.filter(appraisal=appraisal, carried_over=True)
    return {
        (practice_id, place_key(unit_id, project_id))
        for practice_id, unit_id, project_id in rows.values_list(
            "practice_id", "org_unit_id", "project_id"
        )
    }


def evidence_coverage(appraisal: Appraisal) -> dict[tuple[int, str], set[str]]:
    """(practice, place) -> the types of the evidence (not archived) mapped to it."""
    through = Evidence.practices.through
    coverage: dict[tuple[int, str], set[str]] = defaultdict(set)
    for practice_id, unit_id, project_id, kind in through.objects.filter(
        evidence__appraisal=appraisal, evidence__archived_at__isnull=True
    ).values_list("practice_id", "evidence__org_unit_id", "evidence__project_id", "evidence__kind"):
        coverage[(practice_id, place_key(unit_id, project_id))].add(kind)
    return coverage


def cell(appraisal: Appraisal, practice: Practice, column: Column) -> Cell:
    """One cell, freshly read (after a change)."""
    key = (practice.pk, column.key)
    value = characterization_values(appraisal).get(key)
    kinds = evidence_coverage(appraisal).get(key, set())
    return Cell(practice, column, value, kinds, key in carried_over_cells(appraisal))


def characterization_grid(appraisal: Appraisal) -> tuple[list[Column], list[GridRow]]:
    """Rows: in-scope practices; columns: in-scope places; six queries in all."""
    columns = scope_columns(appraisal)
    values = characterization_values(appraisal)
    coverage = evidence_coverage(appraisal)
    carried = carried_over_cells(appraisal)
    rows = []
    for practice in scope_practices(appraisal):
        row = GridRow(practice)
        for column in columns:
            key = (practice.pk, column.key)
            cell = Cell(practice, column, values.get(key), coverage.get(key, set()), key in carried)
            row.cells.append(cell)
        rows.append(row)
    return columns, rows


def grid_coverage(rows: list[GridRow]) -> Coverage:
    """ "x of y instances covered", over the grid's cells."""
    cells = [c for row in rows for c in row.cells]
    return Coverage(sum(1 for c in cells if c.covered), len(cells))


def coverage_warning(characterization: Characterization) -> str:
    """The warning a Class B or C team sees on FI/LI without coverage (else empty)."""
    if method.needs_coverage(characterization.value) and not characterization.instance_covered():
        return str(method.COVERAGE_RULE)
    return ""
