"""Reads of an appraisal: the characterization grid with evidence coverage
(``grid``), rating proposals and maturity (``ratings``), changes since the previous
appraisal, maturity by org unit over time, the report.

Each function runs a fixed number of queries, whatever the size of the scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from appraisals import method
from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingsValidation,
    LeadAppraiserQualification,
    Rating,
)
from appraisals.queries.grid import (
    Cell,
    Column,
    Coverage,
    GridRow,
    cell,
    characterization_grid,
    characterization_values,
    coverage_warning,
    evidence_coverage,
    grid_coverage,
    scope_columns,
    scope_practices,
)
from appraisals.queries.ratings import (
    ProfileRow,
    Proposals,
    areas_by_level,
    confirmed_unit_values,
    gg3_unmet,
    goal_ratings_of,
    indicative_profile,
    maturity_by_unit,
    practice_characterizations_of,
    rating_proposals,
    rating_proposals_in_full,
    rating_units,
    ratings_of,
    unconfirmed_ratings,
)
from opf.organization.models import OrgUnit, Project
from opf.reference.models import ProcessArea

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "Cell",
    "Column",
    "Coverage",
    "GridRow",
    "ProfileRow",
    "Proposals",
    "cell",
    "characterization_grid",
    "characterization_values",
    "confirmed_unit_values",
    "coverage_warning",
    "evidence_coverage",
    "findings_with_places",
    "goal_ratings_of",
    "grid_coverage",
    "indicative_profile",
    "maturity_by_unit",
    "practice_characterizations_of",
    "rating_proposals",
    "rating_proposals_in_full",
    "rating_units",
    "ratings_of",
    "scope_columns",
    "scope_practices",
    "unconfirmed_ratings",
]

CHARACTERIZATION_ORDER = {"NI": 1, "PI": 2, "LI": 3, "FI": 4}
RATING_ORDER = {"not_satisfied": 1, "satisfied": 2}


@dataclass
class Change:
    what: str
    before: StrOrPromise
    after: StrOrPromise
    up: bool


def changes_since_previous(
    appraisal: Appraisal, ratings: list[Rating] | None = None
) -> list[Change]:
    """Practices (per place) and ratings that moved up or down since the previous appraisal
    (``ratings``: ``ratings_of(appraisal)`` when the caller has read them already)."""
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
    for rating in ratings_of(appraisal) if ratings is None else ratings:
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


def carried_over_counts(appraisal: Appraisal) -> dict[str, int]:
    """How much of what a follow-up copied from the previous appraisal still waits for
    the team to confirm or change it."""
    return {
        "cells": Characterization.objects.filter(appraisal=appraisal, carried_over=True).count(),
        "evidence": Evidence.objects.filter(
            appraisal=appraisal, carried_over=True, archived_at__isnull=True
        ).count(),
    }


# What the report (page and PDF) shows of a finding, its area and practice; its place
# comes by ``findings_with_places``.
REPORTED_FINDING_FIELDS = (
    "appraisal",
    "org_unit",
    "project",
    "kind",
    "statement",
    "severity",
    "process_area__abbreviation",
    "process_area__name",
    "practice__code",
)


def findings_with_places(findings: QuerySet[Finding], limit: int | None = None) -> list[Finding]:
    """``findings`` (the first ``limit``) read, each with its org unit or project
    (``where``: the place's name) in the same query. The places are looked up row by
    row through their keys: joined, every project and unit of the organization would
    be read to match hundreds of findings. Each place is one instance, shared."""
    rows = findings.annotate(
        place_unit=Subquery(OrgUnit.objects.filter(pk=OuterRef("org_unit_id")).values("name")[:1]),
        place_project=Subquery(
            Project.objects.filter(pk=OuterRef("project_id")).values("name")[:1]
        ),
    )
    kinds = (("project", Project, "place_project"), ("org_unit", OrgUnit, "place_unit"))
    places: dict[tuple[str, int], Any] = {}
    found: list[Any] = list(rows[:limit] if limit is not None else rows)
    for finding in found:
        for field, model, name in kinds:
            pk = getattr(finding, f"{field}_id")
            if pk:
                if (field, pk) not in places:
                    values = [pk, getattr(finding, name)]
                    places[field, pk] = model.from_db(finding._state.db, ["id", "name"], values)
                setattr(finding, field, places[field, pk])
                break
    return found


def findings_by_area(appraisal: Appraisal) -> list[tuple[ProcessArea, list[Finding]]]:
    """The findings (not archived) by process area, in one query that reads only what
    the report shows (hundreds of rows at a time)."""
    findings = findings_with_places(
        Finding.objects.filter(appraisal=appraisal, archived_at__isnull=True)
        .select_related("process_area", "practice")
        .only(*REPORTED_FINDING_FIELDS)
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
    current: int | None = None  # the level of the latest appraisal still in force
    expires: date | None = None  # when that appraisal's ratings expire (EXPIRY_RULE)


def maturity_over_time(today: date | None = None) -> tuple[list[Appraisal], list[MaturityRow]]:
    """Org units by closed Class A appraisals (oldest first): the maturity level each
    established from its confirmed ratings (``method.MATURITY_RULE``; 0: not
    determined), and the one in force ``today`` with its expiry (``EXPIRY_RULE``).
    Four queries, whatever the number of appraisals, units and ratings."""
    today = today or timezone.localdate()
    appraisals = list(
        Appraisal.objects.filter(state=Appraisal.State.CLOSED, method__in=method.RATING_METHODS)
        .select_related("reference_model")
        .order_by("actual_end", "pk")
    )
    by_level = areas_by_level(a.reference_model_id for a in appraisals)
    unmet = gg3_unmet(a.pk for a in appraisals)
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
            else:
                level = method.maturity_level(
                    by_level[appraisal.reference_model_id],
                    rated,
                    unmet.get((appraisal.pk, unit.pk)),
                )
                levels.append(level or 0)
        row = MaturityRow(unit, levels)
        for appraisal, level in zip(appraisals, levels, strict=True):
            expires = method.ratings_expire(appraisal.actual_end)
            if level is not None and expires is not None and expires > today:
                row.current, row.expires = level, expires  # later appraisals overwrite
        rows.append(row)
    return appraisals, rows


def report(appraisal: Appraisal) -> dict[str, Any]:
    """The findings report, as the page and the PDF show it."""
    rates = method.rates(appraisal.method)
    # Read once for the table, maturity and the changes (which need them even unrated).
    ratings = list(ratings_of(appraisal)) if rates or appraisal.previous_id else []
    return {
        "appraisal": appraisal,
        "areas": findings_by_area(appraisal),
        "ratings": ratings if rates else [],
        "recommendations": appraisal.recommendations.select_related("process_area"),
        "changes": changes_since_previous(appraisal, ratings),
        "carried": carried_over_counts(appraisal),
        "maturity": maturity_by_unit(appraisal, ratings),
        "rates": rates,
        "rules": rules(),
        "expires": method.ratings_expire(appraisal.actual_end),
        "team": team_of(appraisal),
    }


def disclosure(appraisal: Appraisal) -> dict[str, Any]:
    """The appraisal disclosure statement (ADS), as the page and the PDF show it:
    organizational unit and sampling, model and representation, method and version,
    sponsor, lead (with certificate) and team, dates, validation, ratings and expiry."""
    rates = method.rates(appraisal.method)
    lead_certificate = None
    if appraisal.lead_appraiser_id:
        first = appraisal.planned_start or appraisal.actual_start
        last = appraisal.actual_end or appraisal.planned_end or first
        if first and last:
            lead_certificate = (
                LeadAppraiserQualification.valid_between(first, last)
                .filter(person_id=appraisal.lead_appraiser_id)
                .order_by("-expires_on")
                .first()
            )
    return {
        "appraisal": appraisal,
        "units": list(appraisal.org_units.all()),
        "projects": list(appraisal.projects.select_related("org_unit")),
        "areas": list(appraisal.process_areas.order_by("maturity_level", "order")),
        "team": team_of(appraisal),
        "lead_certificate": lead_certificate,
        "method_version": method.METHOD_VERSION,
        "validations": list(
            FindingsValidation.objects.filter(appraisal=appraisal).order_by("held_on")
        ),
        "rates": rates,
        "ratings": list(ratings_of(appraisal).exclude(value="")) if rates else [],
        "judgments": [g for g in goal_ratings_of(appraisal).exclude(value="") if g.departs]
        if rates
        else [],
        "maturity": maturity_by_unit(appraisal),
        "expires": method.ratings_expire(appraisal.actual_end) if rates else None,
        "rules": rules(),
    }


def rules() -> dict[str, Any]:
    """The method's rule texts, shown where they decide."""
    return {
        "class_rule": method.CLASS_RULE,
        "aggregation_rule": method.AGGREGATION_RULE,
        "goal_rule": method.GOAL_RULE,
        "goal_judgment_rule": method.GOAL_JUDGMENT_RULE,
        "indicative_rule": method.INDICATIVE_RULE,
        "area_rule": method.AREA_RULE,
        "maturity_rule": method.MATURITY_RULE,
        "coverage_rule": method.COVERAGE_RULE,
        "unit_characterization_rule": method.UNIT_CHARACTERIZATION_RULE,
        "expiry_rule": method.EXPIRY_RULE,
        "validation_rule": method.VALIDATION_RULE,
    }
