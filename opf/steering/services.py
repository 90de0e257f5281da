"""Business rules of steering meetings, follow-ups and program documents.
Pages and the API call these; each runs the model's workflow (``opf.core.workflow``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opf.core import approval
from opf.core.errors import TransitionRefused
from opf.core.services import save_object
from opf.documents.models import Document
from opf.steering import notices
from opf.steering.models import FollowUp, ProgramDocument, SteeringMeeting

if TYPE_CHECKING:
    from opf.core.accounts import User


@transaction.atomic
def meeting_hold(meeting: SteeringMeeting, *, actor: User, reason: str = "") -> SteeringMeeting:
    if meeting.scheduled_at > timezone.now():
        raise TransitionRefused(_("A meeting can be marked as held only once it has started."))
    return SteeringMeeting.workflow.run(meeting, "hold", actor=actor, reason=reason)


@transaction.atomic
def meeting_cancel(meeting: SteeringMeeting, *, actor: User, reason: str = "") -> SteeringMeeting:
    return SteeringMeeting.workflow.run(meeting, "cancel", actor=actor, reason=reason)


@transaction.atomic
def meeting_reopen(meeting: SteeringMeeting, *, actor: User, reason: str = "") -> SteeringMeeting:
    return SteeringMeeting.workflow.run(meeting, "reopen", actor=actor, reason=reason)


def briefing_filter(meeting: SteeringMeeting, actor: User) -> Any:
    """The dashboard as the briefing shows it: the period up to the meeting date
    (or today, if the meeting is later), for the meeting's org unit."""
    from opf.core.dashboard import default_period
    from opf.organization.scope import DashboardFilter

    as_of = min(timezone.localdate(meeting.scheduled_at), timezone.localdate())
    start, end = default_period(as_of)
    return DashboardFilter(user=actor, org_unit=meeting.briefing_unit, start=start, end=end)


@transaction.atomic
def freeze_briefing(meeting: SteeringMeeting, *, actor: User) -> SteeringMeeting:
    """Store the dashboard's figures for the meeting; later data changes leave them as
    they are. Allowed until the meeting is held (then the briefing is history)."""
    from opf.core.dashboard import figures

    if meeting.state != SteeringMeeting.State.PLANNED:
        raise TransitionRefused(
            _("The briefing of a meeting that was held or cancelled is kept as it is.")
        )
    meeting.briefing_figures = figures(briefing_filter(meeting, actor))
    meeting.briefing_as_of = timezone.now()
    return save_object(meeting, actor=actor, reason=_("Briefing frozen"))


def briefing_document(meeting: SteeringMeeting, *, actor: User) -> Document:
    """Freeze the figures when they are not yet frozen, then queue the briefing PDF."""
    from opf.documents.services import document_request

    if meeting.briefing_figures is None:
        meeting = freeze_briefing(meeting, actor=actor)
    return document_request(kind="steering_briefing", subject_id=meeting.pk, actor=actor)


@transaction.atomic
def follow_up_complete(item: FollowUp, *, actor: User, reason: str = "") -> FollowUp:
    return FollowUp.workflow.run(
        item, "complete", actor=actor, reason=reason, extra={"completed_at": timezone.now()}
    )


@transaction.atomic
def follow_up_drop(item: FollowUp, *, actor: User, reason: str = "") -> FollowUp:
    return FollowUp.workflow.run(item, "drop", actor=actor, reason=reason)


@transaction.atomic
def follow_up_reopen(item: FollowUp, *, actor: User, reason: str = "") -> FollowUp:
    return FollowUp.workflow.run(
        item, "reopen", actor=actor, reason=reason, extra={"completed_at": None}
    )


def _check_text(document: ProgramDocument) -> None:
    if not document.text.strip():
        raise TransitionRefused(_("An empty document cannot be approved."))


@transaction.atomic
def program_document_submit(
    document: ProgramDocument, *, actor: User, approver: Any = None, reason: str = ""
) -> ProgramDocument:
    """Draft → waiting for approval by ``approver`` (an executive) or any executive,
    who are told."""
    _check_text(document)
    approval.submit(document, actor=actor, approver=approver, reason=reason)
    notices.document_submitted(document, actor)
    return document


@transaction.atomic
def program_document_send_back(
    document: ProgramDocument, *, actor: User, reason: str = ""
) -> ProgramDocument:
    """Waiting for approval → draft, with the decider's comment, which the submitter hears."""
    approval.send_back(document, actor=actor, reason=reason)
    notices.document_decided(document, actor, _("sent back"), reason)
    return document


@transaction.atomic
def program_document_approve(
    document: ProgramDocument, *, actor: User, reason: str = ""
) -> ProgramDocument:
    """Approve a submitted revision; the previously approved revision of its kind is
    superseded."""
    approval.check_decider(document, actor)
    _check_text(document)
    for previous in ProgramDocument.objects.filter(
        kind=document.kind, state=ProgramDocument.State.APPROVED
    ).exclude(pk=document.pk):
        ProgramDocument.workflow.run(
            previous,
            "supersede",
            actor=actor,
            reason=_("Superseded by revision %(rev)s") % {"rev": document.revision},
        )
    ProgramDocument.workflow.run(
        document,
        "approve",
        actor=actor,
        reason=reason,
        extra={"approved_by": actor, "approved_at": timezone.now()},
    )
    notices.document_decided(document, actor, _("approved"), reason)
    return document
