"""Audit, non-compliance and review dates in people's calendar feeds, and the audits in
the program calendar (see opf.core.calendar)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lessons.models import ComplianceAudit, EffectivenessReview, NonCompliance
from opf.core.calendar import CalendarEvent, EventKind, ProgramEvent, ProgramWindow
from opf.core.roles import PROCESS_GROUP, has_role
from opf.organization.calendar import event_units

if TYPE_CHECKING:
    from opf.core.accounts import User

DAY = timedelta(days=1)
AUDIT = "audit"
PROGRAM_KINDS = (EventKind(AUDIT, _lazy("Compliance audits")),)


def events_for(user: User) -> Iterator[CalendarEvent]:
    audits = ComplianceAudit.objects.filter(
        Q(auditor=user) | Q(project__manager=user),
        state__in=[ComplianceAudit.State.PLANNED, ComplianceAudit.State.IN_PROGRESS],
    ).select_related("project")
    for audit in audits:
        yield CalendarEvent(
            uid=f"compliance-audit-{audit.pk}",
            title=f"Compliance audit: {audit}",
            start=audit.planned_date,
            end=audit.planned_date + DAY,
            url=audit.get_absolute_url(),
        )
    owned = NonCompliance.objects.filter(
        Q(owner=user) | Q(owner__isnull=True, project__manager=user),
        state__in=NonCompliance.OPEN_STATES,
        due_date__isnull=False,
    )
    for nc in owned:
        yield CalendarEvent(
            uid=f"non-compliance-{nc.pk}",
            title=f"Non-compliance due: {nc.title}",
            start=nc.due_date,
            end=nc.due_date + DAY,
            url=nc.get_absolute_url(),
        )
    if has_role(user, PROCESS_GROUP):
        latest = EffectivenessReview.objects.order_by("-review_date", "-pk").first()
        if latest is not None and latest.next_review_due:
            yield CalendarEvent(
                uid=f"effectiveness-review-due-{latest.pk}",
                title="Effectiveness review of the standard processes due",
                start=latest.next_review_due,
                end=latest.next_review_due + DAY,
                url=latest.get_absolute_url(),
            )


def program_events(window: ProgramWindow) -> Iterator[ProgramEvent]:
    """Compliance audits on their planned day (cancelled and archived ones left out);
    an audit of the organization's own process concerns the whole program."""
    if not window.wants(AUDIT):
        return
    audits = (
        ComplianceAudit.objects.filter(
            window.overlapping("planned_date"),
            window.in_subtree("project__org_unit"),
            archived_at__isnull=True,
        )
        .exclude(state=ComplianceAudit.State.CANCELLED)
        .select_related("project__org_unit", "auditor")
    )
    for audit in audits:
        where = audit.project.name if audit.project else _("Organization process")
        yield ProgramEvent(
            uid=f"compliance-audit-{audit.pk}",
            kind=AUDIT,
            title=_("Compliance audit: %(where)s") % {"where": where},
            start=audit.planned_date,
            end=audit.planned_date,
            url=audit.get_absolute_url(),
            units=event_units(audit.project.org_unit if audit.project else None),
            description=audit.get_state_display()
            + (f" · {audit.auditor}" if audit.auditor else ""),
        )
