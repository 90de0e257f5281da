"""Writes of the asset library and deployments: used by pages, the API and demo data.

What may be chosen where (released versions only, who moves a deployment) is
``deployment.services.choices``; approving a baseline or a plan checks it again."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deployment import coverage_counts, notices
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
)
from deployment.services.choices import not_deployable
from deployment.services.people import open_training, people_of, untrained
from deployment.services.rollout import (
    deployment_plan,
    deployment_reopen,
    deployment_train,
    deployment_update,
    deployment_use,
    deployment_verify,
    deployment_waive,
    stale_deployments,
)
from opf.core import approval
from opf.core.accounts import User
from opf.core.errors import TransitionRefused
from opf.core.services import save_object
from opf.organization.models import Project

# --- immutability --------------------------------------------------------------


# Released versions, approved plans and sets never change: ``save_object`` and
# ``delete_object`` refuse locked records (``opf.core.versioning.guard_write``).


__all__ = [
    "deployment_plan",
    "deployment_reopen",
    "deployment_train",
    "deployment_update",
    "deployment_use",
    "deployment_verify",
    "deployment_waive",
    "open_training",
    "people_of",
    "stale_deployments",
    "untrained",
]


# --- submitting for approval (opf.core.approval) ------------------------------

Approvable = AssetVersion | StandardProcessSet | DeploymentPlan


def submit_for_approval(
    record: Approvable, *, actor: User, approver: Any = None, reason: str = ""
) -> Approvable:
    """Draft → waiting for approval by ``approver`` (an executive) or any executive,
    who are told. Call inside the service's transaction."""
    approval.submit(record, actor=actor, approver=approver, reason=reason)
    notices.submitted(record, actor)
    return record


def send_back(record: Approvable, *, actor: User, reason: str = "") -> Approvable:
    """Waiting for approval → draft, with the decider's comment, which the submitter hears."""
    approval.send_back(record, actor=actor, reason=reason)
    notices.decided(record, actor, _("sent back"), reason)
    return record


@transaction.atomic
def asset_version_attach_file(
    version: AssetVersion, *, file: Any, actor: User, expected_version: int | None = None
) -> AssetVersion:
    """Put ``file`` on a draft ``version`` (replacing any earlier one), checked by the
    model's upload validators; a locked version refuses (409), a stale one too (412)."""
    version.file = file
    return save_object(version, actor=actor, expected_version=expected_version)


@transaction.atomic
def asset_version_submit(
    version: AssetVersion, *, actor: User, approver: Any = None, reason: str = ""
) -> AssetVersion:
    submit_for_approval(version, actor=actor, approver=approver, reason=reason)
    return version


@transaction.atomic
def asset_version_send_back(
    version: AssetVersion, *, actor: User, reason: str = ""
) -> AssetVersion:
    send_back(version, actor=actor, reason=reason)
    return version


@transaction.atomic
def asset_version_approve(version: AssetVersion, *, actor: User, reason: str = "") -> AssetVersion:
    approval.check_decider(version, actor)
    AssetVersion.workflow.run(version, "approve", actor=actor, reason=reason)
    notices.decided(version, actor, _("approved"), reason)
    return version


@transaction.atomic
def asset_version_return_to_draft(
    version: AssetVersion, *, actor: User, reason: str = ""
) -> AssetVersion:
    AssetVersion.workflow.run(version, "return_to_draft", actor=actor, reason=reason)
    notices.decided(version, actor, _("sent back to draft"), reason)
    return version


@transaction.atomic
def asset_version_release(version: AssetVersion, *, actor: User, reason: str = "") -> AssetVersion:
    """Release ``version``; the asset's previous release becomes superseded, and
    if the asset requires training, the people of the projects using the asset
    get a training record "to do" on the new version."""
    AssetVersion.workflow.run(
        version, "release", actor=actor, reason=reason, extra={"released_at": timezone.now()}
    )
    previous = AssetVersion.objects.filter(
        asset_id=version.asset_id, state=AssetVersion.State.RELEASED
    ).exclude(pk=version.pk)
    for old in previous.select_for_update():
        AssetVersion.workflow.run(
            old, "supersede", actor=actor, reason=_("Superseded by v%(n)s") % {"n": version.number}
        )
    if version.asset.requires_training:
        projects = Project.objects.filter(
            active=True,
            deployments__asset_version__asset_id=version.asset_id,
        ).exclude(deployments__state=ProjectDeployment.State.WAIVED)
        version.training_opened = open_training(version, projects.distinct())
    return version


# --- standard process sets ---------------------------------------------------


def _check_released(versions: Iterable[AssetVersion]) -> None:
    bad = not_deployable(versions)
    if bad:
        raise TransitionRefused(
            _("Only released versions belong in a baseline; not released: %(list)s.")
            % {"list": ", ".join(str(v) for v in bad)}
        )


@transaction.atomic
def standard_set_submit(
    standard_set: StandardProcessSet, *, actor: User, approver: Any = None, reason: str = ""
) -> StandardProcessSet:
    _check_baseline(standard_set)
    submit_for_approval(standard_set, actor=actor, approver=approver, reason=reason)
    return standard_set


@transaction.atomic
def standard_set_send_back(
    standard_set: StandardProcessSet, *, actor: User, reason: str = ""
) -> StandardProcessSet:
    send_back(standard_set, actor=actor, reason=reason)
    return standard_set


@transaction.atomic
def standard_set_approve(
    standard_set: StandardProcessSet, *, actor: User, reason: str = ""
) -> StandardProcessSet:
    approval.check_decider(standard_set, actor)
    _check_baseline(standard_set)
    StandardProcessSet.workflow.run(standard_set, "approve", actor=actor, reason=reason)
    notices.decided(standard_set, actor, _("approved"), reason)
    return standard_set


def _check_baseline(standard_set: StandardProcessSet) -> None:
    """A baseline holds released versions, one per asset."""
    versions = list(standard_set.asset_versions.select_related("asset"))
    if not versions:
        raise TransitionRefused(_("Add released asset versions to the set first."))
    _check_released(versions)
    assets = [v.asset_id for v in versions]
    if len(assets) != len(set(assets)):
        raise TransitionRefused(_("A baseline holds one version of each asset."))


@transaction.atomic
def standard_set_publish(
    standard_set: StandardProcessSet, *, actor: User, reason: str = ""
) -> StandardProcessSet:
    """Publish the baseline; the same set's earlier published baseline retires."""
    StandardProcessSet.workflow.run(
        standard_set, "publish", actor=actor, reason=reason, extra={"published_at": timezone.now()}
    )
    earlier = StandardProcessSet.objects.filter(
        name=standard_set.name, state=StandardProcessSet.State.PUBLISHED
    ).exclude(pk=standard_set.pk)
    for old in earlier:
        StandardProcessSet.workflow.run(
            old, "retire", actor=actor, reason=_("Replaced by %(set)s") % {"set": standard_set}
        )
    return standard_set


@transaction.atomic
def standard_set_retire(
    standard_set: StandardProcessSet, *, actor: User, reason: str = ""
) -> StandardProcessSet:
    return StandardProcessSet.workflow.run(standard_set, "retire", actor=actor, reason=reason)


# --- deployment plans --------------------------------------------------------


def plan_versions(plan: DeploymentPlan) -> list[AssetVersion]:
    versions = {v.pk: v for v in plan.asset_versions.select_related("asset")}
    if plan.standard_set is not None:
        versions.update({v.pk: v for v in plan.standard_set.asset_versions.select_related("asset")})
    return list(versions.values())


def plan_projects(plan: DeploymentPlan) -> QuerySet[Project]:
    """The plan's target projects and the active projects in its target units' subtrees."""
    condition = Q(pk__in=plan.target_projects.values("pk"))
    for path in plan.target_units.values_list("path", flat=True):
        condition |= Q(org_unit__path__startswith=path, active=True)
    return Project.objects.filter(condition).select_related("org_unit").distinct()


def plan_expand(plan: DeploymentPlan, *, actor: User) -> int:
    """One deployment per target project x asset version; re-running adds only
    what is missing (unique constraint + ignore_conflicts). Returns how many
    were created."""
    versions = plan_versions(plan)
    projects = list(plan_projects(plan))
    before = ProjectDeployment.objects.filter(plan=plan).count()
    existing = set(
        ProjectDeployment.objects.filter(
            project__in=projects, asset_version__in=versions
        ).values_list("project_id", "asset_version_id")
    )
    now = timezone.now()
    new = [
        ProjectDeployment(project=p, asset_version=v, plan=plan, updated_at=now)
        for p in projects
        for v in versions
        if (p.pk, v.pk) not in existing
    ]
    ProjectDeployment.objects.bulk_create(new, ignore_conflicts=True)
    coverage_counts.forget(p.pk for p in projects)  # a bulk insert sends no signal
    created = ProjectDeployment.objects.filter(plan=plan).count() - before
    _record_bulk_history(plan, actor)
    for version in versions:
        if version.asset.requires_training:
            open_training(version, projects)
    notices.plan_deployed(plan, actor)
    return created


def _record_bulk_history(plan: DeploymentPlan, actor: User) -> None:
    """bulk_create skips signals: write the "created" history rows ourselves."""
    history = ProjectDeployment.history.model
    have = set(
        history.objects.filter(plan_id=plan.pk, history_type="+").values_list("id", flat=True)
    )
    rows = [
        history(
            history_date=timezone.now(),
            history_type="+",
            history_user=actor if actor.pk else None,
            history_change_reason=str(_("Deployed by plan %(plan)s") % {"plan": plan})[:100],
            **{f.attname: getattr(d, f.attname) for f in history.tracked_fields},
        )
        for d in ProjectDeployment.objects.filter(plan=plan).exclude(pk__in=have)
    ]
    history.objects.bulk_create(rows)


def _check_plan(plan: DeploymentPlan) -> None:
    """A plan deploys released versions to some target."""
    versions = plan_versions(plan)
    if not versions:
        raise TransitionRefused(_("Choose asset versions or a standard set baseline first."))
    _check_released(versions)
    if not plan.target_units.exists() and not plan.target_projects.exists():
        raise TransitionRefused(_("Choose target org units or projects first."))


@transaction.atomic
def deployment_plan_submit(
    plan: DeploymentPlan, *, actor: User, approver: Any = None, reason: str = ""
) -> DeploymentPlan:
    _check_plan(plan)
    submit_for_approval(plan, actor=actor, approver=approver, reason=reason)
    return plan


@transaction.atomic
def deployment_plan_send_back(
    plan: DeploymentPlan, *, actor: User, reason: str = ""
) -> DeploymentPlan:
    send_back(plan, actor=actor, reason=reason)
    return plan


@transaction.atomic
def deployment_plan_approve(
    plan: DeploymentPlan, *, actor: User, reason: str = ""
) -> DeploymentPlan:
    approval.check_decider(plan, actor)
    _check_plan(plan)
    DeploymentPlan.workflow.run(
        plan, "approve", actor=actor, reason=reason, extra={"approved_at": timezone.now()}
    )
    notices.decided(plan, actor, _("approved"), reason)
    plan.created_deployments = plan_expand(plan, actor=actor)
    return plan


@transaction.atomic
def deployment_plan_refresh(
    plan: DeploymentPlan, *, actor: User, reason: str = ""
) -> DeploymentPlan:
    DeploymentPlan.workflow.run(plan, "refresh", actor=actor, reason=reason)
    plan.created_deployments = plan_expand(plan, actor=actor)
    return plan


@transaction.atomic
def deployment_plan_complete(
    plan: DeploymentPlan, *, actor: User, reason: str = ""
) -> DeploymentPlan:
    return DeploymentPlan.workflow.run(plan, "complete", actor=actor, reason=reason)


@transaction.atomic
def deployment_plan_cancel(
    plan: DeploymentPlan, *, actor: User, reason: str = ""
) -> DeploymentPlan:
    return DeploymentPlan.workflow.run(plan, "cancel", actor=actor, reason=reason)


# --- tailoring ---------------------------------------------------------------


@transaction.atomic
def tailoring_approve(record: TailoringRecord, *, actor: User, reason: str = "") -> TailoringRecord:
    TailoringRecord.workflow.run(
        record, "approve", actor=actor, reason=reason, extra={"decided_by": actor}
    )
    notices.tailoring_decided(record, actor, reason)
    return record


@transaction.atomic
def tailoring_reject(record: TailoringRecord, *, actor: User, reason: str = "") -> TailoringRecord:
    TailoringRecord.workflow.run(
        record, "reject", actor=actor, reason=reason, extra={"decided_by": actor}
    )
    notices.tailoring_decided(record, actor, reason)
    return record
