"""Personal iCalendar feeds: each lifecycle app adds dated events for a user in
``<app>.calendar`` as ``def events_for(user) -> Iterable[CalendarEvent]``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from icalendar import Calendar, Event

from opf.core.registry import app_modules

if TYPE_CHECKING:
    from opf.core.accounts import User


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across feeds, e.g. "project-7-end"
    title: str
    start: date | datetime
    end: date | datetime | None = None
    url: str = ""
    description: str = ""


def core_events_for(user: User) -> Iterable[CalendarEvent]:
    """The end dates of the projects the user manages."""
    from opf.organization.models import Project

    for project in Project.objects.filter(manager=user, active=True, end_date__isnull=False):
        yield CalendarEvent(
            uid=f"project-{project.pk}-end",
            title=f"{project.name}: planned end",
            start=project.end_date,
            url=project.get_absolute_url(),
        )


def events_for(user: User) -> list[CalendarEvent]:
    from opf.steering.reminders import events_for as meetings_for

    events = [*core_events_for(user), *meetings_for(user)]
    for module in app_modules("calendar"):
        events.extend(module.events_for(user))
    return events


def ical(user: User) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//OPF//Process improvement program//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"OPF – {user}")
    base = settings.OPF_BASE_URL.rstrip("/")
    host = base.split("://", 1)[-1]
    for item in events_for(user):
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("summary", item.title)
        event.add("dtstart", item.start)
        if item.end:
            event.add("dtend", item.end)
        event.add("dtstamp", datetime.now().astimezone())
        if item.url:
            event.add("url", f"{base}{item.url}" if item.url.startswith("/") else item.url)
        if item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    return calendar.to_ical()
