"""The process asset library (SP 3.1): assets, their versions (draft → approved →
released → superseded; a released version never changes) and standard process
sets, versioned baselines of released versions. A version's file is checked
here (extension, size, content)."""

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

from opf.core import approval
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.uploads import ContentValidator
from opf.core.versioning import LockableMixin
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


@deconstructible(path="deployment.models.MaxUploadSize")  # the name migrations use
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

    history = ChangeHistory(m2m_fields=["process_areas"])

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
        SUBMITTED = approval.SUBMITTED, approval.SUBMITTED_LABEL
        APPROVED = "approved", _("Approved")
        RELEASED = "released", _("Released")
        SUPERSEDED = "superseded", _("Superseded")

    LOCKED_STATES = (State.SUBMITTED, State.RELEASED, State.SUPERSEDED)
    LOCKED_HINT = approval.LOCKED_HINT

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
    submitted_by = approval.submitter_field()
    approver = approval.approver_field()

    history = HistoricalRecords()

    workflow = Workflow(
        *approval.approval_transitions(State.DRAFT, State.APPROVED),
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

    NAME_JOINS = ("asset",)  # what __str__ reads

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
        SUBMITTED = approval.SUBMITTED, approval.SUBMITTED_LABEL
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    LOCKED_STATES = (State.SUBMITTED, State.APPROVED, State.PUBLISHED, State.RETIRED)
    LOCKED_HINT = approval.LOCKED_HINT

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
    submitted_by = approval.submitter_field()
    approver = approval.approver_field()

    history = ChangeHistory(m2m_fields=["asset_versions"])

    workflow = Workflow(
        *approval.approval_transitions(State.DRAFT, State.APPROVED),
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
