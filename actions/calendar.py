"""Action-plan dates in people's calendar feeds (see opf.core.calendar): their items
due, the milestones and review meetings of the plans they own or work on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from actions.models import ActionItem, Milestone, PlanMeeting, ProcessActionPlan
from opf.core.calendar import CalendarEvent

if TYPE_CHECKING:
    from opf.core.accounts import User


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
