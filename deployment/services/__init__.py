"""Writes of the asset library and deployments: used by pages, the API and demo data.

What may be chosen where (released versions only, who moves a deployment) is
``deployment.services.choices``; approving a baseline or a plan checks it again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from deployment import notices
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from deployment.services.choices import not_deployable
from opf.core.accounts import User
from opf.core.errors import TransitionRefused
from opf.core.services import save_versioned
from opf.core.versioning import locked_current
from opf.organization.models import Project

# --- immutability --------------------------------------------------------------


# Released versions, approved plans and sets never change: ``save_object`` and
# ``delete_object`` refuse locked records (``opf.core.versioning.guard_write``).


# --- the project's people ----------------------------------------------------


def people_of(projects: Iterable[Project]) -> dict[int, set[int]]:
    """Project id → ids of its people: the manager and the active members of its
    org unit (one query for any number of projects)."""
    projects = list(projects)
    unit_ids = {p.org_unit_id for p in projects}
    members: dict[int, set[int]] = {}
    for user_id, unit_id in User.objects.filter(
        org_unit_id__in=unit_ids, is_active=True
    ).values_list("pk", "org_unit_id"):
        members.setdefault(unit_id, set()).add(user_id)
    return {
        p.pk: members.get(p.org_unit_id, set()) | ({p.manager_id} if p.manager_id else set())
        for p in projects
    }


def open_training(version: AssetVersion, projects: Iterable[Project]) -> int:
    """Training records "to do" on ``version`` for the people of ``projects``
    (idempotent); returns how many people need it."""
    wanted = set().union(*people_of(projects).values()) if projects else set()
    TrainingRecord.objects.bulk_create(
        [TrainingRecord(person_id=pk, asset_version=version) for pk in sorted(wanted)],
        ignore_conflicts=True,
    )
    return len(wanted)


def untrained(deployment: ProjectDeployment) -> QuerySet[User]:
    """The project's people without a "done" training on the deployed version."""
    people = people_of([deployment.project])[deployment.project_id]
    done = TrainingRecord.objects.filter(
        asset_version_id=deployment.asset_version_id,
        status=TrainingRecord.Status.DONE,
        person_id__in=people,
    ).values_list("person_id", flat=True)
    return User.objects.filter(pk__in=people).exclude(pk__in=list(done))


# --- asset versions ----------------------------------------------------------


@transaction.atomic
def asset_version_approve(version: AssetVersion, *, actor: User, reason: str = "") -> AssetVersion:
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
def standard_set_approve(
    standard_set: StandardProcessSet, *, actor: User, reason: str = ""
) -> StandardProcessSet:
    versions = list(standard_set.asset_versions.select_related("asset"))
    if not versions:
        raise TransitionRefused(_("Add released asset versions to the set first."))
    _check_released(versions)
    assets = [v.asset_id for v in versions]
    if len(assets) != len(set(assets)):
        raise TransitionRefused(_("A baseline holds one version of each asset."))
    StandardProcessSet.workflow.run(standard_set, "approve", actor=actor, reason=reason)
    notices.decided(standard_set, actor, _("approved"), reason)
    return standard_set


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


@transaction.atomic
def deployment_plan_approve(
    plan: DeploymentPlan, *, actor: User, reason: str = ""
) -> DeploymentPlan:
    versions = plan_versions(plan)
    if not versions:
        raise TransitionRefused(_("Choose asset versions or a standard set baseline first."))
    _check_released(versions)
    if not plan.target_units.exists() and not plan.target_projects.exists():
        raise TransitionRefused(_("Choose target org units or projects first."))
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


# --- project deployments -----------------------------------------------------


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
