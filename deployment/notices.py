"""What deployment tells people (``opf.core.notices``): drafts waiting for an
executive and their decision, deployments arriving on projects, tailoring decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
)
from opf.core import approval
from opf.core.notices import NoticeKind, author_of, role_members, tell, tell_each
from opf.core.roles import PROCESS_GROUP

if TYPE_CHECKING:
    from opf.core.accounts import User

APPROVAL_DUE = "release_approval_due"
APPROVAL_DECIDED = "release_approval_decided"
DEPLOYMENT_CREATED = "deployment_created"
TAILORING_REQUESTED = "tailoring_requested"
TAILORING_DECIDED = "tailoring_decided"

KINDS = (
    NoticeKind(
        APPROVAL_DUE,
        _lazy("An asset version, standard set or deployment plan awaits executive approval"),
    ),
    NoticeKind(APPROVAL_DECIDED, _lazy("Your submitted draft was approved or sent back")),
    NoticeKind(DEPLOYMENT_CREATED, _lazy("A deployment is created on a project you manage")),
    NoticeKind(TAILORING_REQUESTED, _lazy("A tailoring request awaits a decision")),
    NoticeKind(TAILORING_DECIDED, _lazy("Your tailoring request was decided")),
)

Approvable = AssetVersion | StandardProcessSet | DeploymentPlan


def submitted(record: Approvable, actor: User) -> None:
    """A draft was submitted: the named approver, else every executive, is told."""
    tell_each(
        approval.approvers_to_tell(record),
        kind=APPROVAL_DUE,
        title=_("Awaits your approval: %(model)s “%(record)s”")
        % {"model": record._meta.verbose_name, "record": record},
        body=_("Submitted for approval by %(name)s.") % {"name": actor},
        url=record.get_absolute_url(),
        key=f"{APPROVAL_DUE}:{record._meta.model_name}:{record.pk}:{record.version}",
        actor=actor,
    )


def decided(record: Approvable, actor: User, outcome: str, reason: str = "") -> None:
    """Who submitted the draft (else its author) learns the executive's decision."""
    tell(
        recipient=approval.submitter_of(record),
        kind=APPROVAL_DECIDED,
        title=_("%(model)s “%(record)s”: %(outcome)s")
        % {"model": record._meta.verbose_name, "record": record, "outcome": outcome},
        body=reason,
        url=record.get_absolute_url(),
        key=f"{APPROVAL_DECIDED}:{record._meta.model_name}:{record.pk}:{record.version}",
        actor=actor,
    )


def deployment_saved(deployment: ProjectDeployment, actor: User) -> None:
    project = deployment.project
    tell(
        recipient=project.manager,
        kind=DEPLOYMENT_CREATED,
        title=_("New deployment on %(project)s: %(version)s")
        % {"project": project, "version": deployment.asset_version},
        body=_("Plan it, train the team and put it in use."),
        url=deployment.get_absolute_url(),
        key=f"{DEPLOYMENT_CREATED}:projectdeployment:{deployment.pk}",
        actor=actor,
    )


def plan_deployed(plan: DeploymentPlan, actor: User) -> None:
    """The plan made deployments (in bulk): each project's manager hears of theirs once."""
    deployments = ProjectDeployment.objects.filter(plan=plan).select_related(
        "project__manager", "asset_version__asset"
    )
    for deployment in deployments:
        deployment_saved(deployment, actor)


def tailoring_saved(record: TailoringRecord, actor: User) -> None:
    if record.state != TailoringRecord.State.REQUESTED:
        return
    tell_each(
        role_members(PROCESS_GROUP),
        kind=TAILORING_REQUESTED,
        title=_("Tailoring request on %(deployment)s") % {"deployment": record.deployment},
        body=record.what,
        url=record.get_absolute_url(),
        key=f"{TAILORING_REQUESTED}:tailoringrecord:{record.pk}",
        actor=actor,
    )


def tailoring_decided(record: TailoringRecord, actor: User, reason: str = "") -> None:
    tell(
        recipient=author_of(record),
        kind=TAILORING_DECIDED,
        title=_("Your tailoring request “%(what)s” was %(state)s")
        % {"what": record.what, "state": record.get_state_display().lower()},
        body=reason,
        url=record.get_absolute_url(),
        key=f"{TAILORING_DECIDED}:tailoringrecord:{record.pk}:{record.state}",
        actor=actor,
    )


ON_SAVE = {
    "deployment.projectdeployment": deployment_saved,
    "deployment.tailoringrecord": tailoring_saved,
}
