"""Deployment windows and the approvals they wait for, in the program calendar (see
opf.core.calendar)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from deployment.models import DeploymentPlan
from opf.core.calendar import EventKind, EventUnit, ProgramEvent, ProgramWindow
from opf.organization.calendar import event_units
from opf.organization.models import Project

DEPLOYMENT = "deployment"
APPROVAL = "approval"
PROGRAM_KINDS = (
    EventKind(DEPLOYMENT, _lazy("Deployment windows")),
    EventKind(APPROVAL, _lazy("Approvals due")),
)


def _units(plan: DeploymentPlan) -> tuple[EventUnit, ...]:
    return event_units(*plan.target_units.all(), *(p.org_unit for p in plan.target_projects.all()))


def program_events(window: ProgramWindow) -> Iterator[ProgramEvent]:
    """A deployment plan's window, from its start to its end date (cancelled plans left
    out), concerning its target units and its target projects' units; a plan waiting
    for an executive's approval is due for it by its start date."""
    wanted = [kind for kind in (DEPLOYMENT, APPROVAL) if window.wants(kind)]
    if not wanted:
        return
    plans = (
        DeploymentPlan.objects.filter(
            window.overlapping("start_date", "end_date"),
            window.in_subtree("target_units", "target_projects__org_unit"),
        )
        .exclude(state=DeploymentPlan.State.CANCELLED)
        .select_related("approver")
        .prefetch_related(
            "target_units",
            Prefetch("target_projects", queryset=Project.objects.select_related("org_unit")),
        )
        .distinct()
    )
    for plan in plans:
        assert plan.start_date is not None  # filtered above; for the type checker
        units = _units(plan)
        if DEPLOYMENT in wanted:
            yield ProgramEvent(
                uid=f"deployment-plan-{plan.pk}",
                kind=DEPLOYMENT,
                title=_("Deployment: %(name)s") % {"name": plan.name},
                start=plan.start_date,
                end=max(plan.end_date or plan.start_date, plan.start_date),
                url=plan.get_absolute_url(),
                units=units,
                description=plan.get_state_display(),
            )
        if APPROVAL in wanted and plan.state == DeploymentPlan.State.SUBMITTED:
            yield ProgramEvent(
                uid=f"deployment-plan-{plan.pk}-approval",
                kind=APPROVAL,
                title=_("Approval due: deployment plan %(name)s") % {"name": plan.name},
                start=plan.start_date,
                end=plan.start_date,
                url=plan.get_absolute_url(),
                units=units,
                description=_("Approver: %(who)s") % {"who": plan.approver}
                if plan.approver
                else _("Any executive approves it."),
            )
