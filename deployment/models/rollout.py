"""Deployment to projects (SP 3.2, GP 2.5): a ``DeploymentPlan``, once approved,
becomes one ``ProjectDeployment`` per target project and asset version, which the
project's manager moves through its states; ``TailoringRecord``s hang off
deployments and ``TrainingRecord``s off versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from deployment.models.library import AssetVersion, StandardProcessSet
from opf.core import approval
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.versioning import LockableMixin
from opf.core.workflow import Transition, Workflow


class DeploymentPlan(LockableMixin, DomainModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = approval.SUBMITTED, approval.SUBMITTED_LABEL
        APPROVED = "approved", _("Approved")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    LOCKED_STATES = (State.SUBMITTED, State.APPROVED, State.COMPLETED, State.CANCELLED)
    LOCKED_HINT = approval.LOCKED_HINT

    created_deployments: int  # not stored: set by the services that expand the plan

    name = models.CharField(_("name"), max_length=200)
    asset_versions = models.ManyToManyField(
        AssetVersion, verbose_name=_("asset versions"), blank=True, related_name="plans"
    )
    standard_set = models.ForeignKey(
        StandardProcessSet,
        verbose_name=_("standard set baseline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    target_units = models.ManyToManyField(
        "opf.OrgUnit",
        verbose_name=_("target org units"),
        blank=True,
        related_name="deployment_plans",
        help_text=_("Their active projects, and those of every unit below them."),
    )
    target_projects = models.ManyToManyField(
        "opf.Project", verbose_name=_("target projects"), blank=True, related_name="+"
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    training_notes = models.TextField(_("training"), blank=True)
    support_notes = models.TextField(_("support"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    submitted_by = approval.submitter_field()
    approver = approval.approver_field()

    history = ChangeHistory(m2m_fields=["asset_versions", "target_units", "target_projects"])

    workflow = Workflow(
        *approval.approval_transitions(State.DRAFT, State.APPROVED),
        Transition(
            "refresh",
            _("Add deployments for new target projects"),
            source=[State.APPROVED],
            target=State.APPROVED,
        ),
        Transition("complete", _("Complete"), source=[State.APPROVED], target=State.COMPLETED),
        Transition(
            "cancel",
            _("Cancel"),
            source=[State.DRAFT, State.APPROVED],
            target=State.CANCELLED,
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("deployment plan")
        verbose_name_plural = _("deployment plans")
        ordering = ["-pk"]
        permissions = [("approve_deploymentplan", "Can approve deployment plan")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})


class ProjectDeployment(DomainModel):
    """One project x one asset version, moved along by the project's manager."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        PLANNING = "planning", _("Planning")
        TRAINING = "training", _("Training")
        IN_USE = "in_use", _("In use")
        VERIFIED = "verified", _("Verified")
        WAIVED = "waived", _("Waived")

    DONE_STATES = (State.IN_USE, State.VERIFIED)
    CLOSED_STATES = (State.VERIFIED, State.WAIVED)
    OWNER_PATH = "project__manager"

    project = models.ForeignKey(
        "opf.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="deployments",
    )
    asset_version = models.ForeignKey(
        AssetVersion,
        verbose_name=_("asset version"),
        on_delete=models.PROTECT,
        related_name="deployments",
    )
    plan = models.ForeignKey(
        DeploymentPlan,
        verbose_name=_("deployment plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deployments",
    )
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("status"),
        max_length=20,
        choices=State.choices,
        default=State.NOT_STARTED,
        editable=False,
    )
    waiver_reason = models.TextField(_("waiver reason"), blank=True, editable=False)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    # The history has its own dates; the version is bookkeeping, not a change.
    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    workflow = Workflow(
        Transition(
            "plan",
            _("Start planning"),
            source=[State.NOT_STARTED],
            target=State.PLANNING,
        ),
        Transition(
            "train",
            _("Start training"),
            source=[State.NOT_STARTED, State.PLANNING],
            target=State.TRAINING,
        ),
        Transition(
            "use",
            _("In use"),
            source=[State.PLANNING, State.TRAINING],
            target=State.IN_USE,
            style="primary",
        ),
        Transition(
            "verify",
            _("Verify"),
            source=[State.IN_USE],
            target=State.VERIFIED,
            action="verify",
            style="primary",
        ),
        Transition(
            "waive",
            _("Waive"),
            source=[State.NOT_STARTED, State.PLANNING, State.TRAINING, State.IN_USE],
            target=State.WAIVED,
            reason_required=True,
            style="danger",
        ),
        Transition(
            "reopen",
            _("Reopen"),
            source=[State.WAIVED, State.VERIFIED],
            target=State.PLANNING,
            action="verify",
            reason_required=True,
        ),
    )

    class Meta:
        verbose_name = _("project deployment")
        verbose_name_plural = _("project deployments")
        ordering = ["project__name", "asset_version__asset__name"]
        permissions = [("verify_projectdeployment", "Can verify project deployment")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "asset_version"],
                name="deployment_project_version_unique",
                violation_error_message=_("This project already has this asset version."),
            )
        ]
        indexes = [
            models.Index(fields=["state", "updated_at"]),
            # Open deployments, least recently updated first: the stale-deployments watch
            # block reads its first rows and its count from this (CLOSED_STATES).
            models.Index(
                fields=["updated_at", "id"],
                condition=~models.Q(state__in=["verified", "waived"]),
                name="deployment_open_by_update",
            ),
        ]

    NAME_JOINS = ("asset_version__asset", "project")  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.asset_version} @ {self.project}"

    @property
    def name(self) -> str:
        return str(self)


class TailoringRecord(LockableMixin, DomainModel):
    """What a project tailored from a deployed asset, why, and who approved it."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    LOCKED_STATES = (State.APPROVED, State.REJECTED)

    OWNER_PATH = "deployment__project__manager"

    deployment = models.ForeignKey(
        ProjectDeployment,
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="tailorings",
    )
    what = models.CharField(_("what was tailored"), max_length=300)
    why = models.TextField(_("why"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.REQUESTED, editable=False
    )
    decided_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    workflow = Workflow(
        Transition(
            "approve",
            _("Approve"),
            source=[State.REQUESTED],
            target=State.APPROVED,
            action="approve",
            style="primary",
        ),
        Transition(
            "reject",
            _("Reject"),
            source=[State.REQUESTED],
            target=State.REJECTED,
            action="approve",
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("tailoring record")
        verbose_name_plural = _("tailoring records")
        ordering = ["-pk"]
        permissions = [("approve_tailoringrecord", "Can approve tailoring record")]

    def __str__(self) -> str:
        return self.what

    @property
    def name(self) -> str:
        return self.what


class TrainingRecord(DomainModel):
    """GP 2.5: who is trained on which asset version, and when."""

    class Status(models.TextChoices):
        TO_DO = "to_do", _("To do")
        DONE = "done", _("Done")

    OWNER_PATH = "person"

    person = models.ForeignKey(
        "opf.User",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    asset_version = models.ForeignKey(
        AssetVersion,
        verbose_name=_("asset version"),
        on_delete=models.PROTECT,
        related_name="training_records",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TO_DO
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "asset_version"],
                name="training_person_version_unique",
                violation_error_message=_("This person already has a record for this version."),
            )
        ]

    NAME_JOINS = ("person", "asset_version__asset")  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.person} — {self.asset_version}"

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if self.status == self.Status.DONE and not self.completed_on:
            raise ValidationError({"completed_on": _("Give the date the training was done.")})
        if self.status == self.Status.TO_DO and self.completed_on:
            raise ValidationError(
                {"completed_on": _("A training still to do has no completion date.")}
            )


class ProjectCoverage(models.Model):
    """A project's cells of the coverage matrix, counted for one set of columns (the
    assets' current releases) and one stale rule (#24): derived, kept by
    ``deployment.coverage_counts``, which computes a row again when it may have moved.
    Not a record of the program: no history, no page, not in backups."""

    project = models.ForeignKey(
        "opf.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    columns = models.CharField(_("columns"), max_length=64)  # digest: assets, releases, rule
    current = models.PositiveIntegerField(_("on the current release"))
    waived = models.PositiveIntegerField(_("waived"))
    stale = models.PositiveIntegerField(_("stale"))
    # The oldest update of an open deployment that was not stale yet: once the stale
    # cutoff passes it, the stale count may have moved.
    watch_from = models.DateTimeField(_("watch from"), null=True)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("project coverage")
        verbose_name_plural = _("project coverages")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "columns"], name="project_coverage_columns_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.current} current, {self.waived} waived"


class UnitCoverageCount(models.Model):
    """The cells of the active projects of one org unit (its own, not its subtree's),
    counted for one set of columns and one stale rule (#24): derived, kept by
    ``deployment.unit_counts`` for the dashboard of someone who sees every project.
    ``written`` is the unit's ``CoverageWrite.written`` read with the deployments the
    row was counted from: the row holds while it is unchanged. Not a record of the
    program: no history, no page, not in backups."""

    org_unit = models.ForeignKey(
        "opf.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit")
    )
    columns = models.CharField(_("columns"), max_length=64)  # ``coverage_counts.columns_key``
    projects = models.PositiveIntegerField(_("active projects"))
    current = models.PositiveIntegerField(_("on the current release"))
    waived = models.PositiveIntegerField(_("waived"))
    stale = models.PositiveIntegerField(_("stale"))
    stale_projects = models.PositiveIntegerField(_("projects with stale cells"))
    # The oldest update of an open deployment that was not stale yet (as ProjectCoverage).
    watch_from = models.DateTimeField(_("watch from"), null=True)
    counted_at = models.DateTimeField(_("counted at"))
    written = models.BigIntegerField(_("write stamp"))

    class Meta:
        verbose_name = _("org unit coverage")
        verbose_name_plural = _("org unit coverages")
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "columns"], name="unit_coverage_columns_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id}: {self.current} current, {self.waived} waived"


class CoverageWrite(models.Model):
    """A write stamp per org unit (#24): moved, in the writer's transaction, by every
    write that may change the coverage counts of the unit's projects (a deployment of
    one of them saved, moved along its workflow or deleted; a project saved into or out
    of the unit or deleted). A count read in a statement that also read this stamp is
    current while the stamp has not moved: no expiry, no recount by the clock."""

    org_unit = models.OneToOneField(
        "opf.OrgUnit",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("org unit"),
    )
    written = models.BigIntegerField(_("write stamp"), default=0)

    class Meta:
        verbose_name = _("coverage write stamp")
        verbose_name_plural = _("coverage write stamps")

    def __str__(self) -> str:
        return f"{self.org_unit_id}: {self.written}"
