from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel

PATH_STEP = 8  # each level of the path is the zero-padded pk of one unit


class OrgUnit(DomainModel):
    """A division, department or team. Units form a tree.

    ``path`` is a materialized path (the pks from the root down) so that a
    whole subtree is one indexed prefix query; it is kept by ``save``.
    """

    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        "opf.User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(len(self.path) // PATH_STEP - 1, 0)

    def clean(self) -> None:
        if self.pk and self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A unit cannot be its own parent.")})
            parent_path = OrgUnit.objects.filter(pk=self.parent_id).values_list("path", flat=True)
            if self.path and any(p.startswith(self.path) for p in parent_path):
                raise ValidationError(
                    {"parent": _("A unit cannot be moved under its own subtree.")}
                )

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            parent_path = self.parent.path if self.parent is not None else ""
            new_path = f"{parent_path}{self.pk:0{PATH_STEP}d}"
            if new_path != old_path:
                OrgUnit.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    self._move_subtree(old_path, new_path)
                self.path = new_path

    @staticmethod
    def _move_subtree(old: str, new: str) -> None:
        for unit in OrgUnit.objects.filter(path__startswith=old).exclude(path=old):
            OrgUnit.objects.filter(pk=unit.pk).update(path=new + unit.path[len(old) :])

    def subtree(self) -> models.QuerySet[OrgUnit]:
        """This unit and every unit below it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[OrgUnit]:
        pks = [int(self.path[i : i + PATH_STEP]) for i in range(0, len(self.path), PATH_STEP)]
        return OrgUnit.objects.filter(pk__in=pks[:-1]).order_by(Length("path"))


class Project(DomainModel):
    """A project in an org unit; it receives deployed process assets."""

    class Phase(models.TextChoices):
        STARTUP = "startup", _("Start-up")
        PLANNING = "planning", _("Planning")
        EXECUTION = "execution", _("Execution")
        TRANSITION = "transition", _("Transition")
        CLOSED = "closed", _("Closed")

    class ProjectType(models.TextChoices):
        DEVELOPMENT = "development", _("Development")
        MAINTENANCE = "maintenance", _("Maintenance")
        INTEGRATION = "integration", _("Integration")
        SERVICE = "service", _("Service")

    class SizeClass(models.TextChoices):
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    OWNER_PATH = "manager"

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="projects"
    )
    manager = models.ForeignKey(
        "opf.User",
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_projects",
    )
    phase = models.CharField(
        _("lifecycle phase"), max_length=20, choices=Phase.choices, default=Phase.STARTUP
    )
    project_type = models.CharField(
        _("project type"),
        max_length=20,
        choices=ProjectType.choices,
        default=ProjectType.DEVELOPMENT,
        help_text=_("What kind of work: process-performance baselines group projects by it."),
    )
    size_class = models.CharField(
        _("size class"),
        max_length=10,
        choices=SizeClass.choices,
        default=SizeClass.MEDIUM,
        help_text=_("Small, medium or large: process-performance baselines group projects by it."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("planned end date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["org_unit", "active"]),
            models.Index(fields=["manager", "active"]),
            # A phase's projects in start order (the list filtered by phase, sorted by
            # start date: the newest 25 read from the index, not the phase's every row
            # sorted); the phase alone still reads it.
            models.Index(fields=["phase", "start_date"], name="project_phase_start_idx"),
            # The default ordering; deployments lists sort by project name through it.
            models.Index(fields=["name", "id"], name="project_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_end_after_start",
                violation_error_message=_("The planned end date cannot be before the start."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The planned end date cannot be before the start.")}
            )
