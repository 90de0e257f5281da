"""What waits for people in the action plans (see ``opf.core.worklist``): their open
action items, the plan reviews asked of them, the plans they sponsor awaiting their
approval; and, for the process group, the plans that are late or blocked."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from actions.models import ActionItem, Commitment, PlanReview, ProcessActionPlan
from opf.core.worklist import WATCHING, WorkKind, waiting_since, with_waiting_since

if TYPE_CHECKING:
    from opf.core.accounts import User


def _open_on_open_plans(queryset: QuerySet, statuses: tuple[str, ...]) -> QuerySet:
    """Rows still open on open plans, the soonest (or most overdue) due first."""
    return (
        queryset.filter(status__in=statuses, plan__state__in=ProcessActionPlan.OPEN_STATES)
        .select_related("plan")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def open_items(user: User, today: date) -> QuerySet[ActionItem]:
    """The user's open items on open plans, overdue first (then by due date)."""
    return _open_on_open_plans(ActionItem.objects.filter(assignee=user), ActionItem.OPEN_STATUSES)


def open_commitments(user: User, today: date) -> QuerySet[Commitment]:
    """The commitments the user keeps, neither kept nor broken, on open plans; the
    soonest due first."""
    return _open_on_open_plans(Commitment.objects.filter(owner=user), Commitment.OPEN_STATUSES)


def _commitment_late(commitment: Commitment, today: date) -> bool:
    return commitment.due is not None and commitment.due < today


def pending_reviews(user: User, today: date) -> QuerySet[PlanReview]:
    return with_waiting_since(
        PlanReview.objects.filter(
            reviewer=user,
            decision=PlanReview.Decision.PENDING,
            plan__state=ProcessActionPlan.State.IN_REVIEW,
        ).select_related("plan", "reviewer")
    ).order_by("waiting_since", "pk")


def plans_to_approve(user: User, today: date) -> QuerySet[ProcessActionPlan]:
    """Plans in review that the user sponsors (the sponsor approves)."""
    plans = ProcessActionPlan.objects.filter(state=ProcessActionPlan.State.IN_REVIEW, sponsor=user)
    return with_waiting_since(plans).order_by("waiting_since", "pk")


def plans_late_or_blocked(user: User, today: date) -> QuerySet[ProcessActionPlan]:
    """Open plans with an overdue or a blocked item."""
    items = ActionItem.objects.filter(plan=OuterRef("pk"), status__in=ActionItem.OPEN_STATUSES)
    troubled = items.filter(Q(due__lt=today) | Q(status=ActionItem.Status.BLOCKED))
    return (
        ProcessActionPlan.objects.filter(state__in=ProcessActionPlan.OPEN_STATES)
        .filter(Exists(troubled))
        .order_by("pk")
    )


def _item_late(item: ActionItem, today: date) -> bool:
    return item.is_late(today)


KINDS = [
    WorkKind(
        "plans-to-approve",
        _("Action plans waiting for your approval"),
        plans_to_approve,
        since=waiting_since,
        perm="actions.approve_processactionplan",
        order=10,
    ),
    WorkKind(
        "plan-reviews",
        _("Plans waiting for your review"),
        pending_reviews,
        since=waiting_since,
        perm="actions.view_planreview",
        order=20,
        note=lambda review: str(review.plan),
    ),
    WorkKind(
        "action-items",
        _("Your open action items"),
        open_items,
        since=lambda item: item.due,
        perm="actions.view_actionitem",
        order=40,
        late=_item_late,
        note=lambda item: str(item.plan),
    ),
    WorkKind(
        "commitments",
        _("Your commitments to keep"),
        open_commitments,
        since=lambda commitment: commitment.due,
        perm="actions.view_commitment",
        order=45,
        late=_commitment_late,
        note=lambda commitment: str(commitment.plan),
    ),
    WorkKind(
        "plans-late",
        _("Plans late or blocked"),
        plans_late_or_blocked,
        perm="actions.view_processactionplan",
        section=WATCHING,
        order=20,
        roles=("process_group",),
    ),
]
