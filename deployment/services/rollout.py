"""A project deployment's status steps, moved along by the project's manager."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deployment.models import ProjectDeployment
from deployment.services.people import untrained
from opf.core.accounts import User
from opf.core.errors import TransitionRefused
from opf.core.services import save_versioned
from opf.core.versioning import locked_current


@transaction.atomic
def deployment_update(
    deployment: ProjectDeployment,
    *,
    actor: User,
    expected_version: int | None = None,
    transition: str = "",
    notes: str | None = None,
    reason: str = "",
) -> ProjectDeployment:
    """Change a deployment's status and/or notes in one step, only if nobody
    changed it since ``expected_version`` (else ``StaleVersion``)."""
    current = locked_current(deployment, expected_version)
    if not transition:
        if notes is None:
            return current
        current.notes = notes
        return save_versioned(current, actor=actor, expected=current.version)
    if transition not in ProjectDeployment.workflow.transitions:
        raise TransitionRefused(_("Unknown step."))
    if transition == "use":
        _check_trained(current)
    extra: dict[str, Any] = {"version": current.version + 1, "updated_at": timezone.now()}
    if notes is not None:
        extra["notes"] = notes
    if transition == "waive":
        extra["waiver_reason"] = reason
    elif transition == "reopen":
        extra["waiver_reason"] = ""
    ProjectDeployment.workflow.run(current, transition, actor=actor, reason=reason, extra=extra)
    return current


def _check_trained(deployment: ProjectDeployment) -> None:
    if not deployment.asset_version.asset.requires_training:
        return
    missing = list(untrained(deployment)[:10])
    if missing:
        raise TransitionRefused(
            _(
                "%(asset)s requires training: record the training of %(people)s on "
                "v%(version)s before it is in use."
            )
            % {
                "asset": deployment.asset_version.asset,
                "people": ", ".join(str(p) for p in missing),
                "version": deployment.asset_version.number,
            }
        )


# One service per step, for the API's step actions (the row form on "My projects"
# chooses its step and calls deployment_update).


def deployment_plan(
    deployment: ProjectDeployment,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ProjectDeployment:
    return deployment_update(
        deployment, actor=actor, expected_version=expected_version, transition="plan", reason=reason
    )


def deployment_train(
    deployment: ProjectDeployment,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ProjectDeployment:
    return deployment_update(
        deployment,
        actor=actor,
        expected_version=expected_version,
        transition="train",
        reason=reason,
    )


def deployment_use(
    deployment: ProjectDeployment,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ProjectDeployment:
    """In use; an asset that requires training needs the project's people trained first."""
    return deployment_update(
        deployment, actor=actor, expected_version=expected_version, transition="use", reason=reason
    )


def deployment_verify(
    deployment: ProjectDeployment,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ProjectDeployment:
    return deployment_update(
        deployment,
        actor=actor,
        expected_version=expected_version,
        transition="verify",
        reason=reason,
    )


def deployment_waive(
    deployment: ProjectDeployment,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ProjectDeployment:
    """Waived, with the reason kept as the waiver reason."""
    return deployment_update(
        deployment,
        actor=actor,
        expected_version=expected_version,
        transition="waive",
        reason=reason,
    )


def deployment_reopen(
    deployment: ProjectDeployment,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> ProjectDeployment:
    return deployment_update(
        deployment,
        actor=actor,
        expected_version=expected_version,
        transition="reopen",
        reason=reason,
    )


def stale_deployments(days: int) -> QuerySet[ProjectDeployment]:
    cutoff = timezone.now() - timedelta(days=days)
    return ProjectDeployment.objects.exclude(state__in=ProjectDeployment.CLOSED_STATES).filter(
        updated_at__lt=cutoff
    )
