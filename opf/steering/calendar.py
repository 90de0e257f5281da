"""Steering meetings in a person's calendar feed (``opf.core.calendar``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Q

from opf.core.accounts import User
from opf.core.calendar import CalendarEvent
from opf.steering.models import SteeringMeeting

MEETING_LENGTH = timedelta(hours=2)


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
