"""Writes of the improvement pipeline (SP 1.3), used by pages, API and demo."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions import notices
from actions.models import (
    ActionItem,
    Commitment,
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
    return Improvement.objects.with_priority().get(pk=improvement.pk).priority


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


@transaction.atomic
def plan_complete(plan: ProcessActionPlan, *, actor: User, reason: str = "") -> ProcessActionPlan:
    """In progress → completed; its improvements in action become implemented."""
    ProcessActionPlan.workflow.run(plan, "complete", actor=actor, reason=reason)
    for improvement in plan.improvements.filter(state=Improvement.State.IN_ACTION):
        IMPROVEMENT_PROGRESS.run(
            improvement, "implement", actor=actor, reason=str(_("Action plan completed"))
        )
    return plan


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


@transaction.atomic
def pilot_decide(pilot: Pilot, *, decision: str, rationale: str, actor: User) -> Pilot:
    """Adopt, adapt or abandon an evaluated pilot, with the rationale (required)."""
    if decision not in Pilot.Decision.values:
        raise ValidationError({"decision": _("Choose adopt, adapt or abandon.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the rationale of the decision.")})
    return Pilot.workflow.run(
        pilot,
        "decide",
        actor=actor,
        reason=rationale,
        extra={"decision": decision, "rationale": rationale.strip(), "decided_at": timezone.now()},
    )
