"""Calendar feeds: each feature adds its dates in ``<pkg>.calendar``.

- ``events_for(user) -> Iterable[CalendarEvent]``: the user's own dates, for their
  personal iCalendar feed;
- ``PROGRAM_KINDS``: ``(EventKind, ...)``, the kinds of program event it adds, and
  ``program_events(window) -> Iterable[ProgramEvent]``: the program's events in a
  :class:`ProgramWindow` (days, org unit subtree, kinds) for the program calendar. A
  contributor asks nothing of the database for a kind the window does not want, and a
  fixed number of queries for the others, whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from icalendar import Calendar, Event

from opf.core.registry import app_modules

if TYPE_CHECKING:
    from opf.core.accounts import User

DAY = timedelta(days=1)


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
        if hasattr(module, "events_for"):
            events.extend(module.events_for(user))
    return events


def ical(user: User) -> bytes:
    return to_ical(events_for(user), f"OPF – {user}")


def to_ical(events: Iterable[CalendarEvent], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//OPF//Process improvement program//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    base = settings.OPF_BASE_URL.rstrip("/")
    host = base.split("://", 1)[-1]
    stamp = timezone.now()
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("summary", item.title)
        event.add("dtstart", item.start)
        if item.end:
            event.add("dtend", item.end)
        event.add("dtstamp", stamp)
        if item.url:
            event.add("url", f"{base}{item.url}" if item.url.startswith("/") else item.url)
        if item.description:
            event.add("description", item.description)
        calendar.add_component(event)
    return calendar.to_ical()


# --- the program calendar ------------------------------------------------------------


@dataclass(frozen=True)
class EventKind:
    """A kind of program event: filtered on, and coloured by its slug."""

    slug: str
    label: Promise | str


@dataclass(frozen=True)
class EventUnit:
    """An org unit an event concerns (its ``path`` places it in the tree)."""

    pk: int
    name: str
    path: str


@dataclass(frozen=True)
class ProgramEvent:
    uid: str  # stable, e.g. "appraisal-7"
    kind: str  # an EventKind's slug
    title: str
    start: date  # first day
    end: date  # last day (inclusive; the same day for a one-day event)
    url: str = ""  # the record's page
    units: tuple[EventUnit, ...] = ()  # the org units it concerns; none: the whole program
    at: datetime | None = None  # a timed event (a meeting) starts then
    duration: timedelta | None = None  # ... and lasts this long
    description: str = ""

    @property
    def multi_day(self) -> bool:
        return self.end > self.start

    def concerns(self, unit_path: str) -> bool:
        """True when one of its org units is in the subtree at ``unit_path``."""
        return any(unit.path.startswith(unit_path) for unit in self.units)

    def as_calendar_event(self) -> CalendarEvent:
        if self.at is not None:
            return CalendarEvent(
                uid=self.uid,
                title=self.title,
                start=self.at,
                end=self.at + (self.duration or timedelta(hours=1)),
                url=self.url,
                description=self.description,
            )
        return CalendarEvent(
            uid=self.uid,
            title=self.title,
            start=self.start,
            end=self.end + DAY,  # all-day events end the day after
            url=self.url,
            description=self.description,
        )


@dataclass(frozen=True)
class ProgramWindow:
    """What the program calendar asks: the days ``start`` to ``end`` (inclusive), the
    org unit subtree at ``unit_path`` ("" for the whole organization) and the kinds
    (empty: every kind)."""

    start: date
    end: date
    unit_path: str = ""
    kinds: frozenset[str] = field(default_factory=frozenset)

    def wants(self, kind: str) -> bool:
        return not self.kinds or kind in self.kinds

    def in_subtree(self, *unit_fields: str) -> Q:
        """Rows whose org unit, reached by any of ``unit_fields`` (e.g.
        ``"project__org_unit"``), is in the subtree; ``Q()`` for the whole organization.
        Joining a many-to-many field, the query wants ``.distinct()``."""
        if not self.unit_path:
            return Q()
        q = Q()
        for name in unit_fields:
            q |= Q(**{f"{name}__path__startswith": self.unit_path})
        return q

    def overlapping(self, start_field: str, end_field: str | None = None) -> Q:
        """Rows whose days (``start_field`` to ``end_field``, or the one day) meet the
        window's; a missing end counts as the start day."""
        if end_field is None:
            return Q(**{f"{start_field}__range": (self.start, self.end)})
        return Q(**{f"{start_field}__lte": self.end}) & (
            Q(**{f"{end_field}__gte": self.start})
            | Q(**{f"{end_field}__isnull": True, f"{start_field}__gte": self.start})
        )

    def shows(self, event: ProgramEvent) -> bool:
        if not self.wants(event.kind):
            return False
        if event.end < self.start or event.start > self.end:
            return False
        return not self.unit_path or event.concerns(self.unit_path)


def program_kinds() -> dict[str, EventKind]:
    """Every contributor's ``PROGRAM_KINDS`` by slug, in registry order (a slug two
    contributors share keeps the first's label)."""
    found: dict[str, EventKind] = {}
    for module in app_modules("calendar"):
        for kind in getattr(module, "PROGRAM_KINDS", ()):
            found.setdefault(kind.slug, kind)
    return found


def program_events(window: ProgramWindow) -> list[ProgramEvent]:
    """The program's events in the window, by first day (then time, kind and title).
    An event with no org unit concerns the whole program: it is left out when a unit
    is chosen."""
    events: list[ProgramEvent] = []
    for module in app_modules("calendar"):
        contribute = getattr(module, "program_events", None)
        if contribute is not None:
            events.extend(e for e in contribute(window) if window.shows(e))
    order = list(program_kinds())
    return sorted(
        events,
        key=lambda e: (
            e.start,
            e.at.timestamp() if e.at else 0.0,  # all-day events first
            order.index(e.kind) if e.kind in order else len(order),
            e.title,
            e.uid,
        ),
    )
