"""Demo data: weighted criteria and a ranked list of improvements, traced to the
demo appraisals' weaknesses and to process needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import F

from actions import item_figures, services
from actions.models import (
    ActionItem,
    Commitment,
    CostRate,
    Improvement,
    Milestone,
    Pilot,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PlanTeamMember,
    PrioritizationCriterion,
    ProcessActionPlan,
    SuccessCriterion,
)
from appraisals.models import Finding, ProcessNeed
from opf.core.accounts import User
from opf.core.roles import EXECUTIVE
from opf.core.services import save_object
from opf.organization.demo import DEMO_PASSWORD, Demo

CRITERIA = [
    # name, weight, higher is better, description
    ("Benefit", 5, True, "Expected gain for projects and customers."),
    ("Alignment with needs", 4, True, "How directly it serves the recorded process needs."),
    ("Urgency", 3, True, "Cost of waiting another quarter."),
    ("Cost", 3, False, "Effort and money to implement and deploy."),
    ("Risk", 2, False, "Chance that it fails or disrupts projects."),
]


# title prefix, estimated hours, other cost, money a year, hours saved a year
BUSINESS_CASES = [
    # 120 h x 90/h + 2,000 = 12,800; 48,000 a year: payback 3.2 months, ratio 3.75
    ("Estimation method", "120", "2000", "48000", None),
    ("Traceability", "300", "15000", None, "200"),
    ("Milestone-based", "160", "0", "9000", None),
]


def _business_cases(demo: Demo, improvements: list[Improvement]) -> None:
    epg = demo.users["epg"]
    save_object(CostRate(name="Blended engineering rate", hourly_rate=Decimal("90")), actor=epg)
    save_object(
        PrioritizationCriterion(
            name="Benefit/cost ratio",
            weight=8,
            source=PrioritizationCriterion.Source.BENEFIT_COST,
            description="The business case's expected benefit a year over its cost.",
            order=len(CRITERIA) + 1,
        ),
        actor=epg,
    )
    for prefix, hours, other, money, saved in BUSINESS_CASES:
        improvement = next((i for i in improvements if i.title.startswith(prefix)), None)
        if improvement is None:
            continue
        improvement.estimated_hours = Decimal(hours)
        improvement.other_cost = Decimal(other)
        improvement.benefit_money_per_year = Decimal(money) if money else None
        improvement.benefit_hours_per_year = Decimal(saved) if saved else None
        save_object(improvement, actor=epg, reason="Business case")


def build_improvements(demo: Demo) -> None:
    epg = demo.users["epg"]
    criteria = []
    for order, (name, weight, higher, description) in enumerate(CRITERIA, start=1):
        criteria.append(
            save_object(
                PrioritizationCriterion(
                    name=name,
                    weight=weight,
                    higher_is_better=higher,
                    description=description,
                    order=order,
                ),
                actor=epg,
            )
        )
    weaknesses = list(
        Finding.objects.filter(kind=Finding.Kind.WEAKNESS)
        .select_related("process_area", "practice")
        .order_by("pk")
    )
    by_area: dict[str, list[Finding]] = {}
    for finding in weaknesses:
        by_area.setdefault(finding.process_area.abbreviation, []).append(finding)
    improvements = []
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("PP", []),
        title="Estimation method calibrated on historical data",
        actor=epg,
    )
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("REQM", []), title="Traceability in the requirements tool", actor=epg
    )
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("PMC", []), title="Milestone-based progress tracking", actor=epg
    )
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("OPF", []), separately=True, title="", actor=epg
    )
    for need in ProcessNeed.objects.filter(priority=ProcessNeed.Priority.HIGH).order_by("pk")[:2]:
        improvements.append(services.improvement_create_from_need(need=need, actor=epg))
    _business_cases(demo, improvements)
    for improvement in improvements:
        for criterion in criteria:
            services.improvement_score(
                improvement=improvement,
                criterion=criterion,
                value=demo.rng.randint(1, 5),
                actor=epg,
            )
    ranked = list(Improvement.objects.filter(pk__in=[i.pk for i in improvements]).ranked())
    for improvement in ranked[:3]:
        services.improvement_select(improvement, actor=epg)
    services.improvement_defer(ranked[-1], actor=epg, reason="Wait for the tool migration.")
    services.improvement_set_rank(
        ranked[1],
        rank=1,
        reason="Certification audit in June makes this the first priority.",
        actor=epg,
    )


# --- SG 2: action plans in every state, pilots --------------------------------------------


def _plan(
    demo: Demo, title: str, improvements: list[Improvement], strategy: str, owner: str
) -> ProcessActionPlan:
    epg = demo.users["epg"]
    plan = save_object(
        ProcessActionPlan(
            title=title,
            strategy=strategy,
            owner=demo.users[owner],
            sponsor=demo.users["exec"],
            stakeholders="Project managers and engineers of the pilot projects; QA.",
        ),
        actor=epg,
    )
    plan.improvements.set(improvements)
    for username, role in (("epg2", "Process author"), ("member", "Practitioner"), (owner, "Lead")):
        if not plan.team.filter(user=demo.users[username]).exists():
            save_object(PlanTeamMember(plan=plan, user=demo.users[username], role=role), actor=epg)
    return plan


def _items(demo: Demo, plan: ProcessActionPlan, rows: list[tuple]) -> list[ActionItem]:
    """rows: (title, assignee, due in days from today, planned h, spent h, status, milestone)"""
    epg = demo.users["epg"]
    made = []
    for title, who, days, planned, spent, status, milestone in rows:
        item = save_object(
            ActionItem(
                plan=plan,
                title=title,
                assignee=demo.users[who],
                due=demo.today + timedelta(days=days),
                planned_effort=Decimal(planned),
                spent_effort=Decimal(spent),
                milestone=milestone,
            ),
            actor=epg,
        )
        if status != ActionItem.Status.TODO:
            services.action_item_move(item, status=status, actor=epg)
        made.append(item)
    return made


def _milestone(demo: Demo, plan: ProcessActionPlan, title: str, days: int, done: bool) -> Milestone:
    return save_object(
        Milestone(plan=plan, title=title, due=demo.today + timedelta(days=days), done=done),
        actor=demo.users["epg"],
    )


def _review(demo: Demo, plan: ProcessActionPlan, reviewer: str, focus: str) -> PlanReview:
    return save_object(
        PlanReview(plan=plan, reviewer=demo.users[reviewer], focus=focus), actor=demo.users["epg"]
    )


def _approved(demo: Demo, plan: ProcessActionPlan) -> None:
    """Reviewed by a project manager and an engineer, approved by the sponsor."""
    reviews = [
        _review(demo, plan, "pm", "Effect on projects"),
        _review(demo, plan, "member2", "Feasibility"),
    ]
    services.plan_submit(plan, actor=demo.users["epg"])
    for review in reviews:
        services.review_approve(review, actor=review.reviewer, reason="Looks workable.")
    services.plan_approve(plan, actor=demo.users["exec"], reason="Funded for this year.")


def _pilot(
    demo: Demo,
    plan: ProcessActionPlan,
    title: str,
    criteria: list[tuple[str, str, str, str, str]],
    decision: str,
    rationale: str,
) -> Pilot:
    epg = demo.users["epg"]
    pilot = save_object(
        Pilot(
            action_plan=plan,
            title=title,
            objective=f"Try “{plan.title}” on two projects before rolling it out.",
            start=demo.today - timedelta(days=90),
            end=demo.today - timedelta(days=20),
        ),
        actor=epg,
    )
    pilot.projects.set(demo.projects[:2])
    made = [
        save_object(
            SuccessCriterion(
                pilot=pilot, measure=measure, unit=unit, comparator=cmp, target=Decimal(target)
            ),
            actor=epg,
        )
        for measure, unit, cmp, target, _result in criteria
    ]
    services.pilot_start(pilot, actor=epg)
    services.pilot_record_results(
        pilot,
        results=[(c, Decimal(row[4])) for c, row in zip(made, criteria, strict=True)],
        actor=epg,
    )
    services.pilot_evaluate(pilot, actor=epg)
    services.pilot_decide(pilot, decision=decision, rationale=rationale, actor=epg)
    return pilot


def _improvement_picker(demo: Demo) -> Callable[[], list[Improvement]]:
    """Selected improvements, one per plan in order. Two more candidates are selected
    first: five plans carry one each and three stay "selected" (not yet started), as
    the improvement pipeline's demo shows."""
    epg = demo.users["epg"]
    selected = list(Improvement.objects.filter(state=Improvement.State.SELECTED).order_by("pk"))
    candidates = Improvement.objects.filter(state=Improvement.State.CANDIDATE).order_by("pk")
    for candidate in candidates[:2]:
        services.improvement_select(candidate, actor=epg)
        selected.append(candidate)
    pick = iter(selected)

    def next_improvements() -> list[Improvement]:
        improvement = next(pick, None)
        return [improvement] if improvement else []

    return next_improvements


def _completed_plan(demo: Demo, improvements: list[Improvement]) -> None:
    """Completed: everything done, its pilot met and adopted."""
    epg = demo.users["epg"]
    done = _plan(
        demo,
        "Calibrated estimation rollout",
        improvements,
        "Calibrate the estimation model on three years of actuals, pilot it on two "
        "projects, then make it the standard estimation method.",
        "epg",
    )
    m1 = _milestone(demo, done, "Model calibrated", -120, True)
    _items(
        demo,
        done,
        [
            ("Collect historical actuals", "member2", -150, "24", "30", "done", m1),
            ("Calibrate the model", "epg2", -125, "40", "36", "done", m1),
            ("Train the estimators", "epg2", -60, "16", "16", "done", None),
        ],
    )
    _approved(demo, done)
    services.plan_start(done, actor=epg)
    _pilot(
        demo,
        done,
        "Calibrated estimation on Flight Management",
        [
            ("Mean estimation error", "%", "<=", "15", "11.5"),
            ("Estimates revised after the baseline", "count", "<=", "2", "1"),
        ],
        Pilot.Decision.ADOPT,
        "Both criteria met; the project managers ask to keep it.",
    )
    services.plan_complete(
        done,
        actor=epg,
        reason="All items done; method adopted.",
        outcomes=[
            {"improvement": i, "reached": "yes", "note": "Estimation error down to 11.5 %."}
            for i in improvements
        ],
    )


def _running_plan(demo: Demo, improvements: list[Improvement]) -> None:
    """In progress: late and on-time items, commitments, issues, a meeting, a failed pilot."""
    epg = demo.users["epg"]
    running = _plan(
        demo,
        "Requirements traceability in the tool",
        improvements,
        "Configure trace links in the requirements tool, migrate two projects, then all.",
        "epg2",
    )
    m_config = _milestone(demo, running, "Tool configured", -30, True)
    m_migrate = _milestone(demo, running, "Pilot projects migrated", 20, False)
    _milestone(demo, running, "All projects migrated", 90, False)
    _items(
        demo,
        running,
        [
            ("Define the trace link types", "epg2", -45, "12", "14", "done", m_config),
            ("Configure the tool", "member3", -20, "24", "20", "doing", m_config),
            ("Migrate the ground link project", "pm2", -5, "32", "6", "blocked", m_migrate),
            ("Migrate the avionics project", "pm", 15, "32", "0", "todo", m_migrate),
            ("Write the traceability guideline", "member", 25, "16", "4", "doing", None),
        ],
    )
    _approved(demo, running)
    services.plan_start(running, actor=epg)
    _running_commitments(demo, running)
    _running_issues(demo, running)
    _running_meeting(demo, running)
    _pilot(
        demo,
        running,
        "Trace links on Satellite Ground Link",
        [
            ("Requirements with complete trace links", "%", ">=", "90", "72"),
            ("Hours per week to maintain links", "h", "<=", "4", "3"),
        ],
        Pilot.Decision.ABANDON,
        "Coverage far below target with the current tool; revisit after the upgrade.",
    )


def _running_commitments(demo: Demo, running: ProcessActionPlan) -> None:
    """One commitment renegotiated and agreed again, one kept."""
    epg = demo.users["epg"]
    commitment = save_object(
        Commitment(
            plan=running,
            what="Two engineers for the migration, two days a week",
            from_party="Ground systems",
            to_party="Process group",
            owner=demo.users["pm2"],  # Ground systems' project manager keeps it
            due=demo.today + timedelta(days=20),
        ),
        actor=epg,
    )
    services.commitment_agree(commitment, actor=epg)
    services.commitment_revise(commitment, actor=epg, reason="Release crunch: one engineer.")
    commitment.what = "One engineer for the migration, two days a week"
    save_object(commitment, actor=epg, reason="Renegotiated")
    services.commitment_agree(commitment, actor=epg, reason="Agreed with the ground PM.")
    kept = save_object(
        Commitment(
            plan=running,
            what="Tool administrator access",
            from_party="IT operations",
            to_party="Process group",
            due=demo.today - timedelta(days=40),
        ),
        actor=epg,
    )
    services.commitment_agree(kept, actor=epg)
    services.commitment_keep(kept, actor=epg)


def _running_issues(demo: Demo, running: ProcessActionPlan) -> None:
    """One issue being worked on, one closed with its root cause."""
    epg = demo.users["epg"]
    issue = save_object(
        PlanIssue(
            plan=running,
            title="Tool licence for the ground team expired",
            description="Migration blocked until renewed.",
            owner=demo.users["epg2"],
        ),
        actor=epg,
    )
    services.issue_work(issue, actor=epg)
    closed = save_object(
        PlanIssue(
            plan=running,
            title="Link types unclear for test cases",
            owner=demo.users["epg2"],
            root_cause="The guideline predates the test management module.",
        ),
        actor=epg,
    )
    services.issue_close(closed, actor=epg, reason="Added 'verifies' link type to the guideline.")


def _running_meeting(demo: Demo, running: ProcessActionPlan) -> None:
    """A meeting last week, with a follow-up for the sponsor."""
    epg = demo.users["epg"]
    meeting = save_object(
        PlanMeeting(
            plan=running,
            date=demo.today - timedelta(days=7),
            notes="Reviewed the migration; the ground project is blocked by the licence.",
            decisions="Escalate the licence; keep the avionics date.",
        ),
        actor=epg,
    )
    meeting.attendees.set([demo.users[u] for u in ("epg", "epg2", "pm", "pm2", "exec")])
    services.meeting_add_follow_up(
        meeting,
        title="Escalate the licence renewal",
        assignee=demo.users["exec"],
        due=demo.today + timedelta(days=3),
        actor=epg,
    )


def _approved_plan(demo: Demo, improvements: list[Improvement]) -> None:
    """Approved, not started."""
    approved = _plan(
        demo,
        "Milestone-based progress tracking",
        improvements,
        "Replace percent-complete reporting by milestone reviews.",
        "epg",
    )
    _milestone(demo, approved, "Template ready", 30, False)
    _items(demo, approved, [("Draft the milestone template", "epg2", 30, "8", "0", "todo", None)])
    _approved(demo, approved)


def _plan_in_review(demo: Demo, improvements: list[Improvement]) -> None:
    """In review: one review approved, one pending."""
    review_plan = _plan(
        demo,
        "Peer review checklist per work product",
        improvements,
        "One checklist per work product type, tried by two teams.",
        "epg2",
    )
    _items(demo, review_plan, [("Draft the checklists", "member", 40, "20", "0", "todo", None)])
    first = _review(demo, review_plan, "pm3", "Effect on projects")
    _review(demo, review_plan, "member", "Feasibility")
    services.plan_submit(review_plan, actor=demo.users["epg"])
    services.review_approve(first, actor=demo.users["pm3"], reason="Fine for embedded.")


def _plan_with_changes_requested(demo: Demo, improvements: list[Improvement]) -> None:
    """Draft after a change request: the comments stay visible on the plan."""
    redo = _plan(
        demo,
        "Process tailoring guideline",
        improvements,
        "Write tailoring rules for small projects.",
        "epg",
    )
    change_review = _review(demo, redo, "pm4", "Small projects")
    services.plan_submit(redo, actor=demo.users["epg"])
    services.review_request_changes(
        change_review,
        actor=demo.users["pm4"],
        reason="Say which work products a project under three months may skip.",
    )


def _cancelled_plan(demo: Demo, improvements: list[Improvement]) -> None:
    cancelled = _plan(
        demo,
        "Metrics dashboard in the old portal",
        improvements,
        "Build the dashboard in the legacy portal.",
        "epg2",
    )
    services.plan_cancel(cancelled, actor=demo.users["epg"], reason="The portal is being retired.")


def build_action_plans(demo: Demo) -> None:
    """Action plans in every state, each carrying the next selected improvement."""
    next_improvements = _improvement_picker(demo)
    _completed_plan(demo, next_improvements())
    _running_plan(demo, next_improvements())
    _approved_plan(demo, next_improvements())
    _plan_in_review(demo, next_improvements())
    _plan_with_changes_requested(demo, next_improvements())
    _cancelled_plan(demo, next_improvements())


def date_done_items(demo: Demo) -> None:
    """Demo items were marked done as they were created: date them on their due
    dates instead, so the burn-up and the momentum show a past."""
    ActionItem.objects.filter(status=ActionItem.Status.DONE, due__isnull=False).update(
        done_on=F("due")
    )
    item_figures.recount()  # an update() sends no signal


def plan_sponsor_left(demo: Demo) -> None:
    """The sponsor of the newest open action plan left the company (account deactivated):
    the sponsorship panel and the briefing call it out."""
    plan = (
        ProcessActionPlan.objects.exclude(
            state__in=[ProcessActionPlan.State.COMPLETED, ProcessActionPlan.State.CANCELLED]
        )
        .order_by("-pk")
        .first()
    )
    if plan is None:
        return
    former = User.objects.create_user(
        username="exec-left",
        first_name="Victor",
        last_name="Hale",
        email="exec-left@acme.example",
        password=DEMO_PASSWORD,
        job_title="Former VP Operations",
        org_unit=demo.units["ops"],
    )
    former.groups.add(Group.objects.get(name=EXECUTIVE.group))
    plan.sponsor = former
    save_object(plan, actor=demo.users["epg"], reason="Sponsor changed")
    User.objects.filter(pk=former.pk).update(is_active=False)


STEPS = [build_improvements, build_action_plans, date_done_items]
LATE_STEPS = [plan_sponsor_left]
