"""What the action plans tell people (``opf.core.notices``): reviews and approvals of
plans, items assigned, pilots waiting for their decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions.models import ActionItem, Commitment, Pilot, PlanReview, ProcessActionPlan
from opf.core.notices import NoticeKind, role_members, tell, tell_each
from opf.core.roles import EXECUTIVE

if TYPE_CHECKING:
    from opf.core.accounts import User

REVIEW_REQUESTED = "plan_review_requested"
APPROVAL_DUE = "plan_approval_due"
CHANGES_REQUESTED = "plan_changes_requested"
ITEM_ASSIGNED = "action_item_assigned"
PILOT_DECISION_DUE = "pilot_decision_due"

KINDS = (
    NoticeKind(REVIEW_REQUESTED, _lazy("A plan review is requested of you")),
    NoticeKind(APPROVAL_DUE, _lazy("A plan you sponsor is ready for approval")),
    NoticeKind(CHANGES_REQUESTED, _lazy("Changes are requested on your plan")),
    NoticeKind(
        ITEM_ASSIGNED,
        _lazy("An action item, a meeting's follow-up or a commitment is assigned to you"),
    ),
    NoticeKind(PILOT_DECISION_DUE, _lazy("A pilot's results are in and a decision is due")),
)


def _key(kind: str, record: PlanReview | ProcessActionPlan | ActionItem | Pilot) -> str:
    return f"{kind}:{record._meta.model_name}:{record.pk}:{record.version}"


def review_requested(review: PlanReview, actor: User) -> None:
    plan = review.plan
    if plan.state != ProcessActionPlan.State.IN_REVIEW:
        return
    if review.decision != PlanReview.Decision.PENDING:
        return
    tell(
        recipient=review.reviewer,
        kind=REVIEW_REQUESTED,
        title=_("Review requested: plan “%(plan)s”") % {"plan": plan},
        body=_("%(name)s asks for your review.") % {"name": actor},
        url=plan.get_absolute_url(),
        key=f"{REVIEW_REQUESTED}:plan:{plan.pk}:{plan.version}",
        actor=actor,
    )


def plan_submitted(plan: ProcessActionPlan, actor: User) -> None:
    for review in plan.reviews.select_related("reviewer", "plan"):
        review_requested(review, actor)


def plan_reviewed(plan: ProcessActionPlan, actor: User) -> None:
    """Once every review approves, the sponsor (or, with none, the executives) decides."""
    if plan.reviews.exclude(decision=PlanReview.Decision.APPROVED).exists():
        return
    approvers = [plan.sponsor] if plan.sponsor_id else list(role_members(EXECUTIVE))
    tell_each(
        approvers,
        kind=APPROVAL_DUE,
        title=_("Ready for your approval: plan “%(plan)s”") % {"plan": plan},
        body=_("Every review approved the plan."),
        url=plan.get_absolute_url(),
        key=_key(APPROVAL_DUE, plan),
        actor=actor,
    )


def changes_requested(plan: ProcessActionPlan, actor: User, comments: str) -> None:
    tell(
        recipient=plan.owner,
        kind=CHANGES_REQUESTED,
        title=_("Changes requested on your plan “%(plan)s”") % {"plan": plan},
        body=comments,
        url=plan.get_absolute_url(),
        key=_key(CHANGES_REQUESTED, plan),
        actor=actor,
    )


def item_saved(item: ActionItem, actor: User) -> None:
    if item.assignee_id is None or item.status == ActionItem.Status.DONE:
        return
    follow_up = item.meeting_id is not None
    title = (
        _("Follow-up assigned to you: “%(title)s”")
        if follow_up
        else _("Action item assigned to you: “%(title)s”")
    )
    tell(
        recipient=item.assignee,
        kind=ITEM_ASSIGNED,
        title=title % {"title": item.title},
        body=_("Plan: %(plan)s. Due: %(due)s.") % {"plan": item.plan, "due": item.due or "—"},
        url=item.get_absolute_url(),
        key=f"{ITEM_ASSIGNED}:actionitem:{item.pk}:{item.assignee_id}",
        actor=actor,
    )


def commitment_saved(commitment: Commitment, actor: User) -> None:
    """The person who keeps a commitment learns it once, when it is first theirs."""
    if commitment.owner_id is None or commitment.status not in Commitment.OPEN_STATUSES:
        return
    tell(
        recipient=commitment.owner,
        kind=ITEM_ASSIGNED,
        title=_("Commitment for you to keep: “%(what)s”") % {"what": commitment.what},
        body=_("From %(from)s to %(to)s, for plan %(plan)s. Due: %(due)s.")
        % {
            "from": commitment.from_party,
            "to": commitment.to_party,
            "plan": commitment.plan,
            "due": commitment.due or "—",
        },
        url=commitment.get_absolute_url(),
        key=f"{ITEM_ASSIGNED}:commitment:{commitment.pk}:{commitment.owner_id}",
        actor=actor,
    )


def pilot_evaluated(pilot: Pilot, actor: User) -> None:
    """The pilot is evaluated: its plan's sponsor decides, with the plan's owner."""
    plan = pilot.action_plan
    tell_each(
        [plan.sponsor, plan.owner],
        kind=PILOT_DECISION_DUE,
        title=_("Pilot “%(pilot)s” is evaluated: adopt, adapt or abandon?") % {"pilot": pilot},
        body=_("Plan: %(plan)s.") % {"plan": plan},
        url=pilot.get_absolute_url(),
        key=_key(PILOT_DECISION_DUE, pilot),
        actor=actor,
    )


ON_SAVE = {
    "actions.actionitem": item_saved,
    "actions.commitment": commitment_saved,
    "actions.planreview": review_requested,
}
