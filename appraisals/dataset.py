"""Benchmark data of this app (``manage.py build_dataset``): at scale 1, 100
process needs and 40 appraisals against the loaded CMMI-DEV model, each scoped
to one org unit and a few of its projects, with 500 findings and about 500
characterizations each (20,000 of each), and the ratings closed appraisals
confirmed. Appraisals of the same unit chain through ``previous``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from appraisals import method
from appraisals.models import Appraisal, Characterization, Finding, ProcessNeed, Rating
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP
from opf.organization.dataset import Dataset
from opf.organization.models import Project
from opf.reference.models import Goal, Practice, ProcessArea, ReferenceModel

FINDINGS_PER_APPRAISAL = 500
PROJECTS_PER_APPRAISAL = 7
# The months the appraisals span at least (18: the first one closed before the
# default dashboard's previous period, 12 months, and in force for 36).
SPAN_MONTHS = 18


def build(data: Dataset) -> None:
    build_needs(data)
    model, areas, practices = build_model()
    data.areas = list(
        ProcessArea.objects.filter(reference_model__builtin=True, maturity_level__in=(2, 3))
        .order_by("maturity_level", "abbreviation")
        .values_list("pk", flat=True)
    )
    appraisals = build_appraisals(data, model, areas)
    build_results(data, appraisals, practices)


def build_model() -> tuple[ReferenceModel, list[ProcessArea], dict[int, list[int]]]:
    """A bench copy of the shipped model's maturity level 2 and 3 process areas,
    with eight specific practices each (CMMI-DEV ships OPF's practices only)."""
    model = ReferenceModel.objects.create(
        abbreviation="BENCH", name="Bench reference model", version="1"
    )
    shipped = ProcessArea.objects.filter(maturity_level__in=(2, 3), reference_model__builtin=True)
    areas = ProcessArea.objects.bulk_create(
        ProcessArea(
            reference_model=model,
            abbreviation=area.abbreviation,
            name=area.name,
            category=area.category,
            maturity_level=area.maturity_level,
            order=area.order,
        )
        for area in shipped.order_by("maturity_level", "abbreviation")
    )
    if not areas:  # no shipped model: a small synthetic one
        areas = ProcessArea.objects.bulk_create(
            ProcessArea(
                reference_model=model,
                abbreviation=f"PA{i}",
                name=f"Process area {i}",
                maturity_level=2 + i % 2,
                order=i,
            )
            for i in range(12)
        )
    goals = Goal.objects.bulk_create(
        Goal(process_area=area, code="SG 1", name="Specific goal 1", order=1) for area in areas
    )
    made = Practice.objects.bulk_create(
        Practice(
            process_area=area,
            goal=goal,
            code=f"SP 1.{n}",
            name=f"{area.abbreviation} practice {n}",
            order=n,
        )
        for area, goal in zip(areas, goals, strict=True)
        for n in range(1, 9)
    )
    practices: dict[int, list[int]] = defaultdict(list)
    for practice in made:
        practices[practice.process_area_id].append(practice.pk)
    return model, areas, practices


def build_needs(data: Dataset) -> None:
    kinds = [k.value for k in ProcessNeed.Kind]
    owners = data.users[PROCESS_GROUP.slug]
    ProcessNeed.objects.bulk_create(
        ProcessNeed(
            statement=f"Need {i}: deliver within 10% of the committed schedule",
            kind=kinds[i % len(kinds)],
            source="Bench strategy",
            owner=owners[i % len(owners)],
            priority=1 + i % 5,
        )
        for i in range(data.count(100, 3))
    )


def build_appraisals(
    data: Dataset, model: ReferenceModel, areas: list[ProcessArea]
) -> list[Appraisal]:
    """A monthly appraisal (spread over ``SPAN_MONTHS`` at least), the latest in
    progress and the one before planned (others closed), each with a unit, its first
    projects, eight areas and a team of two; an appraisal of a unit already appraised
    follows the previous one."""
    appraisals = Appraisal.objects.bulk_create(_appraisal_rows(data, model))
    _link_appraisals(data, appraisals, areas)
    return appraisals


def _appraisal_rows(data: Dataset, model: ReferenceModel) -> list[Appraisal]:
    methods = [m.value for m in Appraisal.Method]
    appraisers = data.users[APPRAISER.slug]
    executives = data.users[EXECUTIVE.slug]
    total = data.count(40, 2)
    # Monthly at scale 1 and above; below, spread over SPAN_MONTHS at least, so that at
    # any scale the first (rated) appraisal closed before the dashboard's previous
    # period and is still in force: the maturity panel asks the same queries for both
    # periods at every scale (an empty period asks fewer: nothing to look up).
    step = 30 * max(1.0, SPAN_MONTHS / total)
    appraisals: list[Appraisal] = []
    for i in range(total):
        start = data.today - timedelta(days=round(step * (total - i)))
        state = (
            Appraisal.State.IN_PROGRESS
            if i == total - 1
            else Appraisal.State.PLANNED
            if i == total - 2 and total >= 3
            else Appraisal.State.CLOSED
        )
        appraisals.append(
            Appraisal(
                title=f"Bench appraisal {i:03d}",
                method=methods[i % len(methods)],
                reference_model=model,
                sponsor=executives[i % len(executives)],
                lead_appraiser=appraisers[i % len(appraisers)],
                planned_start=start,
                planned_end=start + timedelta(days=5),
                actual_start=start if state != Appraisal.State.PLANNED else None,
                actual_end=start + timedelta(days=5) if state == Appraisal.State.CLOSED else None,
                state=state,
            )
        )
    return appraisals


def _link_appraisals(data: Dataset, appraisals: list[Appraisal], areas: list[ProcessArea]) -> None:
    """Scope, team and previous appraisal; the scope is also kept on each appraisal
    (``bench_unit``, ``bench_projects``, ``bench_areas``) for ``build_results``."""
    units = data.units[1:]  # the divisions and departments, not the root
    projects_of: dict[int, list[Project]] = defaultdict(list)
    for project in data.projects:
        projects_of[project.org_unit_id].append(project)
    appraisers = data.users[APPRAISER.slug]
    unit_links, project_links, area_links, team_links = [], [], [], []
    last_of_unit: dict[int, Appraisal] = {}
    chained = []
    for i, appraisal in enumerate(appraisals):
        unit = units[i % len(units)]
        appraisal.bench_unit = unit  # type: ignore[attr-defined]
        appraisal.bench_projects = projects_of[unit.pk][:PROJECTS_PER_APPRAISAL]  # type: ignore[attr-defined]
        appraisal.bench_areas = [areas[(i + k) % len(areas)] for k in range(8)]  # type: ignore[attr-defined]
        unit_links.append(
            Appraisal.org_units.through(appraisal_id=appraisal.pk, orgunit_id=unit.pk)
        )
        project_links += [
            Appraisal.projects.through(appraisal_id=appraisal.pk, project_id=p.pk)
            for p in appraisal.bench_projects  # type: ignore[attr-defined]
        ]
        area_links += [
            Appraisal.process_areas.through(appraisal_id=appraisal.pk, processarea_id=a.pk)
            for a in appraisal.bench_areas  # type: ignore[attr-defined]
        ]
        team = {appraisal.lead_appraiser_id, appraisers[(i + 1) % len(appraisers)].pk}
        team_links += [Appraisal.team.through(appraisal_id=appraisal.pk, user_id=u) for u in team]
        if unit.pk in last_of_unit:
            appraisal.previous = last_of_unit[unit.pk]
            chained.append(appraisal)
        last_of_unit[unit.pk] = appraisal
    Appraisal.org_units.through.objects.bulk_create(unit_links)
    Appraisal.projects.through.objects.bulk_create(project_links, batch_size=2000)
    Appraisal.process_areas.through.objects.bulk_create(area_links, batch_size=2000)
    Appraisal.team.through.objects.bulk_create(team_links, batch_size=2000)
    Appraisal.objects.bulk_update(chained, ["previous"])


def build_results(
    data: Dataset, appraisals: list[Appraisal], practices: dict[int, list[int]]
) -> None:
    """Findings and characterizations of every appraisal but the planned one; ratings
    of the Class A ones."""
    findings: list[Finding] = []
    characterizations: list[Characterization] = []
    ratings: list[Rating] = []
    for appraisal in appraisals:
        if appraisal.state == Appraisal.State.PLANNED:
            continue
        findings += _findings(data, appraisal, practices)
        characterizations += _characterizations(data, appraisal, practices)
        if method.rates(appraisal.method):  # only Class A rates (#18)
            ratings += _ratings(data, appraisal)
    Finding.objects.bulk_create(findings, batch_size=2000)
    Characterization.objects.bulk_create(characterizations, batch_size=2000)
    Rating.objects.bulk_create(ratings, batch_size=2000)


def _findings(
    data: Dataset, appraisal: Appraisal, practices: dict[int, list[int]]
) -> list[Finding]:
    """``FINDINGS_PER_APPRAISAL`` findings on the unit, over the appraisal's areas."""
    kinds = [k.value for k in Finding.Kind]
    severities = [s.value for s in Finding.Severity]
    unit = appraisal.bench_unit  # type: ignore[attr-defined]
    areas = appraisal.bench_areas  # type: ignore[attr-defined]
    findings = []
    for n in range(FINDINGS_PER_APPRAISAL):
        area = areas[n % len(areas)]
        area_practices: Sequence[int | None] = practices.get(area.pk) or [None]
        findings.append(
            Finding(
                appraisal=appraisal,
                process_area=area,
                practice_id=area_practices[n % len(area_practices)],
                kind=kinds[n % len(kinds)],
                statement=f"Observation {n} on {area.abbreviation}",
                severity=severities[data.rng.randrange(len(severities))],
                org_unit_id=unit.pk,
            )
        )
    return findings


def _characterizations(
    data: Dataset, appraisal: Appraisal, practices: dict[int, list[int]]
) -> list[Characterization]:
    """The areas' practices on the unit and the projects, at most
    ``FINDINGS_PER_APPRAISAL`` of them, never "not yet"."""
    values = [v.value for v in Characterization.Value if v != Characterization.Value.NY]
    unit = appraisal.bench_unit  # type: ignore[attr-defined]
    places = [("unit", unit.pk)] + [("project", p.pk) for p in appraisal.bench_projects]  # type: ignore[attr-defined]
    characterizations = []
    made = 0
    for area in appraisal.bench_areas:  # type: ignore[attr-defined]
        for practice_id in practices.get(area.pk, []):
            for kind, pk in places:
                if made >= FINDINGS_PER_APPRAISAL:
                    break
                characterizations.append(
                    Characterization(
                        appraisal=appraisal,
                        practice_id=practice_id,
                        value=values[data.rng.randrange(len(values))],
                        org_unit_id=pk if kind == "unit" else None,
                        project_id=pk if kind == "project" else None,
                    )
                )
                made += 1
    return characterizations


def _ratings(data: Dataset, appraisal: Appraisal) -> list[Rating]:
    """A rating per area on the unit, about 70% satisfied; confirmed when closed."""
    closed = appraisal.state == Appraisal.State.CLOSED
    ratings = []
    for area in appraisal.bench_areas:  # type: ignore[attr-defined]
        verdict = Rating.Value.SATISFIED if data.rng.random() < 0.7 else Rating.Value.NOT_SATISFIED
        ratings.append(
            Rating(
                appraisal=appraisal,
                process_area=area,
                org_unit_id=appraisal.bench_unit.pk,  # type: ignore[attr-defined]
                proposed=verdict,
                value=verdict if closed else "",
                confirmed_by_id=appraisal.lead_appraiser_id if closed else None,
            )
        )
    return ratings


STEPS = [build]
