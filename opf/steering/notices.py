"""What steering tells people (``opf.core.notices``): a follow-up of a meeting is
theirs; a program document awaits their approval; their submitted document was decided."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import approval
from opf.core.notices import NoticeKind, tell, tell_each
from opf.steering.models import FollowUp, ProgramDocument

if TYPE_CHECKING:
    from opf.core.accounts import User

FOLLOW_UP_ASSIGNED = "follow_up_assigned"
DOCUMENT_APPROVAL_DUE = "program_document_approval_due"
DOCUMENT_DECIDED = "program_document_decided"

KINDS = (
    NoticeKind(FOLLOW_UP_ASSIGNED, _lazy("A steering follow-up is assigned to you")),
    NoticeKind(DOCUMENT_APPROVAL_DUE, _lazy("The program policy or plan awaits your approval")),
    NoticeKind(DOCUMENT_DECIDED, _lazy("Your program document was approved or sent back")),
)


def document_submitted(document: ProgramDocument, actor: User) -> None:
    """The named approver, else every executive, hears the document awaits them."""
    tell_each(
        approval.approvers_to_tell(document),
        kind=DOCUMENT_APPROVAL_DUE,
        title=_("Awaits your approval: %(document)s") % {"document": document},
        body=_("Submitted for approval by %(name)s.") % {"name": actor},
        url=document.get_absolute_url(),
        key=f"{DOCUMENT_APPROVAL_DUE}:programdocument:{document.pk}:{document.version}",
        actor=actor,
    )


def document_decided(document: ProgramDocument, actor: User, outcome: str, reason: str) -> None:
    """Who submitted the document (else its author) learns the decision."""
    tell(
        recipient=approval.submitter_of(document),
        kind=DOCUMENT_DECIDED,
        title=_("%(document)s: %(outcome)s") % {"document": document, "outcome": outcome},
        body=reason,
        url=document.get_absolute_url(),
        key=f"{DOCUMENT_DECIDED}:programdocument:{document.pk}:{document.version}",
        actor=actor,
    )


def follow_up_saved(item: FollowUp, actor: User) -> None:
    if item.owner_id is None or item.status != FollowUp.Status.OPEN:
        return
    tell(
        recipient=item.owner,
        kind=FOLLOW_UP_ASSIGNED,
        title=_("Follow-up assigned to you: %(title)s") % {"title": item.title},
        body=_("Meeting: %(meeting)s. Due: %(due)s.")
        % {"meeting": item.meeting, "due": item.due or "—"},
        url=item.get_absolute_url(),
        key=f"{FOLLOW_UP_ASSIGNED}:followup:{item.pk}:{item.owner_id}",
        actor=actor,
    )


ON_SAVE = {"opf.followup": follow_up_saved}
