"""Writes of the improvement pipeline (SP 1.3), used by pages, API and demo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions import evaluation, notices
from actions.business_case import BusinessCase
from actions.models import (
    ActionItem,
    Commitment,
    CostRate,
    Improvement,
    ImprovementScore,
    Pilot,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PrioritizationCriterion,
    ProcessActionPlan,
    SuccessCriterion,
)
from appraisals.models import Finding, ProcessNeed
from opf.core.errors import TransitionRefused
from opf.core.history import attribute_change
from opf.core.permissions import can
from opf.core.services import check, save_object
from opf.core.versioning import guard_write
from opf.core.workflow import Transition, Workflow

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

# --- lifecycle ---------------------------------------------------------------


@transaction.atomic
def improvement_select(improvement: Improvement, *, actor: User, reason: str = "") -> Improvement:
    return Improvement.workflow.run(improvement, "select", actor=actor, reason=reason)


@transaction.atomic
def improvement_defer(improvement: Improvement, *, actor: User, reason: str = "") -> Improvement:
    return Improvement.workflow.run(improvement, "defer", actor=actor, reason=reason)


@transaction.atomic
def improvement_reject(improvement: Improvement, *, actor: User, reason: str = "") -> Improvement:
    return Improvement.workflow.run(improvement, "reject", actor=actor, reason=reason)


@transaction.atomic
def improvement_reconsider(
    improvement: Improvement, *, actor: User, reason: str = ""
) -> Improvement:
    return Improvement.workflow.run(improvement, "reconsider", actor=actor, reason=reason)


# --- creation from sources ---------------------------------------------------


@transaction.atomic
def improvement_create_from_findings(
    *,
    findings: Iterable[Finding],
    title: str,
    actor: User,
    separately: bool = False,
    description: str = "",
) -> list[Improvement]:
    """Weaknesses -> one improvement citing them all, or one per weakness."""
    chosen = list(findings)
    if not chosen:
        raise ValidationError({"findings": _("Choose at least one weakness.")})
    if any(f.kind != Finding.Kind.WEAKNESS for f in chosen):
        raise ValidationError({"findings": _("Only weaknesses become improvements.")})
    if not separately and not title.strip():
        raise ValidationError({"title": _("Give the improvement a title.")})
    groups = [[f] for f in chosen] if separately else [chosen]
    created = []
    for group in groups:
        if separately:
            text = f"{title.strip()}: {group[0]}" if title.strip() else str(group[0])
        else:
            text = title.strip()
        improvement = save_object(
            Improvement(title=text[:200], description=description),
            actor=actor,
            reason=_("Created from findings"),
        )
        improvement.findings.set(group)
        improvement.process_areas.set({f.process_area_id for f in group})
        created.append(improvement)
    return created


@transaction.atomic
def improvement_create_from_need(*, need: ProcessNeed, actor: User) -> Improvement:
    improvement = save_object(
        Improvement(title=str(need)[:200], description=need.statement),
        actor=actor,
        reason=_("Created from a process need"),
    )
    improvement.needs.add(need)
    return improvement


# --- prioritization ----------------------------------------------------------


@transaction.atomic
def improvement_score(
    *, improvement: Improvement, criterion: PrioritizationCriterion, value: int | None, actor: User
) -> ImprovementScore | None:
    """Set (or, with ``None``, clear) one criterion's score of an improvement."""
    check(actor, "change", improvement)
    if criterion.source != PrioritizationCriterion.Source.SCORED:
        raise ValidationError(
            {
                "criterion": _("%(c)s is computed from the business case, not scored by hand.")
                % {"c": criterion}
            }
        )
    existing = ImprovementScore.objects.filter(improvement=improvement, criterion=criterion).first()
    if value is None:
        if existing is not None:
            attribute_change(existing, actor)
            existing.delete()
        return None
    score = existing or ImprovementScore(improvement=improvement, criterion=criterion)
    score.value = value
    return save_object(score, actor=actor)


@transaction.atomic
def improvement_set_rank(
    improvement: Improvement, *, rank: int | None, reason: str = "", actor: User
) -> Improvement:
    """Pin an improvement at a manual rank (a reason is required), or unpin it."""
    check(actor, "change", improvement)
    if rank is not None and rank < 1:
        raise ValidationError({"rank": _("A rank starts at 1.")})
    if rank is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why the rank is set by hand.")})
    improvement.rank_override = rank
    improvement.rank_reason = reason.strip() if rank is not None else ""
    return save_object(
        improvement,
        actor=actor,
        reason=(_("Rank set to %(rank)d") % {"rank": rank}) if rank else _("Manual rank removed"),
    )


def priority_of(improvement: Improvement) -> int:
    """The stored priority (kept exact by ``actions.models.improvements.keep_priorities``)."""
    return Improvement.objects.values_list("priority", flat=True).get(pk=improvement.pk)


# --- business case ----------------------------------------------------------------


def business_case_of(improvement: Improvement) -> BusinessCase:
    """The improvement's case at the current hourly rate, with its actual cost: the
    spent hours of its plans' items (annotated by ``with_spent_hours``, else read;
    a plan shared by several improvements counts for each)."""
    if not hasattr(improvement, "spent_hours"):
        improvement = Improvement.objects.with_spent_hours().get(pk=improvement.pk)
    spent = getattr(improvement, "spent_hours", None)
    rate = getattr(improvement, "rate_in_use", None)
    return improvement.business_case(
        CostRate.current() if rate is None else Decimal(rate),
        None if spent is None else Decimal(spent),
    )


def selected_improvements() -> Any:
    """What action plans start from: the selected improvements, best first."""
    return Improvement.objects.filter(state=Improvement.State.SELECTED).ranked()


# --- SG 2: process action plans ---------------------------------------------------

# The improvement's own workflow has no buttons for these: plans move them.
IMPROVEMENT_PROGRESS = Workflow(
    Transition(
        "start_action",
        _lazy("In action"),
        source=[Improvement.State.SELECTED],
        target=Improvement.State.IN_ACTION,
    ),
    Transition(
        "implement",
        _lazy("Implemented"),
        source=[Improvement.State.IN_ACTION],
        target=Improvement.State.IMPLEMENTED,
    ),
)


def check_improvements(
    plan: ProcessActionPlan | None, improvements: Iterable[Improvement]
) -> list[Improvement]:
    """Only selected improvements may be added to a plan (those it already has stay)."""
    chosen = list(improvements)
    already = set(plan.improvements.values_list("pk", flat=True)) if plan and plan.pk else set()
    bad = [str(i) for i in chosen if i.pk not in already and i.state != Improvement.State.SELECTED]
    if bad:
        raise ValidationError(
            {
                "improvements": _(
                    "Only selected improvements can be planned; not selected: %(list)s."
                )
                % {"list": "; ".join(bad)}
            }
        )
    return chosen


@transaction.atomic
def plan_submit(plan: ProcessActionPlan, *, actor: User, reason: str = "") -> ProcessActionPlan:
    """Draft → in review: needs at least one named reviewer; every review restarts pending."""
    if plan.state == ProcessActionPlan.State.DRAFT and not plan.reviews.exists():
        raise TransitionRefused(_("Name at least one reviewer before submitting the plan."))
    ProcessActionPlan.workflow.run(plan, "submit", actor=actor, reason=reason)
    for review in plan.reviews.exclude(decision=PlanReview.Decision.PENDING):
        review.decision = PlanReview.Decision.PENDING
        review.decided_at = None
        attribute_change(review, actor, str(_("Plan resubmitted")))
        review.save(update_fields=["decision", "decided_at"])
    notices.plan_submitted(plan, actor)
    return plan


@transaction.atomic
def plan_approve(plan: ProcessActionPlan, *, actor: User, reason: str = "") -> ProcessActionPlan:
    """In review → approved, by an executive, once every named review approves."""
    if plan.state == ProcessActionPlan.State.IN_REVIEW:
        waiting = [
            str(r.reviewer)
            for r in plan.reviews.select_related("reviewer")
            if r.decision != PlanReview.Decision.APPROVED
        ]
        if waiting:
            raise TransitionRefused(
                _("Every review must approve first; still waiting for: %(names)s.")
                % {"names": ", ".join(waiting)}
            )
    return ProcessActionPlan.workflow.run(
        plan, "approve", actor=actor, reason=reason, extra={"approved_at": timezone.now()}
    )


def may_request_changes(plan: ProcessActionPlan, user: User | AnonymousUser) -> bool:
    """A named reviewer with a pending review, or an executive."""
    if can(user, "approve", plan):
        return True
    return plan.reviews.filter(reviewer_id=user.pk, decision=PlanReview.Decision.PENDING).exists()


@transaction.atomic
def plan_request_changes(
    plan: ProcessActionPlan, *, actor: User, reason: str = ""
) -> ProcessActionPlan:
    """In review → draft with the comments. A reviewer's request is their review's decision."""
    review = plan.reviews.filter(
        reviewer_id=getattr(actor, "pk", None), decision=PlanReview.Decision.PENDING
    ).first()
    if review is not None and plan.state == ProcessActionPlan.State.IN_REVIEW:
        review_request_changes(review, actor=actor, reason=reason)
        plan.refresh_from_db()
        return plan
    if not can(actor, "approve", plan):
        raise TransitionRefused(_("Only a named reviewer or an executive can request changes."))
    return _plan_back_to_draft(plan, actor=actor, reason=reason)


def _plan_back_to_draft(plan: ProcessActionPlan, *, actor: User, reason: str) -> ProcessActionPlan:
    ProcessActionPlan.workflow.run(plan, "request_changes", actor=actor, reason=reason)
    notices.changes_requested(plan, actor, str(reason))
    return plan


@transaction.atomic
def plan_start(plan: ProcessActionPlan, *, actor: User, reason: str = "") -> ProcessActionPlan:
    """Approved → in progress; its selected improvements move to "in action"."""
    ProcessActionPlan.workflow.run(plan, "start", actor=actor, reason=reason)
    for improvement in plan.improvements.filter(state=Improvement.State.SELECTED):
        IMPROVEMENT_PROGRESS.run(
            improvement, "start_action", actor=actor, reason=str(_("Action plan started"))
        )
    return plan


def _may_step(workflow: Workflow, obj: Model, name: str, actor: User) -> None:
    """Who may not take the step learns that first, before any rule about the record."""
    if not can(actor, workflow.transitions[name].action, obj):
        raise TransitionRefused(_("You are not allowed to do this."))


@dataclass(frozen=True)
class OpenWork:
    """What keeps a plan from completing: not closed and not carried over."""

    items: list[ActionItem]
    issues: list[PlanIssue]
    commitments: list[Commitment]

    def __bool__(self) -> bool:
        return bool(self.items or self.issues or self.commitments)

    def records(self) -> list[Model]:
        return [*self.items, *self.issues, *self.commitments]


OPEN_COMMITMENTS = Commitment.OPEN_STATUSES


def open_work(plan: ProcessActionPlan) -> OpenWork:
    """Items not done, issues not closed, commitments neither kept nor broken, that
    were not carried over to another plan (three queries)."""
    return OpenWork(
        items=list(plan.items.filter(status__in=ActionItem.OPEN_STATUSES, carried_to__isnull=True)),
        issues=list(
            plan.issues.exclude(status=PlanIssue.Status.CLOSED).filter(carried_to__isnull=True)
        ),
        commitments=list(
            plan.commitments.filter(status__in=OPEN_COMMITMENTS, carried_to__isnull=True)
        ),
    )


OBJECTIVE_CHOICES = ("yes", "partly", "no")


def _objective_outcomes(
    plan: ProcessActionPlan, outcomes: Iterable[dict[str, Any]] | None
) -> list[tuple[Improvement, str, str]]:
    """Per improvement in action: was its objective reached (yes/partly/no), and a
    note (required unless reached)."""
    given = {}
    for row in outcomes or ():
        improvement = row.get("improvement")
        key = getattr(improvement, "pk", improvement)
        given[key] = (str(row.get("reached") or ""), str(row.get("note") or "").strip())
    rows, missing, bad = [], [], []
    for improvement in plan.improvements.filter(state=Improvement.State.IN_ACTION):
        reached, note = given.get(improvement.pk, ("", ""))
        if reached not in OBJECTIVE_CHOICES:
            missing.append(str(improvement))
        elif reached != "yes" and not note:
            bad.append(str(improvement))
        rows.append((improvement, reached, note))
    if missing:
        raise ValidationError(
            {
                "outcomes": _(
                    "Say for each improvement whether its objective was reached "
                    "(yes, partly or no); not answered: %(list)s."
                )
                % {"list": "; ".join(missing)}
            }
        )
    if bad:
        raise ValidationError(
            {
                "outcomes": _("Say what was not reached (a note) for: %(list)s.")
                % {"list": "; ".join(bad)}
            }
        )
    return rows


def open_work_message(work: OpenWork) -> str:
    names = "; ".join(f"{obj._meta.verbose_name} “{obj}”" for obj in work.records())
    return _(
        "The plan cannot complete while work is open: close or carry over "
        "(to another open plan, with a reason) %(list)s."
    ) % {"list": names}


@transaction.atomic
def plan_complete(
    plan: ProcessActionPlan,
    *,
    actor: User,
    reason: str = "",
    outcomes: Iterable[dict[str, Any]] | None = None,
) -> ProcessActionPlan:
    """In progress → completed, once every item, issue and commitment is closed or
    carried over, and each improvement in action says whether its objective was
    reached (``outcomes``: improvement, reached yes/partly/no, note). Only a
    reached objective marks its improvement implemented; otherwise it stays in
    action with the note."""
    _may_step(ProcessActionPlan.workflow, plan, "complete", actor)
    if plan.state == ProcessActionPlan.State.IN_PROGRESS:
        work = open_work(plan)
        if work:
            raise TransitionRefused(open_work_message(work))
        rows = _objective_outcomes(plan, outcomes)
    else:
        rows = []
    ProcessActionPlan.workflow.run(plan, "complete", actor=actor, reason=reason)
    for improvement, reached, note in rows:
        extra = {"objective_reached": reached, "objective_note": note}
        if reached == "yes":
            IMPROVEMENT_PROGRESS.run(
                improvement,
                "implement",
                actor=actor,
                reason=str(_("Action plan completed: objective reached")),
                extra=extra,
            )
            continue
        improvement.objective_reached = reached
        improvement.objective_note = note
        guard_write(improvement, expected=None)
        attribute_change(
            improvement,
            actor,
            str(_("Action plan %(plan)s completed; objective %(r)s"))
            % {"plan": plan, "r": improvement.get_objective_reached_display()},
        )
        improvement.save()
    return plan


# --- carrying open work over to another plan -----------------------------------------

CARRY_COPY_FIELDS: dict[type[Model], tuple[str, ...]] = {
    ActionItem: ("title", "assignee", "due", "planned_effort"),
    PlanIssue: ("title", "description", "owner", "root_cause", "status"),
    Commitment: ("what", "from_party", "to_party", "due"),
}


def _still_open(obj: ActionItem | PlanIssue | Commitment) -> bool:
    if isinstance(obj, ActionItem):
        return obj.status in ActionItem.OPEN_STATUSES
    if isinstance(obj, PlanIssue):
        return obj.status != PlanIssue.Status.CLOSED
    return obj.status in OPEN_COMMITMENTS


@transaction.atomic
def carry_over(
    obj: ActionItem | PlanIssue | Commitment,
    *,
    to_plan: ProcessActionPlan,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ActionItem | PlanIssue | Commitment:
    """Carry an open item, issue or commitment over to another open plan, with a
    reason: a copy opens there, the original is marked carried over (its plan may
    then complete). Returns the copy."""
    check(actor, "add", type(obj))
    if obj.carried_to_id is not None:
        raise TransitionRefused(
            _("%(obj)s was already carried over to %(plan)s.")
            % {"obj": obj, "plan": obj.carried_to}
        )
    if not _still_open(obj):
        raise TransitionRefused(_("%(obj)s is closed: nothing to carry over.") % {"obj": obj})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is carried over.")})
    if to_plan.pk == obj.plan_id:
        raise ValidationError({"to_plan": _("Choose another plan than its own.")})
    if to_plan.state not in ProcessActionPlan.OPEN_STATES:
        raise ValidationError(
            {
                "to_plan": _("%(plan)s is %(state)s: carry over to an open plan.")
                % {"plan": to_plan, "state": to_plan.get_state_display()}
            }
        )
    model = type(obj)
    copy = model(plan=to_plan, **{f: getattr(obj, f) for f in CARRY_COPY_FIELDS[model]})
    why = reason.strip()
    save_object(
        copy,
        actor=actor,
        reason=_("Carried over from %(plan)s: %(why)s") % {"plan": obj.plan, "why": why},
    )
    obj.carried_to = to_plan
    obj.carry_reason = why
    guard_write(obj, expected=expected_version)
    attribute_change(
        obj, actor, str(_("Carried over to %(plan)s: %(why)s") % {"plan": to_plan, "why": why})
    )
    obj.save()
    return copy


@transaction.atomic
def carry_over_many(
    records: Iterable[ActionItem | PlanIssue | Commitment],
    *,
    to_plan: ProcessActionPlan,
    actor: User,
    reason: str = "",
) -> list[ActionItem | PlanIssue | Commitment]:
    """Carry several open records over to one plan with one reason: all of them or,
    when one is refused, none (the refusal names it)."""
    chosen = list(records)
    if not chosen:
        raise ValidationError({"records": _("Tick what to carry over.")})
    return [carry_over(obj, to_plan=to_plan, actor=actor, reason=reason) for obj in chosen]


@transaction.atomic
def plan_cancel(plan: ProcessActionPlan, *, actor: User, reason: str = "") -> ProcessActionPlan:
    return ProcessActionPlan.workflow.run(
        plan, "cancel", actor=actor, reason=reason, extra={"cancel_reason": reason.strip()}
    )


# --- reviews -------------------------------------------------------------------------


def _review_open(review: PlanReview) -> None:
    if review.plan.state != ProcessActionPlan.State.IN_REVIEW:
        raise TransitionRefused(
            _("The plan is %(state)s: reviews are recorded while it is in review.")
            % {"state": review.plan.get_state_display()}
        )


@transaction.atomic
def review_approve(review: PlanReview, *, actor: User, reason: str = "") -> PlanReview:
    """The reviewer approves the plan (their own review only)."""
    _review_open(review)
    extra: dict[str, Any] = {"decided_at": timezone.now()}
    if reason.strip():
        extra["comments"] = reason.strip()
    PlanReview.workflow.run(review, "approve", actor=actor, reason=reason, extra=extra)
    notices.plan_reviewed(review.plan, actor)
    return review


@transaction.atomic
def review_request_changes(review: PlanReview, *, actor: User, reason: str = "") -> PlanReview:
    """The reviewer asks for changes (comments required): the plan goes back to draft."""
    _review_open(review)
    PlanReview.workflow.run(
        review,
        "request_changes",
        actor=actor,
        reason=reason,
        extra={"decided_at": timezone.now(), "comments": reason.strip()},
    )
    _plan_back_to_draft(
        review.plan,
        actor=actor,
        reason=_("Changes requested by %(name)s: %(comments)s")
        % {"name": actor, "comments": reason.strip()},
    )
    return review


# --- action items --------------------------------------------------------------------


@transaction.atomic
def action_item_move(item: ActionItem, *, status: str, actor: User, reason: str = "") -> ActionItem:
    """Move an item to ``status`` (the board's drag, a button, the API's ``move``)."""
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status of the board.")})
    if item.plan.state not in ProcessActionPlan.OPEN_STATES:
        raise TransitionRefused(
            _("The plan is %(state)s: its items no longer move.")
            % {"state": item.plan.get_state_display()}
        )
    if item.carried_to_id is not None:
        raise TransitionRefused(
            _("%(item)s was carried over to %(plan)s: move the copy there.")
            % {"item": item, "plan": item.carried_to}
        )
    if status == item.status:
        return item
    done_on = timezone.localdate() if status == ActionItem.Status.DONE else None
    return ActionItem.workflow.run(
        item, status, actor=actor, reason=reason, extra={"done_on": done_on}
    )


def plan_progress(items: Iterable[ActionItem]) -> Progress:
    """Done planned effort / total planned effort (items without planned effort
    count one hour each, so a plan of unestimated items still shows progress)."""
    total = Decimal("0")
    done = Decimal("0")
    for item in items:
        weight = item.planned_effort if item.planned_effort > 0 else Decimal("1")
        total += weight
        if item.status == ActionItem.Status.DONE:
            done += weight
    ratio = (done * 100 / total) if total else Decimal("0")
    percent = int(ratio.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return Progress(done=done, total=total, percent=percent)


@dataclass(frozen=True)
class Progress:
    done: Decimal
    total: Decimal
    percent: int


@transaction.atomic
def meeting_add_follow_up(
    meeting: PlanMeeting,
    *,
    title: str,
    assignee: User | None = None,
    due: date | None = None,
    planned_effort: Decimal = Decimal("0"),
    actor: User,
) -> ActionItem:
    """A follow-up item decided in a meeting: an action item of the plan, traced to it."""
    check(actor, "change", meeting)
    item = ActionItem(
        plan=meeting.plan,
        title=title.strip(),
        assignee=assignee,
        due=due,
        planned_effort=planned_effort,
        meeting=meeting,
    )
    reason = _("Follow-up of the meeting of %(date)s") % {"date": meeting.date}
    return save_object(item, actor=actor, reason=reason)


# --- commitments and issues ----------------------------------------------------------


@transaction.atomic
def commitment_agree(commitment: Commitment, *, actor: User, reason: str = "") -> Commitment:
    return Commitment.workflow.run(commitment, "agree", actor=actor, reason=reason)


@transaction.atomic
def commitment_revise(commitment: Commitment, *, actor: User, reason: str = "") -> Commitment:
    """Renegotiate (reason required): what and when are edited, then agreed again."""
    return Commitment.workflow.run(commitment, "revise", actor=actor, reason=reason)


@transaction.atomic
def commitment_keep(commitment: Commitment, *, actor: User, reason: str = "") -> Commitment:
    return Commitment.workflow.run(commitment, "keep", actor=actor, reason=reason)


@transaction.atomic
def commitment_break(commitment: Commitment, *, actor: User, reason: str = "") -> Commitment:
    """The commitment was not kept (the step ``mark_broken``; reason required)."""
    return Commitment.workflow.run(commitment, "mark_broken", actor=actor, reason=reason)


@transaction.atomic
def issue_work(issue: PlanIssue, *, actor: User, reason: str = "") -> PlanIssue:
    return PlanIssue.workflow.run(issue, "work", actor=actor, reason=reason)


@transaction.atomic
def issue_close(issue: PlanIssue, *, actor: User, reason: str = "") -> PlanIssue:
    """Close the issue: the reason is its resolution."""
    return PlanIssue.workflow.run(
        issue, "close", actor=actor, reason=reason, extra={"resolution": reason.strip()}
    )


@transaction.atomic
def issue_reopen(issue: PlanIssue, *, actor: User, reason: str = "") -> PlanIssue:
    return PlanIssue.workflow.run(issue, "reopen", actor=actor, reason=reason)


# --- pilots ---------------------------------------------------------------------------


@transaction.atomic
def pilot_adopt_override(pilot: Pilot, *, actor: User, reason: str = "") -> Pilot:
    """An executive adopts the pilot by override; ``reason`` is the override's."""
    return pilot_decide(
        pilot,
        decision=Pilot.Decision.ADOPT,
        rationale=reason,
        override_reason=reason,
        actor=actor,
    )


@transaction.atomic
def pilot_start(pilot: Pilot, *, actor: User, reason: str = "") -> Pilot:
    return Pilot.workflow.run(pilot, "start", actor=actor, reason=reason)


@transaction.atomic
def pilot_evaluate(pilot: Pilot, *, actor: User, reason: str = "") -> Pilot:
    Pilot.workflow.run(pilot, "evaluate", actor=actor, reason=reason)
    notices.pilot_evaluated(pilot, actor)
    return pilot


@transaction.atomic
def pilot_record_results(
    pilot: Pilot, *, results: Iterable[tuple[SuccessCriterion, Decimal | None]], actor: User
) -> Pilot:
    """Results per criterion, while the pilot runs or is being evaluated."""
    check(actor, "change", pilot)
    if pilot.state not in (Pilot.State.RUNNING, Pilot.State.EVALUATED):
        raise TransitionRefused(
            _("Results are recorded while the pilot runs or is evaluated; it is %(state)s.")
            % {"state": pilot.get_state_display()}
        )
    for criterion, value in results:
        if criterion.pilot_id != pilot.pk:
            raise ValidationError({"criterion": _("A criterion of another pilot.")})
        criterion.result = value
        save_object(criterion, actor=actor, reason=_("Result recorded"))
    return pilot


def is_executive(user: User | AnonymousUser) -> bool:
    from opf.core.roles import EXECUTIVE, has_role

    return bool(user.is_superuser) or has_role(user, EXECUTIVE)


def adopt_refusal(pilot: Pilot) -> str | None:
    """Why the pilot may not simply be adopted: a criterion not measured or not met."""
    rows, outcome = evaluation.evaluate(pilot.criteria.all())
    if outcome == evaluation.Outcome.MET:
        return None
    if not rows:
        return str(_("The pilot has no success criteria: nothing shows it worked."))
    failing = "; ".join(
        f"{row.criterion} ({row.outcome.label})"
        for row in rows
        if row.outcome != evaluation.Outcome.MET
    )
    return str(_("Not every success criterion is measured and met: %(list)s.") % {"list": failing})


@transaction.atomic
def pilot_decide(
    pilot: Pilot,
    *,
    decision: str,
    rationale: str,
    actor: User,
    changes: str = "",
    override_reason: str = "",
) -> Pilot:
    """Adopt, adapt or abandon an evaluated pilot, with the rationale (required).

    Adopt only when every success criterion is measured and met, or by an
    executive's override with its reason (kept on the pilot and in its history);
    adapt says what changes."""
    if decision not in Pilot.Decision.values:
        raise ValidationError({"decision": _("Choose adopt, adapt or abandon.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale of the decision.")})
    if decision == Pilot.Decision.ADAPT and not changes.strip():
        raise ValidationError({"changes": _("Say what changes before the adapted rollout.")})
    steps = Pilot.workflow.transitions
    may_decide = can(actor, steps["decide"].action, pilot)
    may_override = can(actor, steps["adopt_override"].action, pilot)
    if not (may_decide or may_override):
        raise TransitionRefused(_("You are not allowed to do this."))
    refusal = None
    if decision == Pilot.Decision.ADOPT and pilot.state == Pilot.State.EVALUATED:
        refusal = adopt_refusal(pilot)
    if refusal is not None and not may_override:
        raise TransitionRefused(
            _(
                "%(why)s Adopt it only when every criterion is met, or an "
                "executive overrides with a reason; otherwise adapt or abandon."
            )
            % {"why": refusal}
        )
    if refusal is not None:
        if not override_reason.strip():
            raise ValidationError(
                {
                    "override_reason": _(
                        "%(why)s To adopt it anyway, give the reason for the override."
                    )
                    % {"why": refusal}
                }
            )
        override = override_reason.strip()
        return Pilot.workflow.run(
            pilot,
            "adopt_override",
            actor=actor,
            reason=_("Executive override: %(why)s") % {"why": override},
            extra={
                "decision": decision,
                "rationale": rationale.strip(),
                "decided_at": timezone.now(),
                "override_reason": override,
            },
        )
    if not may_decide:
        raise TransitionRefused(
            _(
                "An executive decides a pilot only to adopt it by override; "
                "the process group decides the rest."
            )
        )
    return Pilot.workflow.run(
        pilot,
        "decide",
        actor=actor,
        reason=rationale,
        extra={
            "decision": decision,
            "rationale": rationale.strip(),
            "decided_at": timezone.now(),
            "changes": changes.strip() if decision == Pilot.Decision.ADAPT else "",
        },
    )
