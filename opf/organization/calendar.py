"""The organization's dates in a person's calendar feed (``opf.core.calendar``)."""

from __future__ import annotations

from collections.abc import Iterator

from opf.core.accounts import User
from opf.core.calendar import CalendarEvent, EventUnit
from opf.organization.models import OrgUnit, Project


def events_for(user: User) -> Iterator[CalendarEvent]:
    """The planned end dates of the projects the user manages."""
    for project in Project.objects.filter(manager=user, active=True, end_date__isnull=False):
        assert project.end_date is not None  # filtered above; for the type checker
        yield CalendarEvent(
            uid=f"project-{project.pk}-end",
            title=f"{project.name}: planned end",
            start=project.end_date,
            url=project.get_absolute_url(),
        )


def event_units(*units: OrgUnit | None) -> tuple[EventUnit, ...]:
    """The org units a program event concerns, each once, in tree order."""
    found = {unit.pk: unit for unit in units if unit is not None}
    return tuple(
        EventUnit(pk=unit.pk, name=unit.name, path=unit.path)
        for unit in sorted(found.values(), key=lambda unit: unit.path)
    )
