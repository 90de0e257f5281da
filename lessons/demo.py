"""Demo data of the audits-and-lessons area (deterministic): completed audits with
scores over the past year, non-compliances in every state (one overdue), a
recurrence that raised a proposal, lessons, proposals accepted, rejected and new,
four measures with 24 months of data, objectives and an effectiveness review; one
improvement deployed and shown effective on its benefit measure, one not yet shown
(its pilot abandoned on its criteria); the loop's dates, for its cycle times; a
frozen process-performance baseline of defect density for the development projects,
its March left out for a tool outage, with its capability against the objective.

Everything goes through the services with the demo people as actors."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from actions import improvement_stays
from actions.models import Pilot
from appraisals.models import Finding
from deployment import services as deployment_services
from deployment.milestones import refresh_milestones
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
)
from lessons.models import (
    AuditItem,
    BaselineExclusion,
    ComplianceAudit,
    EffectivenessReview,
    Handoff,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    Process,
    ProcessPerformanceBaseline,
    QuantitativeObjective,
    RecurrenceRule,
)
from lessons.services import audits, baselines, learning
from opf.core.dashboard import add_months, month_start
from opf.core.services import save_object
from opf.organization.demo import Demo
from opf.organization.models import Project
from opf.reference.models import ProcessArea

Result = AuditItem.Result
WORK_PRODUCTS = ["Project plan", "Peer review records"]


def _month(day: date, back: int) -> date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _audited_projects() -> list[Project]:
    with_deployments = (
        ProjectDeployment.objects.exclude(state=ProjectDeployment.State.WAIVED)
        .values_list("project_id", flat=True)
        .distinct()
    )
    return list(Project.objects.filter(pk__in=with_deployments).order_by("pk")[:7])


def build_audits(demo: Demo) -> None:
    RecurrenceRule.objects.get_or_create(name="Recurring non-compliances")
    epg, auditor = demo.users["epg"], demo.users["auditor"]
    projects = _audited_projects()
    if not projects:
        return
    # The asset most projects use: its non-compliances recur in three of them.
    usage = Counter(
        ProjectDeployment.objects.filter(project__in=projects)
        .exclude(state=ProjectDeployment.State.WAIVED)
        .values_list("asset_version__asset_id", flat=True)
    )
    recurring_asset = usage.most_common(1)[0][0]
    recurring_left = 3
    for index, project in enumerate(projects):
        planned = demo.today - timedelta(days=30 + 45 * index)
        audit = save_object(
            ComplianceAudit(
                project=project,
                auditor=auditor,
                planned_date=planned,
                scope="Deployed standard processes and key work products.",
            ),
            actor=epg,
        )
        audits.audit_build_checklist(audit, actor=epg, work_products=WORK_PRODUCTS)
        if index == len(projects) - 1:
            continue  # one audit stays planned
        audits.audit_start(audit, actor=auditor)
        if index == len(projects) - 2:
            continue  # one audit is under way
        items = list(audit.items.select_related("asset_version").order_by("pk"))
        for position, item in enumerate(items):
            asset_id = item.asset_version.asset_id if item.asset_version else None
            if asset_id == recurring_asset and recurring_left > 0:
                recurring_left -= 1
                result, evidence = Result.NON_COMPLIANT, "Reviews skipped for urgent changes."
            elif (position + index) % 5 == 3:
                result, evidence = Result.NON_COMPLIANT, "No record found for the last iteration."
            elif (position + index) % 7 == 5:
                result, evidence = Result.NOT_APPLICABLE, "Not used in this phase."
            else:
                result, evidence = Result.COMPLIANT, "Records sampled and complete."
            audits.audit_item_record(item, result=result, evidence=evidence, actor=auditor)
            if result == Result.NON_COMPLIANT:
                severity = [
                    NonCompliance.Severity.MINOR,
                    NonCompliance.Severity.MAJOR,
                    NonCompliance.Severity.CRITICAL,
                ][position % 3]
                audits.non_compliance_raise(
                    item,
                    actor=auditor,
                    severity=severity,
                    today=planned,
                    due_date=planned + timedelta(days=30),
                )
        audits.audit_complete(audit, actor=auditor)
        ComplianceAudit.objects.filter(pk=audit.pk).update(performed_date=planned)


def progress_non_compliances(demo: Demo) -> None:
    """Every state: open (one overdue), in correction, verified, closed."""
    auditor = demo.users["auditor"]
    ncs = list(NonCompliance.objects.select_related("project__manager").order_by("pk"))
    for index, nc in enumerate(ncs):
        target = ["open", "in_correction", "verified", "closed"][index % 4]
        if target == "open":
            continue
        manager = nc.project.manager or demo.users["epg"]
        nc.corrective_action = "Hold the missed activity and add it to the iteration checklist."
        nc.root_cause_category = (
            NonCompliance.RootCause.EXECUTION if index % 2 else NonCompliance.RootCause.TRAINING
        )
        nc.five_whys = (
            "Why skipped? Deadline pressure. Why? Activity not planned. "
            "Why? Template lacks it. Why? Not updated since v1."
        )
        nc.proposed_due_date = demo.today + timedelta(days=20)
        save_object(nc, actor=manager)  # the project's answer
        nc.due_date = nc.proposed_due_date
        save_object(nc, actor=demo.users["epg"])  # the process group agrees the date
        audits.non_compliance_start_correction(nc, actor=manager)
        if target in ("verified", "closed"):
            audits.non_compliance_verify(
                nc, actor=auditor, reason="Sampled two later iterations: done."
            )
        if target == "closed":
            audits.non_compliance_close(nc, actor=auditor)


LESSONS = [
    # title, tags, asset code, author, what happened, next time
    (
        "Estimate reviews early",
        "estimation, planning",
        "est-guide",
        "member",
        "Our first estimate was 40 % low.",
        "Hold the estimation review before the plan is baselined.",
    ),
    (
        "Keep the risk register alive",
        "risk",
        "risk-proc",
        "pm",
        "Risks were logged once and never reviewed.",
        "Review the top five risks at every status meeting.",
    ),
    (
        "Peer reviews catch interface defects",
        "verification, reviews",
        "peer-rev",
        "member2",
        "Two interface defects slipped to integration.",
        "Include the interface owner in every review.",
    ),
    (
        "Branch per release",
        "configuration",
        "cm-proc",
        "pm2",
        "A hotfix went into the wrong branch.",
        "Create the release branch at code freeze.",
    ),
    (
        "Test data early",
        "testing",
        "test-proc",
        "member3",
        "Tests waited three weeks for data.",
        "Request test data in the planning phase.",
    ),
    (
        "Tailor the status review",
        "monitoring, tailoring",
        "pmc-check",
        "pm3",
        "Daily reviews were too heavy for a small team.",
        "Ask for weekly reviews through tailoring.",
    ),
]


def build_lessons(demo: Demo) -> None:
    epg = demo.users["epg"]
    assets = {a.code: a for a in ProcessAsset.objects.all()}
    projects = demo.projects or list(Project.objects.order_by("pk"))
    for index, (title, tags, code, who, happened, next_time) in enumerate(LESSONS):
        author = demo.users.get(who, epg)
        lesson = learning.lesson_submit(
            Lesson(
                title=title,
                context="Lessons-learned session at the end of an iteration.",
                what_happened=happened,
                next_time=next_time,
                tags=tags,
                asset=assets.get(code),
                project=projects[index % len(projects)] if projects else None,
            ),
            actor=author,
        )
        if index < 4:
            learning.lesson_publish(lesson, actor=epg)
        elif index == 4:
            learning.lesson_archive(lesson, actor=epg)


PROPOSALS = [
    # title, asset code, process area, author, problem, change, benefit, outcome
    (
        "Add an estimation review gate",
        "est-guide",
        None,
        "member",
        "Estimates are not reviewed before commitment.",
        "Add a review gate to the guideline.",
        "Fewer schedule overruns.",
        "accept",
    ),
    (
        "Lighter code review checklist",
        "peer-check",
        None,
        "member2",
        "The checklist has 60 items; people skip it.",
        "Cut it to the 15 items that find defects.",
        "Reviews actually done.",
        "accept",
    ),
    (
        "Drop the monthly process report",
        None,
        "OPF",
        "pm2",
        "Nobody reads the monthly report.",
        "Stop producing it.",
        "Saves a day a month.",
        "reject",
    ),
    (
        "Measure review effectiveness",
        None,
        "MA",
        "member3",
        "We do not know whether reviews pay off.",
        "Add defects found per review hour.",
        "Evidence for the review process.",
        "",
    ),
    (
        "Risk template with probability scale",
        "risk-tmpl",
        None,
        "pm",
        "Everyone scores probability differently.",
        "Add a five-step scale.",
        "Comparable risks.",
        "",
    ),
]


def build_proposals(demo: Demo) -> None:
    epg = demo.users["epg"]
    assets = {a.code: a for a in ProcessAsset.objects.all()}
    areas = {
        a.abbreviation: a
        for a in ProcessArea.objects.filter(abbreviation__in=["PP", "VER", "OPF", "MA"])
    }
    lesson = Lesson.objects.filter(state=Lesson.State.PUBLISHED).order_by("pk").first()
    for index, (title, code, area, who, problem, change, benefit, outcome) in enumerate(PROPOSALS):
        proposal = learning.proposal_submit(
            ImprovementProposal(
                title=title,
                asset=assets.get(code) if code else None,
                process_area=areas.get(area) if area else None,
                problem=problem,
                proposed_change=change,
                expected_benefit=benefit,
                lesson=lesson if index == 0 else None,
            ),
            actor=demo.users.get(who, epg),
        )
        if outcome == "accept":
            learning.proposal_accept(proposal, actor=epg, reason="Worth doing this year.")
        elif outcome == "reject":
            learning.proposal_reject(
                proposal, actor=epg, reason="The steering committee reads it; keep it."
            )


MEASURES = [
    # name, unit, counted, direction, base, spread
    (
        "Schedule variance",
        "%",
        "(actual − planned duration) / planned duration of finished milestones",
        "lower",
        8.0,
        3.0,
    ),
    (
        "Defect density",
        "defects/KLOC",
        "Defects found after release per thousand lines changed",
        "lower",
        1.2,
        0.3,
    ),
    ("Review coverage", "%", "Share of changes peer-reviewed before merge", "higher", 85.0, 5.0),
    (
        "Requirements volatility",
        "%",
        "Requirements changed / total requirements per month",
        "lower",
        6.0,
        2.0,
    ),
]


def build_measures(demo: Demo) -> None:
    epg = demo.users["epg"]
    assets = {a.code: a for a in ProcessAsset.objects.all()}
    projects = (demo.projects or list(Project.objects.order_by("pk")))[:4]
    for m_index, (name, unit, counted, direction, base, spread) in enumerate(MEASURES):
        measure = save_object(
            Measure(
                name=name,
                unit=unit,
                counted=counted,
                direction=direction,
                asset=assets.get("ma-defs"),
            ),
            actor=epg,
        )
        for p_index, project in enumerate(projects):
            for back in range(24, 0, -1):
                value = base + demo.rng.uniform(-spread, spread) + p_index * spread / 4
                if m_index == 0 and p_index == 0 and back == 3:
                    value = base + spread * 6  # the out-of-control month
                save_object(
                    Measurement(
                        measure=measure,
                        project=project,
                        period=_month(demo.today, back),
                        value=Decimal(f"{value:.2f}"),
                    ),
                    actor=epg,
                )
        if m_index < 2:
            save_object(
                QuantitativeObjective(
                    name=f"{name} within target",
                    measure=measure,
                    target=Decimal(f"{base:.2f}"),
                    lower_limit=Decimal("0") if direction == "lower" else None,
                    upper_limit=Decimal(f"{base + 2 * spread:.2f}")
                    if direction == "lower"
                    else None,
                    owner=epg,
                ),
                actor=epg,
            )


def _benefit(improvement, measure: Measure, baseline: str, target: str, demo: Demo) -> None:
    improvement.benefit_measure = measure
    improvement.benefit_baseline = Decimal(baseline)
    improvement.benefit_target = Decimal(target)
    save_object(improvement, actor=demo.users["epg"], reason="Business case: benefit measure")


def build_measured_effect(demo: Demo) -> None:
    """The adopted estimation pilot's workbook went into use in three projects ten months
    ago and their schedule variance fell: its improvement is shown effective. The
    traceability improvement (its pilot abandoned) is not deployed: not yet shown."""
    epg, executive = demo.users["epg"], demo.users["exec"]
    measures = {m.name: m for m in Measure.objects.all()}
    pilot = (
        Pilot.objects.filter(decision=Pilot.Decision.ADOPT).select_related("action_plan").first()
    )
    abandoned = Pilot.objects.filter(decision=Pilot.Decision.ABANDON).first()
    if abandoned is not None and "Requirements volatility" in measures:
        for improvement in abandoned.action_plan.improvements.all():
            _benefit(improvement, measures["Requirements volatility"], "6", "4", demo)
    projects = (demo.projects or list(Project.objects.order_by("pk")))[1:4]
    if pilot is None or "Schedule variance" not in measures or not projects:
        return
    measure = measures["Schedule variance"]
    for improvement in pilot.action_plan.improvements.all():
        _benefit(improvement, measure, "8", "5", demo)
    asset = save_object(
        ProcessAsset(
            code="est-workbook",
            name="Estimation calibration workbook",
            kind=ProcessAsset.Kind.TEMPLATE,
            owner=epg,
            tags="planning, estimation",
            description="The calibrated estimation model from the estimation pilot.",
        ),
        actor=epg,
    )
    asset.process_areas.set(
        ProcessArea.objects.filter(abbreviation="PP", reference_model__builtin=True)
    )
    version = save_object(
        AssetVersion(
            asset=asset,
            number="1.0",
            change_summary="The model calibrated on three years of actuals.",
            link="https://intranet.acme.example/pal/est-workbook/1.0/",
            pilot=pilot,
        ),
        actor=epg,
    )
    deployment_services.asset_version_submit(version, actor=epg)
    deployment_services.asset_version_approve(version, actor=executive)
    deployment_services.asset_version_release(version, actor=epg)
    in_use = add_months(month_start(demo.today), -10) + timedelta(days=9)
    plan = save_object(
        DeploymentPlan(
            name="Calibrated estimation workbook rollout",
            start_date=in_use - timedelta(days=30),
            end_date=in_use + timedelta(days=30),
            training_notes="A one-hour walk-through with each project's estimators.",
        ),
        actor=epg,
    )
    plan.asset_versions.set([version])
    plan.target_projects.set(projects)
    deployment_services.deployment_plan_submit(plan, actor=epg)
    deployment_services.deployment_plan_approve(plan, actor=executive)
    for deployment in ProjectDeployment.objects.filter(plan=plan).select_related("project"):
        for step in ("plan", "use"):
            deployment_services.deployment_update(
                deployment,
                actor=deployment.project.manager or epg,
                transition=step,
                notes="The workbook replaces the spreadsheet.",
            )
        # It went into use on the 10th of the month ten months ago.
        deployment.history.filter(state=ProjectDeployment.State.IN_USE).update(
            history_date=timezone.make_aware(datetime.combine(in_use, time(10)))
        )
    refresh_milestones()  # the history re-dated in bulk: the stored milestones follow
    AssetVersion.objects.filter(pk=version.pk).update(
        released_at=timezone.make_aware(datetime.combine(in_use - timedelta(days=20), time(10)))
    )
    # Since then, the three projects' schedule variance is about four points lower.
    for point in Measurement.objects.filter(
        measure=measure, project__in=projects, period__gt=in_use
    ).order_by("pk"):
        point.value -= Decimal("4")
        point.note = "Estimated with the calibrated workbook."
        save_object(point, actor=epg, reason="Measured after the workbook")


def build_baseline(demo: Demo) -> None:
    """Defect density of the development projects over the 18 months that ended six
    months ago, frozen; that period's March (a tool outage lost the defect data and the
    re-entered counts doubled) is left out. The months since are judged against it."""
    epg = demo.users["epg"]
    measure = Measure.objects.filter(name="Defect density").first()
    if measure is None:
        return
    start, end = _month(demo.today, 24), _month(demo.today, 7)
    march = next(
        day for day in (_month(demo.today, back) for back in range(24, 6, -1)) if day.month == 3
    )
    for point in Measurement.objects.filter(measure=measure, period=march).order_by("pk"):
        point.value *= 2
        point.note = "Re-entered after the defect tracker's outage."
        save_object(point, actor=epg, reason="Re-entered after the outage")
    baseline = save_object(
        ProcessPerformanceBaseline(
            measure=measure,
            name="Development projects",
            project_types=[Project.ProjectType.DEVELOPMENT],
            period_start=start,
            period_end=end,
            notes="The development mix only; maintenance and service work get their own.",
        ),
        actor=epg,
    )
    save_object(
        BaselineExclusion(
            baseline=baseline,
            period=march,
            reason="Tool outage, March: the defect tracker lost two weeks of data.",
        ),
        actor=epg,
    )
    baselines.baseline_freeze(baseline, actor=epg, reason="Agreed in the measurement review")


def build_review(demo: Demo) -> None:
    epg = demo.users["epg"]
    review = save_object(
        EffectivenessReview(
            title=f"Standard process review {demo.today.year}",
            standard_set=StandardProcessSet.objects.order_by("-pk").first(),
            review_date=demo.today - timedelta(days=20),
            findings=(
                "Peer reviews and risk management are followed unevenly; the estimation "
                "guideline lacks a review step. Compliance rose over the year."
            ),
            next_review_due=demo.today + timedelta(days=10),
        ),
        actor=epg,
    )
    review.reviewers.set([epg, demo.users["epg2"], demo.users["auditor"]])
    review.proposals.set(ImprovementProposal.objects.order_by("pk")[:2])


def build_own_process_audit(demo: Demo) -> None:
    """The process group's own process (OPF) audited like any other: no project, its
    work products checked; a completed audit is GP 2.9's evidence for OPF."""
    opf_area = ProcessArea.objects.filter(abbreviation="OPF", reference_model__builtin=True).first()
    if opf_area is None:
        return
    epg, auditor = demo.users["epg"], demo.users["auditor"]
    planned = demo.today - timedelta(days=20)
    audit = save_object(
        ComplianceAudit(
            auditor=auditor,
            planned_date=planned,
            scope="The program's own process: policy, improvement plan, steering minutes.",
        ),
        actor=epg,
    )
    audit.process_areas.set([opf_area])
    items = audits.audit_build_checklist(
        audit,
        actor=epg,
        work_products=["Program policy", "Process improvement plan", "Steering minutes"],
    )
    audits.audit_start(audit, actor=auditor)
    for item in items:
        audits.audit_item_record(
            item, result=Result.COMPLIANT, evidence="Approved and current.", actor=auditor
        )
    audits.audit_complete(audit, actor=auditor)
    ComplianceAudit.objects.filter(pk=audit.pk).update(performed_date=planned)


def audit_tailored_process(demo: Demo) -> None:
    """An approved tailoring is audited: when no audit of its project checks it yet, a
    planned audit's checklist does (the tailored process, with the tailoring cited)."""
    tailored = (
        TailoringRecord.objects.filter(state=TailoringRecord.State.APPROVED)
        .select_related("deployment")
        .order_by("pk")
    )
    for record in tailored:
        if AuditItem.objects.filter(tailoring=record).exists():
            continue
        audit = save_object(
            ComplianceAudit(
                project_id=record.deployment.project_id,
                auditor=demo.users["auditor"],
                planned_date=demo.today + timedelta(days=14),
                scope="The tailored process, as approved.",
            ),
            actor=demo.users["epg"],
        )
        audits.audit_build_checklist(audit, actor=demo.users["epg"])


# The process architecture (#20): code, name, kind, parent code, owner, owning unit
# (None: enterprise-wide), defining assets, process areas, measures.
_VC, _P, _SUB = Process.Kind.VALUE_CHAIN, Process.Kind.PROCESS, Process.Kind.SUB_PROCESS
ARCHITECTURE = [
    ("vc-deliver", "Develop and deliver products", _VC, None, "exec2", None, "", "", ""),
    (
        "plan-manage",
        "Plan and manage projects",
        _P,
        "vc-deliver",
        "pm",
        None,
        "pp-tmpl",
        "PP PMC",
        "Schedule variance",
    ),
    ("estimate", "Estimate work", _SUB, "plan-manage", "pm6", None, "est-guide", "PP", ""),
    ("risks", "Manage risks", _SUB, "plan-manage", "pm3", None, "risk-proc risk-tmpl", "RSKM", ""),
    (
        "requirements",
        "Engineer requirements",
        _P,
        "vc-deliver",
        "member3",
        None,
        "reqm-proc",
        "REQM RD",
        "Requirements volatility",
    ),
    ("elicit", "Elicit requirements", _SUB, "requirements", "member3", None, "rd-guide", "RD", ""),
    (
        "build-verify",
        "Build and verify",
        _P,
        "vc-deliver",
        "exec2",
        None,
        "sdp test-proc",
        "TS PI VER VAL",
        "Defect density",
    ),
    (
        "peer-reviews",
        "Peer reviews",
        _SUB,
        "build-verify",
        "member",
        None,
        "peer-rev peer-check",
        "VER",
        "Defect density",
    ),
    ("test", "Test", _SUB, "build-verify", "member2", None, "test-proc", "VAL VER", ""),
    (
        "ground-release",
        "Release ground software",
        _P,
        "vc-deliver",
        "pm2",
        "ground",
        "cm-plan",
        "CM",
        "",
    ),
    ("vc-support", "Support the organization", _VC, None, "exec", None, "", "", ""),
    (
        "config",
        "Manage configurations",
        _P,
        "vc-support",
        "epg2",
        None,
        "cm-proc cm-plan",
        "CM",
        "",
    ),
    (
        "improve",
        "Improve processes",
        _P,
        "vc-support",
        "epg",
        None,
        "lessons-tmpl tailor-guide",
        "OPF OPD",
        "",
    ),
    (
        "lessons",
        "Capture lessons learned",
        _SUB,
        "improve",
        "epg2",
        None,
        "lessons-tmpl",
        "OPF",
        "",
    ),
    ("service-desk", "Run the service desk", _P, "vc-support", "pm4", "it", "", "", ""),
    ("suppliers", "Acquire from suppliers", _P, "vc-support", "exec", None, "", "SAM", ""),
]
HANDOFFS = [
    ("requirements", "build-verify", "Approved requirements baseline"),
    ("plan-manage", "build-verify", "Project plan and schedule"),
    ("estimate", "risks", "Estimates with their uncertainty"),
    ("build-verify", "config", "Release candidate"),
    ("config", "ground-release", "Configuration baseline"),
    ("build-verify", "improve", "Defect and review data"),
    ("improve", "plan-manage", "Released process assets"),
    ("service-desk", "improve", "Incident trends"),
]


def build_architecture(demo: Demo) -> None:
    """Two value chains: products are delivered by enterprise-wide processes, mostly
    defined and in use, except Ground Systems, which releases its software its own way;
    the support chain has defined processes not deployed yet, IT's service desk defined
    by IT alone, and supplier acquisition defined nowhere. Coverage: 5 of 8."""
    epg = demo.users["epg"]
    assets = {a.code: a for a in ProcessAsset.objects.all()}
    areas = {a.abbreviation: a for a in ProcessArea.objects.filter(reference_model__builtin=True)}
    measures = {m.name: m for m in Measure.objects.all()}
    made: dict[str, Process] = {}
    for code, name, kind, parent, owner, unit, codes, pas, measure in ARCHITECTURE:
        process = save_object(
            Process(
                code=code,
                name=name,
                kind=kind,
                parent=made.get(parent or ""),
                owner=demo.users[owner],
                owning_unit=demo.units[unit] if unit else None,
                description=f"{name}: how Acme does it.",
            ),
            actor=epg,
        )
        process.assets.set([assets[c] for c in codes.split() if c in assets])
        process.process_areas.set([areas[a] for a in pas.split() if a in areas])
        process.measures.set([measures[measure]] if measure in measures else [])
        made[code] = process
    for source, target, what in HANDOFFS:
        save_object(Handoff(source=made[source], target=made[target], work_product=what), actor=epg)


def date_the_loop(demo: Demo) -> None:
    """The loop's dates, so that its cycle times (``lessons.process_measures``) tell a
    story: each finding is recorded when its appraisal ended; the estimation improvement
    (shown effective) came from findings 160 days before its workbook went into use, was
    selected 140 days before and its plan approved 110 days before; the workbook is
    released about 20 days before (``release_before_use``): 160 days from finding to
    deployed, its first steps in the period before the dashboard's."""
    ended = Finding.objects.filter(
        appraisal__actual_end__isnull=False, appraisal__actual_end__lte=demo.today
    ).values_list("pk", "appraisal__actual_end")
    for pk, day in ended:
        Finding.history.filter(id=pk, history_type="+").update(history_date=_at(day))
    pilot = Pilot.objects.filter(decision=Pilot.Decision.ADOPT).select_related("action_plan")
    adopted = pilot.first()
    if adopted is None or not AssetVersion.objects.filter(pilot=adopted).exists():
        return
    in_use = add_months(month_start(demo.today), -10) + timedelta(days=9)
    plan = adopted.action_plan
    type(plan).objects.filter(pk=plan.pk).update(approved_at=_at(in_use - timedelta(days=110)))
    for improvement in plan.improvements.all():
        found = in_use - timedelta(days=160)
        for finding in improvement.findings.all():
            finding.history.filter(history_type="+").update(history_date=_at(found))
        improvement.history.filter(history_type="+").update(history_date=_at(found))
        first_selected = improvement.history.filter(state="selected").order_by("history_date")
        selected = first_selected.values_list("history_id", flat=True).first()
        improvement.history.filter(history_id=selected).update(
            history_date=_at(in_use - timedelta(days=140))
        )
        improvement_stays.recount([improvement.pk])  # its history re-dated: no signal


def release_before_use(demo: Demo) -> None:
    """A late step, after ``deployment``'s ``falling_releases`` re-dated every release:
    the estimation workbook is released 20 days before it went into use, as its story
    says. Its release date is swapped with that of the version released closest to
    that day, so that the releases per month (the momentum) stay as they were."""
    workbook = AssetVersion.objects.filter(
        pilot__decision=Pilot.Decision.ADOPT, released_at__isnull=False
    ).first()
    if workbook is None or workbook.released_at is None:
        return
    in_use = add_months(month_start(demo.today), -10) + timedelta(days=9)
    wanted = _at(in_use - timedelta(days=20))
    others = AssetVersion.objects.filter(released_at__lte=_at(in_use)).exclude(pk=workbook.pk)
    other = min(others, key=lambda v: abs(v.released_at - wanted), default=None)
    if other is None or other.released_at is None:
        return
    AssetVersion.objects.filter(pk=other.pk).update(released_at=workbook.released_at)
    AssetVersion.objects.filter(pk=workbook.pk).update(released_at=other.released_at)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


STEPS = [
    build_audits,
    build_own_process_audit,
    audit_tailored_process,
    progress_non_compliances,
    build_lessons,
    build_proposals,
    build_measures,
    build_architecture,
    build_measured_effect,
    build_baseline,
    date_the_loop,
    build_review,
]


def milestones_follow(demo: Demo) -> None:
    """The last late step: the history, approvals and releases re-dated in bulk (no
    signal), each improvement's stored milestones follow them."""
    refresh_milestones()


LATE_STEPS = [release_before_use, milestones_follow]
