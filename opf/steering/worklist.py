"""What waits for people in the steering committee (see ``opf.core.worklist``): the
follow-ups they own, overdue first; the program documents waiting for their approval."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opf.core.worklist import WorkKind, waiting_since, with_waiting_since
from opf.steering.models import FollowUp, ProgramDocument

if TYPE_CHECKING:
    from opf.core.accounts import User


def open_follow_ups(user: User, today: date) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(owner=user, status=FollowUp.Status.OPEN)
        .select_related("meeting")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def documents_to_approve(user: User, today: date) -> QuerySet[ProgramDocument]:
    """Submitted program documents naming ``user`` as approver, or naming nobody."""
    submitted = ProgramDocument.objects.filter(state=ProgramDocument.State.SUBMITTED).filter(
        Q(approver__isnull=True) | Q(approver=user)
    )
    return with_waiting_since(submitted).order_by("waiting_since", "pk")


def _late(follow_up: FollowUp, today: date) -> bool:
    return follow_up.due is not None and follow_up.due < today


KINDS = [
    WorkKind(
        "follow-ups",
        _("Your steering follow-ups"),
        open_follow_ups,
        since=lambda follow_up: follow_up.due,
        perm="opf.view_followup",
        order=45,
        late=_late,
        note=lambda follow_up: str(follow_up.meeting),
    ),
    WorkKind(
        "program-documents-to-approve",
        _("Program documents waiting for approval"),
        documents_to_approve,
        since=waiting_since,
        perm="opf.approve_programdocument",
        order=14,
    ),
]
