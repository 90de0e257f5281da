"""Appraisal dates in people's calendar feeds and in the program calendar (see
opf.core.calendar)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from appraisals.models import Appraisal
from opf.core.calendar import CalendarEvent, EventKind, ProgramEvent, ProgramWindow
from opf.organization.calendar import event_units
from opf.organization.models import Project

if TYPE_CHECKING:
    from opf.core.accounts import User

APPRAISAL = "appraisal"
PROGRAM_KINDS = (EventKind(APPRAISAL, _lazy("Appraisals")),)


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


def program_events(window: ProgramWindow) -> Iterator[ProgramEvent]:
    """Appraisals on their planned dates, cancelled and archived ones left out; they
    concern their scope's org units and their projects' units."""
    if not window.wants(APPRAISAL):
        return
    appraisals = (
        Appraisal.objects.filter(
            window.overlapping("planned_start", "planned_end"),
            window.in_subtree("org_units", "projects__org_unit"),
            archived_at__isnull=True,
        )
        .exclude(state=Appraisal.State.CANCELLED)
        .prefetch_related(
            "org_units",
            Prefetch("projects", queryset=Project.objects.select_related("org_unit")),
        )
        .distinct()
    )
    for appraisal in appraisals:
        assert appraisal.planned_start is not None  # filtered above; for the type checker
        yield ProgramEvent(
            uid=f"appraisal-{appraisal.pk}",
            kind=APPRAISAL,
            title=_("Appraisal: %(title)s") % {"title": appraisal.title},
            start=appraisal.planned_start,
            end=max(appraisal.planned_end or appraisal.planned_start, appraisal.planned_start),
            url=appraisal.get_absolute_url(),
            units=event_units(
                *appraisal.org_units.all(), *(p.org_unit for p in appraisal.projects.all())
            ),
            description=f"{appraisal.get_method_display()} · {appraisal.get_state_display()}",
        )
