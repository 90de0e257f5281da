"""What waits for people in the deployment (see ``opf.core.worklist``): drafts awaiting
an executive's approval, tailoring requests to decide, and the deployments a project
manager moves along; for the process group, the drafts waiting on executives and the
stale deployments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
)
from deployment.queries import stale_cutoff
from opf.core.worklist import WATCHING, WorkKind, waiting_since, with_waiting_since

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User

# A project manager moves a deployment up to "in use"; the process group verifies it.
Approvable = AssetVersion | StandardProcessSet | DeploymentPlan

TO_UPDATE = (
    ProjectDeployment.State.NOT_STARTED,
    ProjectDeployment.State.PLANNING,
    ProjectDeployment.State.TRAINING,
)


def _submitted(model: type[Approvable], user: User | None) -> QuerySet:
    """The model's records waiting for approval, oldest first; with ``user``, only
    those they may decide (named approver, or none named)."""
    records = model.objects.filter(state=model.State.SUBMITTED)
    if user is not None:
        records = records.filter(Q(approver__isnull=True) | Q(approver=user))
    return with_waiting_since(records).order_by("waiting_since", "pk")


def versions_to_approve(user: User, today: date) -> QuerySet[AssetVersion]:
    return _submitted(AssetVersion, user).select_related("asset")


def sets_to_approve(user: User, today: date) -> QuerySet[StandardProcessSet]:
    return _submitted(StandardProcessSet, user)


def plans_to_approve(user: User, today: date) -> QuerySet[DeploymentPlan]:
    return _submitted(DeploymentPlan, user)


def versions_waiting(user: User, today: date) -> QuerySet[AssetVersion]:
    return _submitted(AssetVersion, None).select_related("asset")


def plans_waiting(user: User, today: date) -> QuerySet[DeploymentPlan]:
    return _submitted(DeploymentPlan, None)


def tailoring_requests(user: User, today: date) -> QuerySet[TailoringRecord]:
    requested = TailoringRecord.objects.filter(state=TailoringRecord.State.REQUESTED)
    return with_waiting_since(requested).order_by("waiting_since", "pk")


def deployments_to_update(user: User, today: date) -> QuerySet[ProjectDeployment]:
    """Deployments on the user's projects not yet in use, least recently updated first."""
    return (
        ProjectDeployment.objects.filter(project__manager=user, state__in=TO_UPDATE)
        .select_related("project", "asset_version__asset")
        .order_by("updated_at", "pk")
    )


def stale_deployments(user: User, today: date) -> QuerySet[ProjectDeployment]:
    """Open deployments nobody updated for the stale period."""
    return (
        ProjectDeployment.objects.filter(updated_at__lt=stale_cutoff())
        .exclude(state__in=ProjectDeployment.CLOSED_STATES)
        .select_related("project", "asset_version__asset")
        .order_by("updated_at", "pk")
    )


def _stale(deployment: ProjectDeployment, today: date) -> bool:
    return deployment.updated_at < stale_cutoff()


def _approval(
    slug: str, label: StrOrPromise, records: Callable[[User, date], QuerySet], perm: str, order: int
) -> WorkKind:
    return WorkKind(slug, label, records, since=waiting_since, perm=perm, order=order)


KINDS = [
    _approval(
        "versions-to-approve",
        _("Asset versions waiting for approval"),
        versions_to_approve,
        "deployment.approve_assetversion",
        11,
    ),
    _approval(
        "sets-to-approve",
        _("Standard process sets waiting for approval"),
        sets_to_approve,
        "deployment.approve_standardprocessset",
        12,
    ),
    _approval(
        "deployment-plans-to-approve",
        _("Deployment plans waiting for approval"),
        plans_to_approve,
        "deployment.approve_deploymentplan",
        13,
    ),
    _approval(
        "tailoring-to-decide",
        _("Tailoring requests to decide"),
        tailoring_requests,
        "deployment.approve_tailoringrecord",
        25,
    ),
    WorkKind(
        "deployments-to-update",
        _("Deployments to update"),
        deployments_to_update,
        since=lambda deployment: deployment.updated_at,
        perm="deployment.view_projectdeployment",
        order=60,
        late=_stale,
    ),
    WorkKind(
        "drafts-waiting",
        _("Asset versions waiting on executives"),
        versions_waiting,
        since=waiting_since,
        perm="deployment.view_assetversion",
        section=WATCHING,
        order=30,
        roles=("process_group",),
    ),
    WorkKind(
        "plans-waiting",
        _("Deployment plans waiting on executives"),
        plans_waiting,
        since=waiting_since,
        perm="deployment.view_deploymentplan",
        section=WATCHING,
        order=31,
        roles=("process_group",),
    ),
    WorkKind(
        "stale-deployments",
        _("Stale deployments"),
        stale_deployments,
        since=lambda deployment: deployment.updated_at,
        perm="deployment.view_projectdeployment",
        section=WATCHING,
        order=40,
        late=_stale,
        roles=("process_group",),
    ),
]
