"""Appraisal dates in people's calendar feeds (see opf.core.calendar)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q

from appraisals.models import Appraisal
from opf.core.calendar import CalendarEvent

if TYPE_CHECKING:
    from opf.core.accounts import User


def events_for(user: User) -> Iterator[CalendarEvent]:
    mine = (
        Appraisal.objects.filter(Q(team=user) | Q(lead_appraiser=user) | Q(sponsor=user))
        .exclude(state=Appraisal.State.CANCELLED)
        .filter(planned_start__isnull=False)
        .distinct()
    )
    for appraisal in mine:
        end = appraisal.planned_end or appraisal.planned_start
        yield CalendarEvent(
            uid=f"appraisal-{appraisal.pk}",
            title=f"Appraisal: {appraisal.title}",
            start=appraisal.planned_start,
            end=end + timedelta(days=1),  # all-day events end the day after
            url=appraisal.get_absolute_url(),
        )
