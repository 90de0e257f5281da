"""The process asset library and its deployment to projects (SP 3.1, SP 3.2, GP 2.5).

A ``ProcessAsset`` has ``AssetVersion``s (draft → approved → released →
superseded; a released version never changes). A ``StandardProcessSet`` is a
versioned baseline of released versions. A ``DeploymentPlan``, once approved,
becomes one ``ProjectDeployment`` per target project and asset version, which
the project's manager moves through its states; ``TailoringRecord``s and
``TrainingRecord``s hang off deployments and versions.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel
from opf.core.uploads import ContentValidator
from opf.core.versioning import LockableMixin  # migrations name it deployment.models.LockableMixin
from opf.core.workflow import Transition, Workflow

ALLOWED_EXTENSIONS = (
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "md",
    "csv",
    "zip",
    "png",
    "svg",
)
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "OPF_ASSET_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


@deconstructible
class MaxUploadSize:
    """Refuses files larger than ``OPF_ASSET_MAX_UPLOAD_BYTES`` (read at validation time)."""

    def __call__(self, upload: Any) -> None:
        limit = max_upload_bytes()
        size = getattr(upload, "size", 0) or 0
        if size > limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                code="file_too_large",
                params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxUploadSize)


def asset_upload_to(instance: AssetVersion, filename: str) -> str:
    return f"assets/{instance.asset_id}/{PurePath(filename).name}"


class ProcessAsset(DomainModel):
    class Kind(models.TextChoices):
        STANDARD_PROCESS = "standard_process", _("Standard process")
        PROCEDURE = "procedure", _("Procedure")
        TEMPLATE = "template", _("Template")
        CHECKLIST = "checklist", _("Checklist")
        GUIDELINE = "guideline", _("Guideline")
        TRAINING_MATERIAL = "training_material", _("Training material")
        MEASURE_DEFINITION = "measure_definition", _("Measure definition")
        TAILORING_GUIDELINE = "tailoring_guideline", _("Tailoring guideline")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_assets",
    )
    process_areas = models.ManyToManyField(
        "opf.ProcessArea", verbose_name=_("process areas"), blank=True, related_name="assets"
    )
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Comma-separated keywords.")
    )
    description = models.TextField(_("description"), blank=True)
    requires_training = models.BooleanField(
        _("requires training"),
        default=False,
        help_text=_("Projects reach “in use” only when their people are trained on the version."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process asset")
        verbose_name_plural = _("process assets")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class AssetVersion(LockableMixin, DomainModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RELEASED = "released", _("Released")
        SUPERSEDED = "superseded", _("Superseded")

    LOCKED_STATES = (State.RELEASED, State.SUPERSEDED)

    training_opened: int  # not stored: set on release (services), how many people need training

    asset = models.ForeignKey(
        ProcessAsset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.CharField(_("version number"), max_length=20)
    change_summary = models.TextField(_("change summary"))
    file = models.FileField(
        _("file"),
        upload_to=asset_upload_to,
        blank=True,
        max_length=255,
        validators=[
            FileExtensionValidator(list(ALLOWED_EXTENSIONS)),
            MaxUploadSize(),
            ContentValidator(),
        ],
        help_text=_("PDF, office documents, text, CSV, ZIP or images."),
    )
    link = models.URLField(_("link"), blank=True, max_length=500)
    origin = models.CharField(
        _("produced by"),
        max_length=300,
        blank=True,
        help_text=_("The action plan or adopted pilot that produced it (a reference or a URL)."),
    )
    pilot = models.ForeignKey(
        "actions.Pilot",
        verbose_name=_("adopted pilot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="asset_versions",
        help_text=_("The adopted pilot whose change this version releases."),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    workflow = Workflow(
        Transition(
            "approve",
            _("Approve"),
            source=[State.DRAFT],
            target=State.APPROVED,
            action="approve",
            style="primary",
        ),
        Transition(
            "release",
            _("Release"),
            source=[State.APPROVED],
            target=State.RELEASED,
            action="release",
            style="primary",
        ),
        Transition(
            "return_to_draft",
            _("Return to draft"),
            source=[State.APPROVED],
            target=State.DRAFT,
            action="change",
            reason_required=True,
        ),
        Transition(
            "supersede",
            _("Supersede"),
            source=[State.RELEASED],
            target=State.SUPERSEDED,
            action="release",
        ),
    )

    class Meta:
        verbose_name = _("asset version")
        verbose_name_plural = _("asset versions")
        ordering = ["asset__name", "-pk"]
        permissions = [
            ("approve_assetversion", "Can approve asset version"),
            ("release_assetversion", "Can release asset version"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "number"],
                name="asset_version_number_unique",
                violation_error_message=_("This asset already has a version with this number."),
            )
        ]
        indexes = [models.Index(fields=["asset", "state"])]

    def __str__(self) -> str:
        return f"{self.asset} v{self.number}"

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if not self.file and not self.link:
            raise ValidationError(
                {"link": _("Give a link or upload a file."), "file": _("Or upload a file.")}
            )
        if self.pilot is not None and self.pilot.decision != "adopt":
            raise ValidationError({"pilot": _("Only an adopted pilot produces a version.")})


class StandardProcessSet(LockableMixin, DomainModel):
    """A named, versioned baseline of released asset versions."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    LOCKED_STATES = (State.APPROVED, State.PUBLISHED, State.RETIRED)

    name = models.CharField(_("name"), max_length=200)
    baseline = models.CharField(_("baseline"), max_length=20, help_text=_("e.g. 2026.1"))
    description = models.TextField(_("description"), blank=True)
    asset_versions = models.ManyToManyField(
        AssetVersion, verbose_name=_("asset versions"), blank=True, related_name="standard_sets"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    workflow = Workflow(
        Transition(
            "approve",
            _("Approve"),
            source=[State.DRAFT],
            target=State.APPROVED,
            action="approve",
            style="primary",
        ),
        Transition(
            "publish",
            _("Publish"),
            source=[State.APPROVED],
            target=State.PUBLISHED,
            action="publish",
            style="primary",
        ),
        Transition(
            "retire", _("Retire"), source=[State.PUBLISHED], target=State.RETIRED, action="publish"
        ),
    )

    class Meta:
        verbose_name = _("standard process set")
        verbose_name_plural = _("standard process sets")
        ordering = ["name", "-pk"]
        permissions = [
            ("approve_standardprocessset", "Can approve standard process set"),
            ("publish_standardprocessset", "Can publish standard process set"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "baseline"],
                name="standard_set_baseline_unique",
                violation_error_message=_("This set already has this baseline."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.baseline}"


class DeploymentPlan(LockableMixin, DomainModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    LOCKED_STATES = (State.APPROVED, State.COMPLETED, State.CANCELLED)

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

    history = HistoricalRecords()

    workflow = Workflow(
        Transition(
            "approve",
            _("Approve"),
            source=[State.DRAFT],
            target=State.APPROVED,
            action="approve",
            style="primary",
        ),
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
        indexes = [models.Index(fields=["state", "updated_at"])]

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
