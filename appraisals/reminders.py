"""Reminders of the appraisal area (see opf.core.reminders)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from appraisals.models import Appraisal
from opf.core.reminders import DueEvent, ReminderKind


def appraisals_starting(today: date, lead_days: int) -> Iterator[DueEvent]:
    """Planned or scheduled appraisals that start within ``lead_days``: team, lead and sponsor."""
    due = (
        Appraisal.objects.filter(
            state__in=[Appraisal.State.PLANNED, Appraisal.State.SCHEDULED],
            planned_start__gte=today,
            planned_start__lte=today + timedelta(days=lead_days),
        )
        .select_related("sponsor", "lead_appraiser")
        .prefetch_related("team")
    )
    for appraisal in due:
        people = [*appraisal.team.all(), appraisal.lead_appraiser, appraisal.sponsor]
        yield DueEvent(
            key=f"appraisal:{appraisal.pk}:{appraisal.planned_start}",
            recipients=people,
            title=str(
                _("Appraisal “%(title)s” starts on %(date)s")
                % {"title": appraisal.title, "date": appraisal.planned_start}
            ),
            body=str(_("Method: %(method)s. Check the team, the scope and the logistics."))
            % {"method": appraisal.get_method_display()},
            url=appraisal.get_absolute_url(),
        )


KINDS = [
    ReminderKind(
        "appraisal_starting",
        _("Appraisal starting soon"),
        _("Tells the team, the lead appraiser and the sponsor that an appraisal starts soon."),
        appraisals_starting,
        default_lead_days=7,
    )
]
