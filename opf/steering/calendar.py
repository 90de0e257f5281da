"""Steering meetings in a person's calendar feed, and in the program calendar with the
program documents waiting for approval (``opf.core.calendar``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core.accounts import User
from opf.core.calendar import CalendarEvent, EventKind, ProgramEvent, ProgramWindow
from opf.steering.models import ProgramDocument, SteeringMeeting

MEETING_LENGTH = timedelta(hours=2)
MEETING = "meeting"
APPROVAL = "approval"
PROGRAM_KINDS = (
    EventKind(MEETING, _lazy("Steering meetings")),
    EventKind(APPROVAL, _lazy("Approvals due")),
)


def events_for(user: User) -> Iterator[CalendarEvent]:
    """The planned and held meetings the user attends or chairs."""
    mine = (
        SteeringMeeting.objects.filter(Q(attendees=user) | Q(chair=user))
        .exclude(state=SteeringMeeting.State.CANCELLED)
        .distinct()
    )
    for meeting in mine:
        yield CalendarEvent(
            uid=f"steering-meeting-{meeting.pk}",
            title=f"{meeting.get_body_display()}: {meeting.title}",
            start=meeting.scheduled_at,
            end=meeting.scheduled_at + MEETING_LENGTH,
            url=meeting.get_absolute_url(),
            description=meeting.agenda,
        )


def program_events(window: ProgramWindow) -> Iterator[ProgramEvent]:
    """Planned and held meetings of the steering committee and the process group, and
    the program documents waiting for approval, due by the day they take effect. Both
    concern the whole program (no org unit)."""
    if window.unit_path:
        return
    if window.wants(MEETING):
        meetings = SteeringMeeting.objects.filter(
            scheduled_at__date__range=(window.start, window.end)
        ).exclude(state=SteeringMeeting.State.CANCELLED)
        for meeting in meetings:
            day = timezone.localdate(meeting.scheduled_at)
            yield ProgramEvent(
                uid=f"steering-meeting-{meeting.pk}",
                kind=MEETING,
                title=f"{meeting.get_body_display()}: {meeting.title}",
                start=day,
                end=day,
                url=meeting.get_absolute_url(),
                at=meeting.scheduled_at,
                duration=MEETING_LENGTH,
                description=meeting.get_state_display(),
            )
    if window.wants(APPROVAL):
        documents = ProgramDocument.objects.filter(
            state=ProgramDocument.State.SUBMITTED,
            effective_from__range=(window.start, window.end),
        ).select_related("approver")
        for document in documents:
            assert document.effective_from is not None  # filtered above
            yield ProgramEvent(
                uid=f"program-document-{document.pk}-approval",
                kind=APPROVAL,
                title=_("Approval due: %(document)s") % {"document": document},
                start=document.effective_from,
                end=document.effective_from,
                url=document.get_absolute_url(),
                description=_("Approver: %(who)s") % {"who": document.approver}
                if document.approver
                else _("Any executive approves it."),
            )
