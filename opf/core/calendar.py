"""Personal iCalendar feeds: each feature adds dated events for a user in
``<pkg>.calendar`` as ``def events_for(user) -> Iterable[CalendarEvent]``."""

from __future__ import annotations

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


def events_for(user: User) -> list[CalendarEvent]:
    """Every contributor's ``<pkg>.calendar.events_for(user)``, in registry order."""
    events: list[CalendarEvent] = []
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
