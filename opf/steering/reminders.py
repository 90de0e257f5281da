"""Steering meetings in the reminders and the calendar feeds (``opf.core`` plug-ins)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opf.core.reminders import DueEvent, ReminderKind

if TYPE_CHECKING:
    pass


def meetings_coming_up(today: date, lead_days: int) -> Iterator[DueEvent]:
    """Planned meetings within ``lead_days``: attendees and the chair, with the briefing link."""
    from opf.documents.models import Document
    from opf.steering.models import SteeringMeeting

    due = (
        SteeringMeeting.objects.filter(
            state=SteeringMeeting.State.PLANNED,
            scheduled_at__date__gte=today,
            scheduled_at__date__lte=today + timedelta(days=lead_days),
        )
        .select_related("chair")
        .prefetch_related("attendees")
    )
    meetings = list(due)
    briefings = dict(
        Document.objects.filter(
            kind="steering_briefing",
            subject_id__in=[m.pk for m in meetings],
            status=Document.Status.DONE,
        )
        .order_by("subject_id", "created_at")
        .values_list("subject_id", "pk")
    )  # the latest done briefing per meeting wins
    for meeting in meetings:
        people = [*meeting.attendees.all(), *([meeting.chair] if meeting.chair else [])]
        when = timezone.localtime(meeting.scheduled_at)
        briefing = briefings.get(meeting.pk)
        body = (str(_("Agenda:")) + f"\n{meeting.agenda}") if meeting.agenda else ""
        if briefing:
            link = reverse("opf:document_detail", args=[briefing])
            body += "\n" + str(_("Briefing: %(url)s")) % {"url": link}
        yield DueEvent(
            key=f"steering-meeting:{meeting.pk}:{when:%Y-%m-%dT%H:%M}",
            recipients=people,
            title=str(
                _("Steering meeting “%(title)s” on %(when)s")
                % {"title": meeting.title, "when": f"{when:%Y-%m-%d %H:%M}"}
            ),
            body=body,
            url=reverse("opf:document_detail", args=[briefing])
            if briefing
            else meeting.get_absolute_url(),
        )


KINDS = [
    ReminderKind(
        "steering_meeting_coming_up",
        _("Steering meeting coming up"),
        _("Tells the attendees and the chair that a steering meeting is near, with the briefing."),
        meetings_coming_up,
        default_lead_days=3,
    )
]
