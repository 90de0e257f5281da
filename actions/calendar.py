"""Action-plan dates in people's calendar feeds (see opf.core.calendar): their items
due, the milestones and review meetings of the plans they own or work on; and in the
program calendar: pilots over their period and the plans' milestones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions.models import ActionItem, Milestone, Pilot, PlanMeeting, ProcessActionPlan
from opf.core.calendar import CalendarEvent, EventKind, ProgramEvent, ProgramWindow
from opf.organization.calendar import event_units
from opf.organization.models import Project

if TYPE_CHECKING:
    from opf.core.accounts import User

PILOT = "pilot"
MILESTONE = "milestone"
PROGRAM_KINDS = (
    EventKind(PILOT, _lazy("Pilots")),
    EventKind(MILESTONE, _lazy("Plan milestones")),
)


def _my_plans(user: User) -> Q:
    return Q(plan__owner=user) | Q(plan__team__user=user)


def events_for(user: User) -> Iterator[CalendarEvent]:
    items = (
        ActionItem.objects.filter(assignee=user, due__isnull=False)
        .exclude(plan__state=ProcessActionPlan.State.CANCELLED)
        .select_related("plan")
    )
    for item in items:
        yield CalendarEvent(
            uid=f"action-item-{item.pk}",
            title=f"Due: {item.title} ({item.plan})",
            start=item.due,
            end=item.due + timedelta(days=1),
            url=item.get_absolute_url(),
        )
    milestones = (
        Milestone.objects.filter(_my_plans(user))
        .exclude(plan__state=ProcessActionPlan.State.CANCELLED)
        .select_related("plan")
        .distinct()
    )
    for milestone in milestones:
        yield CalendarEvent(
            uid=f"milestone-{milestone.pk}",
            title=f"Milestone: {milestone.title} ({milestone.plan})",
            start=milestone.due,
            end=milestone.due + timedelta(days=1),
            url=milestone.get_absolute_url(),
        )
    meetings = (
        PlanMeeting.objects.filter(_my_plans(user) | Q(attendees=user))
        .select_related("plan")
        .distinct()
    )
    for meeting in meetings:
        yield CalendarEvent(
            uid=f"plan-meeting-{meeting.pk}",
            title=f"Review meeting: {meeting.plan}",
            start=meeting.date,
            end=meeting.date + timedelta(days=1),
            url=meeting.get_absolute_url(),
        )


def program_events(window: ProgramWindow) -> Iterator[ProgramEvent]:
    """Pilots from start to end (a pilot without a start is not on the calendar; one
    without an end lasts a day), concerning their projects' org units; the milestones
    of plans not cancelled, concerning the whole program."""
    if window.wants(PILOT):
        pilots = (
            Pilot.objects.filter(
                window.overlapping("start", "end"),
                window.in_subtree("projects__org_unit"),
            )
            .select_related("action_plan")
            .prefetch_related(
                Prefetch("projects", queryset=Project.objects.select_related("org_unit"))
            )
            .distinct()
        )
        for pilot in pilots:
            assert pilot.start is not None  # filtered above; for the type checker
            yield ProgramEvent(
                uid=f"pilot-{pilot.pk}",
                kind=PILOT,
                title=_("Pilot: %(title)s") % {"title": pilot.title},
                start=pilot.start,
                end=max(pilot.end or pilot.start, pilot.start),
                url=pilot.get_absolute_url(),
                units=event_units(*(p.org_unit for p in pilot.projects.all())),
                description=f"{pilot.get_state_display()} · {pilot.action_plan}",
            )
    if window.wants(MILESTONE) and not window.unit_path:
        milestones = (
            Milestone.objects.filter(window.overlapping("due"))
            .exclude(plan__state=ProcessActionPlan.State.CANCELLED)
            .select_related("plan")
        )
        for milestone in milestones:
            yield ProgramEvent(
                uid=f"milestone-{milestone.pk}",
                kind=MILESTONE,
                title=_("Milestone: %(title)s (%(plan)s)")
                % {"title": milestone.title, "plan": milestone.plan},
                start=milestone.due,
                end=milestone.due,
                url=milestone.get_absolute_url(),
            )
