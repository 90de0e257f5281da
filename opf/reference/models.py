from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel


class ReferenceModel(DomainModel):
    """A model processes are appraised against: CMMI-DEV, ISO 9001, a company's own.

    Its ``version`` is the model's edition ("1.2"), which replaces the record
    version every other program record carries: not versioned for locking.
    """

    RECORD_VERSIONED = False

    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    # The edition replaces VersionedModel's integer field; Django allows overriding
    # an abstract parent's field, the type checker cannot follow.
    version = models.CharField(_("version"), max_length=30)  # type: ignore[assignment]
    description = models.TextField(_("description"), blank=True)
    builtin = models.BooleanField(_("shipped with OPF"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reference model")
        verbose_name_plural = _("reference models")
        ordering = ["abbreviation", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["abbreviation", "version"],
                name="unique_reference_model_version",
                violation_error_message=_("This model and version already exist."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} {self.version}"


class ProcessArea(DomainModel):
    class Category(models.TextChoices):
        PROCESS_MANAGEMENT = "process_management", _("Process management")
        PROJECT_MANAGEMENT = "project_management", _("Project management")
        ENGINEERING = "engineering", _("Engineering")
        SUPPORT = "support", _("Support")
        OTHER = "other", _("Other")

    reference_model = models.ForeignKey(
        ReferenceModel,
        verbose_name=_("reference model"),
        on_delete=models.CASCADE,
        related_name="process_areas",
    )
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        _("category"), max_length=30, choices=Category.choices, default=Category.OTHER
    )
    maturity_level = models.PositiveSmallIntegerField(
        _("maturity level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    purpose = models.TextField(_("purpose"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process area")
        verbose_name_plural = _("process areas")
        ordering = ["reference_model", "order", "abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_model", "abbreviation"],
                name="unique_process_area_per_model",
                violation_error_message=_(
                    "This model already has a process area with this abbreviation."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.abbreviation} – {self.name}"


class Goal(DomainModel):
    class Kind(models.TextChoices):
        SPECIFIC = "specific", _("Specific")
        GENERIC = "generic", _("Generic")

    process_area = models.ForeignKey(
        ProcessArea, verbose_name=_("process area"), on_delete=models.CASCADE, related_name="goals"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SPECIFIC)
    statement = models.TextField(_("statement"), blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["process_area", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["process_area", "code"], name="unique_goal_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        """Goals are read on their process area's page."""
        return f"{self.process_area.get_absolute_url()}#goal-{self.pk}"


class Practice(DomainModel):
    """A specific or generic practice (or a requirement of a non-CMMI model)."""

    process_area = models.ForeignKey(
        ProcessArea,
        verbose_name=_("process area"),
        on_delete=models.CASCADE,
        related_name="practices",
    )
    goal = models.ForeignKey(
        Goal,
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practices",
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=255)
    statement = models.TextField(_("statement"), blank=True)
    description = models.TextField(_("description"), blank=True)
    work_products = models.JSONField(_("typical work products"), default=list, blank=True)
    subpractices = models.JSONField(_("subpractices"), default=list, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["process_area", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["process_area", "code"],
                name="unique_practice_per_area",
                violation_error_message=_(
                    "This process area already has a practice with this code."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if (
            self.process_area_id
            and self.goal is not None
            and self.goal.process_area_id != self.process_area_id
        ):
            raise ValidationError({"goal": _("The goal belongs to another process area.")})
