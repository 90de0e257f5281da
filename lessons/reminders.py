"""Reminders of the audits-and-lessons area (see opf.core.reminders)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from lessons.models import EffectivenessReview, NonCompliance
from opf.core.accounts import User
from opf.core.reminders import DueEvent, ReminderKind
from opf.core.roles import PROCESS_GROUP


def non_compliances_past_due(today: date, lead_days: int) -> Iterator[DueEvent]:
    """Open non-compliances whose due date has passed: their owner (else the PM)."""
    late = NonCompliance.objects.filter(
        state__in=NonCompliance.OPEN_STATES, due_date__lt=today
    ).select_related("owner", "project__manager")
    for nc in late:
        yield DueEvent(
            key=f"non-compliance:{nc.pk}:{nc.due_date}",
            recipients=[r for r in [nc.owner or (nc.project.manager if nc.project else None)] if r],
            title=str(
                _("Non-compliance “%(title)s” was due on %(date)s")
                % {"title": nc.title, "date": nc.due_date}
            ),
            body=str(_("Project: %(project)s. Correct it, or agree a new due date."))
            % {"project": nc.project or _("the organization's own process")},
            url=nc.get_absolute_url(),
        )


def effectiveness_review_due(today: date, lead_days: int) -> Iterator[DueEvent]:
    """The next effectiveness review falls due within ``lead_days``: the process group."""
    latest = EffectivenessReview.objects.order_by("-review_date", "-pk").first()
    if latest is None or latest.next_review_due is None:
        return
    if latest.next_review_due > today + timedelta(days=lead_days):
        return
    staff = User.objects.filter(groups__name=PROCESS_GROUP.group, is_active=True)
    yield DueEvent(
        key=f"effectiveness-review:{latest.pk}:{latest.next_review_due}",
        recipients=list(staff),
        title=str(
            _("The effectiveness review of the standard processes is due on %(date)s")
            % {"date": latest.next_review_due}
        ),
        body=str(_("Last review: %(title)s.")) % {"title": latest.title},
        url=latest.get_absolute_url(),
    )


KINDS = [
    ReminderKind(
        "non_compliance_past_due",
        _("Non-compliance past due"),
        _("Tells the owner of an open non-compliance that its due date has passed."),
        non_compliances_past_due,
        default_lead_days=0,
    ),
    ReminderKind(
        "effectiveness_review_due",
        _("Effectiveness review due"),
        _("Tells the process group that the next effectiveness review is due soon."),
        effectiveness_review_due,
        default_lead_days=14,
    ),
]
