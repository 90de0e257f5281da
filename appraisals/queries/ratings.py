"""Reads of a Class A appraisal's ratings: unit-level characterizations per practice,
goal and process-area proposals, and the maturity level (rules: ``appraisals.method``).

Each function runs a fixed number of queries, whatever the size of the scope.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from appraisals import method
from appraisals.models import Appraisal, Finding, GoalRating, PracticeCharacterization, Rating
from appraisals.queries.grid import Column, characterization_values, scope_columns
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Goal, Practice, ProcessArea


@dataclass
class Proposals:
    """What the method's rules propose, per org unit rated."""

    practices: dict[tuple[int, int], str | None] = field(default_factory=dict)  # (practice, unit)
    goals: dict[tuple[int, int], str] = field(default_factory=dict)  # (goal, unit)
    allowed: dict[tuple[int, int], str] = field(default_factory=dict)  # by its practices
    areas: dict[tuple[int, int], str] = field(default_factory=dict)  # (area, unit)


@dataclass
class _Scope:
    """The in-scope areas, their goals and practices, and the high weaknesses."""

    area_ids: list[int]
    area_level: dict[int, int | None]
    goals: list[tuple[int, int, str, str]]  # pk, area, code, kind
    practices: list[tuple[int, int, int | None]]  # pk, area, goal
    weaknesses: list[tuple[int, int | None, int | None, int | None]]  # area, practice, unit, prj


def rating_units(columns: list[Column]) -> list[OrgUnit]:
    """Org units rated: those in scope and those of in-scope projects."""
    units: dict[int, OrgUnit] = {}
    for column in columns:
        unit = column.obj.org_unit if isinstance(column.obj, Project) else column.obj
        units.setdefault(unit.pk, unit)
    return sorted(units.values(), key=lambda u: u.path)


def _unit_keys(unit: OrgUnit, columns: list[Column]) -> set[str]:
    """The places of one rated unit: itself if in scope, and its in-scope projects."""
    return {
        c.key
        for c in columns
        if (isinstance(c.obj, Project) and c.obj.org_unit.path.startswith(unit.path))
        or (not isinstance(c.obj, Project) and c.obj.pk == unit.pk)
    }


def _scope(appraisal: Appraisal) -> _Scope:
    areas = ProcessArea.objects.filter(appraisals=appraisal).values_list("pk", "maturity_level")
    goals = Goal.objects.filter(process_area__appraisals=appraisal).values_list(
        "pk", "process_area_id", "code", "kind"
    )
    practices = Practice.objects.filter(process_area__appraisals=appraisal).values_list(
        "pk", "process_area_id", "goal_id"
    )
    weaknesses = Finding.objects.filter(
        appraisal=appraisal,
        kind=Finding.Kind.WEAKNESS,
        severity=Finding.Severity.HIGH,
        archived_at__isnull=True,
    ).values_list("process_area_id", "practice_id", "org_unit_id", "project_id")
    level = dict(areas)
    return _Scope(list(level), level, list(goals), list(practices), list(weaknesses))


def _weakened(scope: _Scope, keys: set[str]) -> set[tuple[int, int | None]]:
    """(area, practice or None for the whole area) with a high weakness at these places."""
    hit = set()
    for area, practice, unit, project in scope.weaknesses:
        if (unit is None and project is None) or f"u{unit}" in keys or f"p{project}" in keys:
            hit.add((area, practice))
    return hit


def _goal_value(
    practice_ids: list[int], area: int, unit_values: dict[int, str | None], weak: set
) -> tuple[str, str]:
    """(what the practices allow, the proposal) of one goal."""
    values = [unit_values[p] for p in practice_ids]
    high = (area, None) in weak or any((area, p) in weak for p in practice_ids)
    return method.practices_allow(values), method.goal_rating(values, high_weakness=high)


def rating_proposals_in_full(appraisal: Appraisal) -> Proposals:
    """The method's proposals (``AGGREGATION_RULE``, ``GOAL_RULE``, ``AREA_RULE``)."""
    columns = scope_columns(appraisal)
    values = characterization_values(appraisal)
    scope = _scope(appraisal)
    by_goal: dict[int | None, list[int]] = defaultdict(list)
    loose: dict[int, list[int]] = defaultdict(list)  # practices without a goal, by area
    for pk, area, goal in scope.practices:
        (by_goal[goal] if goal else loose[area]).append(pk)
    rated_goals = [
        g for g in scope.goals if method.goal_key(g[2]) not in method.CONTINUOUS_ONLY_GOALS
    ]
    confirmed = confirmed_unit_values(appraisal)
    judged = judged_goal_values(appraisal)
    result = Proposals()
    for unit in rating_units(columns):
        keys = _unit_keys(unit, columns)
        proposed = {
            pk: method.aggregate(values.get((pk, key)) for key in sorted(keys))
            for pk, _area, _goal in scope.practices
        }
        result.practices.update({(pk, unit.pk): v for pk, v in proposed.items()})
        # The team's confirmed unit value, where there is one, decides the goal.
        unit_values = {pk: confirmed.get((pk, unit.pk)) or v for pk, v in proposed.items()}
        weak = _weakened(scope, keys)
        per_area: dict[int, list[str]] = defaultdict(list)
        for pk, area, code, kind in rated_goals:
            allowed, proposed_goal = _goal_value(by_goal[pk], area, unit_values, weak)
            result.goals[(pk, unit.pk)] = proposed_goal
            result.allowed[(pk, unit.pk)] = allowed
            # The team's judgment of the goal, where it applies, decides the area.
            value = method.judged_goal(allowed, proposed_goal, judged.get((pk, unit.pk)))
            if method.counts_in_staged_rating(code, kind, scope.area_level[area]):
                per_area[area].append(value)
        for area, practice_ids in loose.items():
            per_area[area].append(_goal_value(practice_ids, area, unit_values, weak)[1])
        for area in scope.area_ids:
            result.areas[(area, unit.pk)] = method.area_rating(per_area[area])
    return result


@dataclass
class ProfileRow:
    """One process area at one org unit in an indicative profile (``INDICATIVE_RULE``)."""

    org_unit: OrgUnit
    process_area: ProcessArea
    fi: int
    li: int
    pi: int
    ni: int
    undetermined: int
    indication: str

    @property
    def indication_label(self) -> str:
        return str(method.INDICATIONS[self.indication])


def indicative_profile(appraisal: Appraisal) -> list[ProfileRow]:
    """Per rated org unit and in-scope area, its staged practices counted by their
    unit-level value (the team's confirmed one, else the aggregation's); nothing for a
    Class A appraisal, which rates instead. A fixed number of queries."""
    if method.rates(appraisal.method):
        return []
    columns = scope_columns(appraisal)
    values = characterization_values(appraisal)
    confirmed = confirmed_unit_values(appraisal)
    areas = sorted(
        ProcessArea.objects.filter(appraisals=appraisal),
        key=lambda a: (a.maturity_level or 0, a.order, a.abbreviation),
    )
    level = {a.pk: a.maturity_level for a in areas}
    staged = [
        (pk, area)
        for pk, area, code, kind in Practice.objects.filter(
            process_area__appraisals=appraisal
        ).values_list("pk", "process_area_id", "goal__code", "goal__kind")
        if code is None or method.counts_in_staged_rating(code, kind, level[area])
    ]
    rows = []
    for unit in rating_units(columns):
        keys = sorted(_unit_keys(unit, columns))
        per_area: dict[int, list[str | None]] = defaultdict(list)
        for pk, area in staged:
            aggregated = method.aggregate(values.get((pk, key)) for key in keys)
            per_area[area].append(confirmed.get((pk, unit.pk)) or aggregated)
        for area in areas:
            found = per_area[area.pk]
            rows.append(
                ProfileRow(
                    unit,
                    area,
                    fi=found.count(method.FI),
                    li=found.count(method.LI),
                    pi=found.count(method.PI),
                    ni=found.count(method.NI),
                    undetermined=found.count(None),
                    indication=method.indication(found),
                )
            )
    return rows


def confirmed_unit_values(appraisal: Appraisal) -> dict[tuple[int, int], str]:
    """(practice, org unit) -> the team's confirmed unit-level characterization."""
    rows = PracticeCharacterization.objects.filter(appraisal=appraisal).exclude(value="")
    return {(p, u): v for p, u, v in rows.values_list("practice_id", "org_unit_id", "value")}


def judged_goal_values(appraisal: Appraisal) -> dict[tuple[int, int], str]:
    """(goal, org unit) -> the team's judgment of the goal (``GOAL_JUDGMENT_RULE``)."""
    rows = GoalRating.objects.filter(appraisal=appraisal).exclude(value="")
    return {(g, u): v for g, u, v in rows.values_list("goal_id", "org_unit_id", "value")}


def practice_characterizations_of(appraisal: Appraisal) -> QuerySet[PracticeCharacterization]:
    order = ("org_unit__path", "practice__process_area__order", "practice__order", "practice__code")
    return (
        PracticeCharacterization.objects.filter(appraisal=appraisal)
        .select_related("practice", "practice__process_area", "org_unit", "confirmed_by")
        .order_by(*order)
    )


def rating_proposals(appraisal: Appraisal) -> dict[tuple[int, int], str]:
    """(process area, org unit) -> the proposed rating."""
    return rating_proposals_in_full(appraisal).areas


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


def goal_ratings_of(appraisal: Appraisal) -> QuerySet[GoalRating]:
    order = ("org_unit__path", "goal__process_area__order", "goal__process_area__abbreviation")
    return (
        GoalRating.objects.filter(appraisal=appraisal)
        .select_related("goal", "goal__process_area", "org_unit", "judged_by")
        .order_by(*order, "goal__order", "goal__code")
    )


def areas_by_level(model_ids: Iterable[int]) -> dict[int, dict[int, set[int]]]:
    """model -> level (2-5) -> the model's process area pks at that level."""
    by_level: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for pk, model_id, level in ProcessArea.objects.filter(
        reference_model_id__in=set(model_ids), maturity_level__gte=2
    ).values_list("pk", "reference_model_id", "maturity_level"):
        by_level[model_id][level].add(pk)
    return by_level


def gg3_unmet(appraisal_ids: Iterable[int]) -> dict[tuple[int, int], set[int]]:
    """(appraisal, unit) -> the areas whose GG 3 is judged (or, unjudged, proposed)
    other than satisfied."""
    unmet: dict[tuple[int, int], set[int]] = defaultdict(set)
    rows = GoalRating.objects.filter(
        appraisal_id__in=set(appraisal_ids), goal__kind="generic"
    ).values_list(
        "appraisal_id",
        "org_unit_id",
        "goal__process_area_id",
        "goal__code",
        "allowed",
        "proposed",
        "value",
    )
    for appraisal_id, unit_id, area_id, code, allowed, proposed, judged in rows:
        if method.goal_key(code) != method.STAGED_GENERIC_GOALS[3]:
            continue
        if method.judged_goal(allowed, proposed, judged) != method.SATISFIED:
            unmet[(appraisal_id, unit_id)].add(area_id)
    return unmet


def maturity_by_unit(
    appraisal: Appraisal, ratings: Iterable[Rating] | None = None
) -> list[tuple[OrgUnit, int | None]]:
    """Per rated org unit, the maturity level by ``method.MATURITY_RULE`` from the
    confirmed ratings (``None``: not determined). Nothing for a class that does not rate.
    ``ratings``: ``ratings_of(appraisal)`` when the caller has read them already."""
    if not method.rates(appraisal.method):
        return []
    by_level = areas_by_level([appraisal.reference_model_id])[appraisal.reference_model_id]
    unmet = gg3_unmet([appraisal.pk])
    rated: dict[OrgUnit, dict[int, str]] = {}
    for rating in ratings_of(appraisal) if ratings is None else ratings:
        rated.setdefault(rating.org_unit, {})[rating.process_area_id] = rating.value
    return [
        (unit, method.maturity_level(by_level, values, unmet.get((appraisal.pk, unit.pk))))
        for unit, values in sorted(rated.items(), key=lambda item: item[0].path)
    ]
