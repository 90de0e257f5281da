"""Demo data: process needs and two appraisals of the demo organization (one closed
with confirmed ratings, its follow-up in progress), plus an older SCAMPI A that left
Ground Systems at level 2, made through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from appraisals import services
from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    LeadAppraiserQualification,
    ProcessNeed,
    Recommendation,
)
from opf.core.accounts import User
from opf.core.services import save_object
from opf.organization.demo import Demo
from opf.reference.models import Practice, ProcessArea, ReferenceModel

NEEDS = [
    # kind, statement, source, priority, (measure, target, unit)
    (
        "business_objective",
        "Deliver avionics releases on the committed date: customers penalize late deliveries.",
        "Strategy 2026, goal 2",
        1,
        None,
    ),
    (
        "performance_objective",
        "Keep schedule variance of development projects within ±10%.",
        "Steering committee, March",
        1,
        ("Schedule variance at release", Decimal("10"), "%"),
    ),
    (
        "performance_objective",
        "Fewer than 0.5 defects per KLOC escape to customers.",
        "Quality policy",
        2,
        ("Escaped defect density", Decimal("0.5"), "defects/KLOC"),
    ),
    (
        "policy",
        "Every project follows the organization's standard process, tailored per guideline.",
        "Process policy POL-01",
        2,
        None,
    ),
    (
        "standard",
        "DO-178C objectives for level B software are met by the avionics processes.",
        "Certification authority",
        1,
        None,
    ),
    (
        "essential_characteristic",
        "Processes are light enough for three-person IT projects.",
        "IT Services survey",
        3,
        None,
    ),
]

# Practice names of three level-2 areas so the demo grid has rows (CMMI content is
# licensed: a user loads the full model; these names are enough to show the idea).
PRACTICES = {
    "REQM": [
        ("SP 1.1", "Understand Requirements"),
        ("SP 1.2", "Obtain Commitment to Requirements"),
        ("SP 1.3", "Manage Requirements Changes"),
        ("SP 1.4", "Maintain Bidirectional Traceability of Requirements"),
    ],
    "PP": [
        ("SP 1.1", "Estimate the Scope of the Project"),
        ("SP 1.4", "Determine Estimates of Effort and Cost"),
        ("SP 2.1", "Establish the Budget and Schedule"),
        ("SP 2.2", "Identify Project Risks"),
        ("SP 3.3", "Obtain Plan Commitment"),
    ],
    "PMC": [
        ("SP 1.1", "Monitor Project Planning Parameters"),
        ("SP 1.3", "Monitor Project Risks"),
        ("SP 2.1", "Analyze Issues"),
        ("SP 2.2", "Take Corrective Action"),
    ],
}

FINDINGS_2025 = [
    # area, practice, place, kind, severity, statement
    (
        "REQM",
        "SP 1.1",
        "avionics",
        "strength",
        "low",
        "Requirements reviews with the customer are held and minuted for every baseline.",
    ),
    (
        "REQM",
        "SP 1.4",
        "ground",
        "weakness",
        "high",
        "Traceability from requirements to tests is kept in spreadsheets, months out of date.",
    ),
    (
        "PP",
        "SP 1.4",
        "avionics",
        "weakness",
        "high",
        "Effort estimates are expert guesses; no historical data or estimation method is used.",
    ),
    (
        "PP",
        "SP 2.2",
        "ground",
        "weakness",
        "medium",
        "Risks are identified at kick-off but the list is not revisited.",
    ),
    (
        "PP",
        "SP 3.3",
        None,
        "observation",
        "low",
        "Plan commitment is obtained by e-mail; a sign-off record would help audits.",
    ),
    (
        "PMC",
        "SP 1.1",
        "avionics",
        "weakness",
        "medium",
        "Progress is tracked in hours spent, not against planned milestones.",
    ),
    (
        "PMC",
        "SP 2.2",
        "ground",
        "strength",
        "low",
        "Corrective actions from weekly reviews are tracked to closure in the issue tracker.",
    ),
]

FINDINGS_2026 = [
    (
        "OPF",
        "SP 1.1",
        "embedded",
        "weakness",
        "high",
        "Process needs are not written down; the process group works from anecdotes.",
    ),
    (
        "OPF",
        "SP 1.2",
        "embedded",
        "strength",
        "low",
        "Appraisals are planned a year ahead with the sponsor's commitment.",
    ),
    (
        "OPF",
        "SP 2.1",
        "it",
        "weakness",
        "medium",
        "Process action plans exist for two of five selected improvements.",
    ),
    (
        "PP",
        "SP 1.4",
        "it",
        "weakness",
        "medium",
        "IT projects estimate in story points without a calibration to effort.",
    ),
    (
        "OPF",
        "SP 3.4",
        None,
        "observation",
        "low",
        "Lessons learned are collected at project close but not fed to the asset library.",
    ),
]


def build_needs(demo: Demo) -> None:
    owner = demo.users["epg"]
    for kind, statement, source, priority, perf in NEEDS:
        measure, target, unit = perf or ("", None, "")
        save_object(
            ProcessNeed(
                kind=kind,
                statement=statement,
                source=source,
                priority=priority,
                owner=owner,
                measure=measure,
                target=target,
                unit=unit,
            ),
            actor=owner,
        )


def _practices(model: ReferenceModel, actor: User) -> dict[tuple[str, str], Practice]:
    areas = {pa.abbreviation: pa for pa in ProcessArea.objects.filter(reference_model=model)}
    for abbreviation, practices in PRACTICES.items():
        area = areas[abbreviation]
        if area.practices.exists():
            continue
        for order, (code, name) in enumerate(practices, start=1):
            save_object(Practice(process_area=area, code=code, name=name, order=order), actor=actor)
    return {
        (p.process_area.abbreviation, p.code): p
        for p in Practice.objects.filter(process_area__reference_model=model).select_related(
            "process_area"
        )
    }


def _record_findings(
    appraisal: Appraisal, rows: list, practices: dict, demo: Demo, actor: User
) -> None:
    for area, code, place, kind, severity, statement in rows:
        practice = practices[(area, code)]
        save_object(
            Finding(
                appraisal=appraisal,
                process_area=practice.process_area,
                practice=practice,
                org_unit=demo.units[place] if place else None,
                kind=kind,
                severity=severity,
                statement=statement,
            ),
            actor=actor,
        )


def _scampi_b(demo: Demo, model: ReferenceModel, areas: dict[str, ProcessArea]) -> Appraisal:
    """Last year's SCAMPI B of two engineering units, scheduled and started."""
    epg, lead, auditor = demo.users["epg"], demo.users["appraiser"], demo.users["auditor"]
    start = demo.today - timedelta(days=300)
    first = save_object(
        Appraisal(
            title="SCAMPI B – Engineering level 2 readiness",
            method=Appraisal.Method.SCAMPI_B,
            reference_model=model,
            sponsor=demo.users["exec2"],
            lead_appraiser=lead,
            planned_start=start,
            planned_end=start + timedelta(days=4),
            resources="Lead appraiser, two team members, 5 days; interview rooms in building B.",
            logistics="Document review week before; interviews Tuesday–Thursday.",
        ),
        actor=epg,
    )
    first.process_areas.set([areas["REQM"], areas["PP"], areas["PMC"]])
    first.org_units.set([demo.units["avionics"], demo.units["ground"]])
    first.team.set([lead, auditor])
    services.appraisal_schedule(first, actor=epg)
    services.appraisal_start(first, actor=lead)
    return first


def _characterize_both_units(
    demo: Demo, appraisal: Appraisal, scope_practices: list[Practice]
) -> None:
    pattern = ["FI", "LI", "LI", "PI", "FI", "NI", "LI"]
    for index, practice in enumerate(scope_practices):
        for offset, unit in enumerate(("avionics", "ground")):
            services.characterize(
                appraisal=appraisal,
                practice=practice,
                instance=f"u{demo.units[unit].pk}",
                value=pattern[(index + offset * 3) % len(pattern)],
                actor=demo.users["appraiser"],
            )


def _scampi_b_evidence_and_recommendations(
    demo: Demo,
    first: Appraisal,
    practices: dict[tuple[str, str], Practice],
    areas: dict[str, ProcessArea],
) -> None:
    lead = demo.users["appraiser"]
    for practice, place, kind in (
        (practices[("REQM", "SP 1.1")], "avionics", Evidence.Kind.DIRECT),
        (practices[("REQM", "SP 1.1")], "avionics", Evidence.Kind.AFFIRMATION),
        (practices[("PP", "SP 1.4")], "avionics", Evidence.Kind.DIRECT),
    ):
        evidence = save_object(
            Evidence(
                appraisal=first,
                kind=kind,
                title=f"{practice.process_area.abbreviation} {practice.code} – {kind}",
                org_unit=demo.units[place],
            ),
            actor=lead,
        )
        evidence.practices.add(practice)
    save_object(
        Recommendation(
            appraisal=first,
            process_area=areas["PP"],
            statement="Introduce a parametric estimation method calibrated on closed projects.",
            priority=1,
        ),
        actor=lead,
    )
    save_object(
        Recommendation(
            appraisal=first,
            process_area=areas["REQM"],
            statement="Move traceability into the requirements tool and check it at each review.",
            priority=1,
        ),
        actor=lead,
    )


def _deliver_rate_and_close(appraisal: Appraisal, lead: User) -> None:
    """Deliver, confirm every proposed rating (not rated counts against), close. A class
    that does not rate (the SCAMPI B) has no ratings to confirm: it closes on its findings."""
    services.appraisal_deliver(appraisal, actor=lead)
    for rating in services.ratings_refresh(appraisal):
        if rating.proposed == "not_rated":
            services.rating_confirm(
                rating,
                value="not_satisfied",
                reason="Practices not yet characterized count against the area.",
                actor=lead,
            )
        else:
            services.rating_confirm(rating, value=rating.proposed, actor=lead)
    services.appraisal_close(appraisal, actor=lead)


def _gap_analysis(demo: Demo, first: Appraisal, areas: dict[str, ProcessArea]) -> Appraisal:
    """This year's follow-up, copied from the first and extended to OPF, started."""
    epg, lead = demo.users["epg"], demo.users["appraiser"]
    second = services.appraisal_copy(first, actor=epg)
    second.title = "Gap analysis – OPF and planning follow-up"
    second.method = Appraisal.Method.GAP_ANALYSIS
    second.planned_start = demo.today - timedelta(days=3)
    second.planned_end = demo.today + timedelta(days=4)
    save_object(second, actor=epg)
    second.process_areas.add(areas["OPF"])
    second.org_units.add(demo.units["embedded"], demo.units["it"])
    services.appraisal_schedule(second, actor=epg)
    services.appraisal_start(second, actor=lead)
    return second


def _gap_analysis_evidence(
    demo: Demo, second: Appraisal, practices: dict[tuple[str, str], Practice]
) -> None:
    for practice, kind, title in (
        (practices[("OPF", "SP 1.2")], Evidence.Kind.DIRECT, "Appraisal plan 2026 (signed)"),
        (practices[("OPF", "SP 1.2")], Evidence.Kind.AFFIRMATION, "Interview: VP Engineering"),
        (practices[("OPF", "SP 1.1")], Evidence.Kind.AFFIRMATION, "Interview: process group"),
    ):
        evidence = save_object(
            Evidence(appraisal=second, kind=kind, title=title, org_unit=demo.units["embedded"]),
            actor=demo.users["auditor"],
        )
        evidence.practices.add(practice)


def _characterize_avionics_planning(
    demo: Demo, second: Appraisal, scope_practices: list[Practice]
) -> None:
    for index, practice in enumerate(scope_practices[:6]):
        services.characterize(
            appraisal=second,
            practice=practice,
            instance=f"u{demo.units['avionics'].pk}",
            value=["FI", "FI", "LI", "LI", "FI", "LI"][index],
            actor=demo.users["appraiser"],
        )


def _characterize_embedded_opf(
    demo: Demo, second: Appraisal, practices: dict[tuple[str, str], Practice]
) -> None:
    value_cycle = [Characterization.Value.LI, Characterization.Value.PI, Characterization.Value.NY]
    for index, practice in enumerate(p for (a, _c), p in practices.items() if a == "OPF"):
        if index >= 6:
            break
        services.characterize(
            appraisal=second,
            practice=practice,
            instance=f"u{demo.units['embedded'].pk}",
            value=value_cycle[index % 3],
            actor=demo.users["auditor"],
        )


def build_appraisals(demo: Demo) -> None:
    epg, lead = demo.users["epg"], demo.users["appraiser"]
    model = ReferenceModel.objects.get(abbreviation="CMMI-DEV", version="1.2")
    practices = _practices(model, epg)
    areas = {pa.abbreviation: pa for pa in ProcessArea.objects.filter(reference_model=model)}

    # 1. Last year's SCAMPI B of two engineering units: closed, findings only (no ratings).
    first = _scampi_b(demo, model, areas)
    scope_practices = [p for (a, _c), p in practices.items() if a in ("REQM", "PP", "PMC")]
    _characterize_both_units(demo, first, scope_practices)
    _record_findings(first, FINDINGS_2025, practices, demo, lead)
    _scampi_b_evidence_and_recommendations(demo, first, practices, areas)
    _deliver_rate_and_close(first, lead)

    # 2. This year's follow-up, extended to OPF: in progress.
    second = _gap_analysis(demo, first, areas)
    _characterize_avionics_planning(demo, second, scope_practices)
    _record_findings(second, FINDINGS_2026, practices, demo, lead)
    _gap_analysis_evidence(demo, second, practices)
    _characterize_embedded_opf(demo, second, practices)


STAGED_TWO_SCOPE = ("REQM", "PP", "PMC", "SAM", "MA", "PPQA", "CM", "OPF", "OPD")


def stuck_at_level_two(demo: Demo) -> None:
    """Ground Systems reached level 2 in a SCAMPI A two years ago and never went further
    (the dashboard's units stuck at level 2, which the steering briefing discusses).

    Rated the way the method says: the team characterizes every practice from its
    evidence, judges the one goal a high-severity weakness touches, and the lead
    confirms the proposals; SAM alone is overridden, to Not applicable (no suppliers)."""
    model = ReferenceModel.objects.filter(builtin=True).first()
    if model is None:
        return
    epg, lead = demo.users["epg"], demo.users["appraiser"]
    start = demo.today - timedelta(days=760)
    appraisal = save_object(
        Appraisal(
            title="SCAMPI A – Ground Systems level 2",
            method=Appraisal.Method.SCAMPI_A,
            reference_model=model,
            sponsor=demo.users["exec"],
            lead_appraiser=lead,
            planned_start=start,
            planned_end=start + timedelta(days=5),
        ),
        actor=epg,
    )
    areas = list(
        ProcessArea.objects.filter(reference_model=model, abbreviation__in=STAGED_TWO_SCOPE)
    )
    appraisal.process_areas.set(areas)
    appraisal.org_units.set([demo.units["ground"]])
    appraisal.team.set([lead, demo.users["auditor"]])
    services.appraisal_schedule(appraisal, actor=epg)
    services.appraisal_start(appraisal, actor=lead)
    _characterize_ground(demo, appraisal, areas)
    by_code = {a.abbreviation: a for a in areas}
    for area, code, severity, statement in (
        ("OPD", "SP 1.1", "medium", "No organizational set of standard processes yet."),
        (
            "PMC",
            "SP 1.1",
            "high",
            "One of three projects skipped the monthly cost check for a quarter.",
        ),
    ):
        save_object(
            Finding(
                appraisal=appraisal,
                process_area=by_code[area],
                practice=Practice.objects.get(process_area=by_code[area], code=code),
                kind=Finding.Kind.WEAKNESS,
                severity=severity,
                statement=statement,
                org_unit=demo.units["ground"],
            ),
            actor=lead,
        )
    _validate_preliminary_findings(demo, appraisal, start + timedelta(days=4))
    services.ratings_refresh(appraisal)
    pmc_sg1 = appraisal.goal_ratings.get(goal__process_area=by_code["PMC"], goal__code="SG 1")
    services.goal_judge(
        pmc_sg1,
        value="satisfied",
        reason="The lapse was on one project, was caught by its own review and corrected; "
        "the goal is achieved across the unit.",
        actor=demo.users["auditor"],
    )
    services.appraisal_deliver(appraisal, actor=lead)
    for rating in services.ratings_refresh(appraisal):
        if rating.process_area.abbreviation == "SAM":
            services.rating_confirm(
                rating,
                value="not_applicable",
                reason="Ground Systems has no supplier agreements in the sampled projects.",
                actor=lead,
            )
        else:
            services.rating_confirm(rating, value=rating.proposed, actor=lead)
    services.appraisal_close(appraisal, actor=lead)
    Appraisal.objects.filter(pk=appraisal.pk).update(actual_end=start + timedelta(days=5))


def _characterize_ground(demo: Demo, appraisal: Appraisal, areas: list[ProcessArea]) -> None:
    """Level 2 areas FI or LI (GG 2 included), OPF and OPD partly implemented; GG 3 to
    GG 5 practices are left out (not in a level 2 rating). Evidence covers each one."""
    ground, auditor = demo.units["ground"], demo.users["auditor"]
    practices = [
        p
        for p in Practice.objects.filter(process_area__in=areas).select_related(
            "process_area", "goal"
        )
        if p.process_area.abbreviation != "SAM"
        and not (p.goal and p.goal.code.replace(" ", "") in ("GG3", "GG4", "GG5"))
    ]
    for kind, title in (
        (Evidence.Kind.DIRECT, "Ground Systems project records (plans, reviews, baselines)"),
        (Evidence.Kind.AFFIRMATION, "Interviews with Ground Systems project leads"),
    ):
        evidence = save_object(
            Evidence(appraisal=appraisal, kind=kind, title=title, org_unit=ground),
            actor=auditor,
        )
        evidence.practices.set(practices)
    for index, practice in enumerate(practices):
        if practice.process_area.maturity_level == 2:
            value = "LI" if index % 4 == 0 else "FI"
        else:
            value = ("PI", "LI", "NI")[index % 3]
        services.characterize(
            appraisal=appraisal,
            practice=practice,
            instance=f"u{ground.pk}",
            value=value,
            actor=auditor,
        )


def _validate_preliminary_findings(demo: Demo, appraisal: Appraisal, held_on: date) -> None:
    """SCAMPI A v1.2, 2.5: the preliminary findings presented to Ground's project manager
    and a test engineer; one disagreement, resolved by rewording the finding."""
    lead = demo.users["appraiser"]
    session = save_object(
        FindingsValidation(
            appraisal=appraisal,
            held_on=held_on,
            summary="Preliminary findings presented to Ground Systems; one finding reworded.",
        ),
        actor=lead,
    )
    session.participants.set([demo.users["pm2"], demo.users["member2"]])
    for finding in appraisal.findings.all():
        save_object(
            FindingFeedback(
                appraisal=appraisal,
                validation=session,
                finding=finding,
                participant=demo.users["pm2"],
                response=FindingFeedback.Response.AGREE,
            ),
            actor=lead,
        )
        save_object(
            FindingFeedback(
                appraisal=appraisal,
                validation=session,
                finding=finding,
                participant=demo.users["member2"],
                response=FindingFeedback.Response.DISAGREE,
                comment="A draft standard process exists for the test group.",
                resolution="Reworded: no approved organizational set of standard processes.",
            ),
            actor=lead,
        )


def build_qualifications(demo: Demo) -> None:
    """The appraiser is a qualified lead appraiser; the auditor's certificate lapsed."""
    for person, certificate, issued, expires in (
        ("appraiser", "LA-2023-0117", -1200, 500),
        ("auditor", "LA-2021-0042", -1900, -400),
    ):
        save_object(
            LeadAppraiserQualification(
                person=demo.users[person],
                certificate_id=certificate,
                issued_on=demo.today + timedelta(days=issued),
                expires_on=demo.today + timedelta(days=expires),
                note="Authorized lead appraiser, SCAMPI A v1.2.",
            ),
            actor=demo.users["epg"],
        )


STEPS = [build_qualifications, build_needs, build_appraisals, stuck_at_level_two]
