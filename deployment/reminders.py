"""Reminders of this app: project managers whose deployments went quiet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from deployment.models import ProjectDeployment
from deployment.queries import DEFAULT_STALE_DAYS
from opf.core.reminders import DueEvent, ReminderKind


def stale_deployments(today: date, lead_days: int) -> Iterator[DueEvent]:
    """One event per deployment and last update: reminded once, again only after
    the manager updates it and it goes quiet once more."""
    cutoff = today - timedelta(days=lead_days)
    deployments = (
        ProjectDeployment.objects.exclude(state__in=ProjectDeployment.CLOSED_STATES)
        .filter(updated_at__date__lt=cutoff, project__active=True, project__manager__isnull=False)
        .select_related("project__manager", "asset_version__asset")
        .order_by("pk")
    )
    for deployment in deployments:
        yield DueEvent(
            key=f"deployment-stale:{deployment.pk}:{deployment.updated_at:%Y-%m-%d}",
            recipients=[deployment.project.manager],
            title=str(
                _("%(deployment)s: no update since %(when)s")
                % {"deployment": deployment, "when": deployment.updated_at.date()}
            ),
            body=str(
                _("Status: %(state)s. Update it on your “My projects” page.")
                % {"state": deployment.get_state_display()}
            ),
            url=deployment.get_absolute_url(),
        )


KINDS = [
    ReminderKind(
        "deployment-stale",
        _("Deployments not updated"),
        _("Project managers whose deployments were not updated for the lead days."),
        stale_deployments,
        default_lead_days=DEFAULT_STALE_DAYS,
    )
]
