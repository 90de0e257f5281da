"""SG 1 of OPF: process needs (SP 1.1) and appraisals (SP 1.2).

An appraisal's team (its lead appraiser and members) owns its findings,
characterizations, evidence, recommendations and ratings: ``OWNER_PATH``
reaches the team through a many-to-many, so ``is_owned_by`` is answered
here (``opf.core.permissions.restrict`` filters on the same path in SQL).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.archive import ArchivableModel
from opf.core.models import DomainModel
from opf.core.workflow import Transition, Workflow
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ProcessArea, ReferenceModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User


class ProcessNeed(DomainModel):
    """A need or objective the processes must serve; revised, retired, never deleted."""

    class Kind(models.TextChoices):
        BUSINESS_OBJECTIVE = "business_objective", _("Business objective")
        POLICY = "policy", _("Policy")
        STANDARD = "standard", _("Standard")
        PERFORMANCE_OBJECTIVE = "performance_objective", _("Process-performance objective")
        ESSENTIAL_CHARACTERISTIC = "essential_characteristic", _("Essential characteristic")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    statement = models.TextField(_("statement"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where the need comes from.")
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="process_needs",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.ACTIVE, editable=False
    )

    history = HistoricalRecords()
    workflow = Workflow(
        Transition(
            "retire",
            _("Retire"),
            source=[State.ACTIVE],
            target=State.RETIRED,
            reason_required=True,
            style="danger",
        ),
        Transition("reactivate", _("Reactivate"), source=[State.RETIRED], target=State.ACTIVE),
    )

    class Meta:
        verbose_name = _("process need")
        verbose_name_plural = _("process needs")
        ordering = ["priority", "pk"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        text = self.statement.strip().splitlines()[0] if self.statement.strip() else ""
        return text if len(text) <= 80 else f"{text[:79]}…"

    def clean(self) -> None:
        if self.kind == self.Kind.PERFORMANCE_OBJECTIVE:
            errors = {
                name: _("A process-performance objective needs a measure, a target and a unit.")
                for name in ("measure", "target", "unit")
                if getattr(self, name) in (None, "")
            }
            if errors:
                raise ValidationError(errors)


class TeamOwned(DomainModel):
    """A record of one appraisal; its team may change it."""

    OWNER_PATH = "appraisal__team"

    appraisal_id: int | None  # every subclass has the appraisal foreign key

    class Meta:
        abstract = True

    def is_owned_by(self, user: User | AnonymousUser) -> bool:
        appraisal = getattr(self, "appraisal", None) if self.appraisal_id else None
        return appraisal is not None and appraisal.is_owned_by(user)


class Appraisal(ArchivableModel, DomainModel):
    class Method(models.TextChoices):
        SCAMPI_A = "scampi_a", _("SCAMPI A")
        SCAMPI_B = "scampi_b", _("SCAMPI B")
        SCAMPI_C = "scampi_c", _("SCAMPI C")
        GAP_ANALYSIS = "gap_analysis", _("Gap analysis")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        FINDINGS_DELIVERED = "findings_delivered", _("Findings delivered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OWNER_PATH = "team"

    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    reference_model = models.ForeignKey(
        ReferenceModel,
        verbose_name=_("reference model"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    org_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("org units in scope"), blank=True, related_name="appraisals"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects in scope"), blank=True, related_name="appraisals"
    )
    process_areas = models.ManyToManyField(
        ProcessArea,
        verbose_name=_("process areas in scope"),
        blank=True,
        related_name="appraisals",
    )
    sponsor = models.ForeignKey(
        "opf.User",
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_appraisals",
    )
    lead_appraiser = models.ForeignKey(
        "opf.User",
        verbose_name=_("lead appraiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_appraisals",
    )
    team = models.ManyToManyField(
        "opf.User",
        verbose_name=_("team"),
        blank=True,
        related_name="appraisal_teams",
        help_text=_("The lead appraiser is always on the team."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True, editable=False)
    actual_end = models.DateField(_("actual end"), null=True, blank=True, editable=False)
    resources = models.TextField(_("resources"), blank=True)
    logistics = models.TextField(_("logistics"), blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous appraisal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
        editable=False,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED, editable=False
    )

    history = HistoricalRecords()
    workflow = Workflow(
        Transition(
            "schedule",
            _("Schedule"),
            source=[State.PLANNED],
            target=State.SCHEDULED,
            style="primary",
        ),
        Transition(
            "start", _("Start"), source=[State.SCHEDULED], target=State.IN_PROGRESS, style="primary"
        ),
        Transition(
            "deliver",
            _("Deliver findings"),
            source=[State.IN_PROGRESS],
            target=State.FINDINGS_DELIVERED,
            style="primary",
        ),
        Transition(
            "close",
            _("Close"),
            source=[State.FINDINGS_DELIVERED],
            target=State.CLOSED,
            style="primary",
        ),
        Transition(
            "cancel",
            _("Cancel"),
            source=[State.PLANNED, State.SCHEDULED, State.IN_PROGRESS],
            target=State.CANCELLED,
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-planned_start", "-pk"]
        indexes = [
            models.Index(fields=["state"]),
            # The default ordering; findings lists sort through it too (bench EXPLAIN).
            models.Index(fields=["-planned_start", "-id"], name="appraisal_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="appraisal_end_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def conducting(self) -> bool:
        """Findings, characterizations and evidence are recorded now."""
        return self.state == self.State.IN_PROGRESS

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError(
                {"planned_end": _("The planned end cannot be before the planned start.")}
            )

    def is_owned_by(self, user: User | AnonymousUser) -> bool:
        if not user.is_authenticated or self.pk is None:
            return False
        if self.lead_appraiser_id == user.pk:
            return True
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "team" in cache:
            return any(member.pk == user.pk for member in cache["team"])
        return self.team.filter(pk=user.pk).exists()


class Instance(models.Model):
    """Where something was seen: an org unit or a project (at most one)."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT
    )

    appraisal_id: int | None  # every subclass has the appraisal foreign key

    class Meta:
        abstract = True

    @property
    def where(self) -> Any:
        return self.project if self.project_id else self.org_unit

    @property
    def instance_key(self) -> str:
        return f"p{self.project_id}" if self.project_id else f"u{self.org_unit_id}"

    def clean_instance(self, *, required: bool) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        if self.org_unit_id and self.project_id:
            errors["project"] = _("Name an org unit or a project, not both.")
        elif required and not (self.org_unit_id or self.project_id):
            errors["org_unit"] = _("Name the org unit or the project.")
        appraisal = getattr(self, "appraisal", None) if self.appraisal_id else None
        if appraisal is not None and appraisal.pk and not errors:
            if self.org_unit_id and not appraisal.org_units.filter(pk=self.org_unit_id).exists():
                errors["org_unit"] = _("This org unit is not in the appraisal's scope.")
            if self.project_id and not appraisal.projects.filter(pk=self.project_id).exists():
                errors["project"] = _("This project is not in the appraisal's scope.")
        return errors


def _check_conducting(appraisal: Appraisal | None, what: StrOrPromise) -> dict[str, Any]:
    if appraisal is not None and not appraisal.conducting:
        return {
            "appraisal": _(
                "%(what)s are recorded while the appraisal is in progress (it is %(state)s)."
            )
            % {"what": what, "state": appraisal.get_state_display()}
        }
    return {}


class Finding(ArchivableModel, TeamOwned, Instance):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        WEAKNESS = "weakness", _("Weakness")
        OBSERVATION = "observation", _("Observation")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="findings"
    )
    process_area = models.ForeignKey(
        ProcessArea, verbose_name=_("process area"), on_delete=models.PROTECT, related_name="+"
    )
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    statement = models.TextField(_("statement"))
    evidence = models.TextField(_("evidence"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["appraisal", "process_area", "kind", "pk"]
        indexes = [models.Index(fields=["appraisal", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(org_unit__isnull=True) | Q(project__isnull=True),
                name="finding_one_place",
            )
        ]

    def __str__(self) -> str:
        text = self.statement.strip()
        return text if len(text) <= 80 else f"{text[:79]}…"

    def clean(self) -> None:
        errors = self.clean_instance(required=False)
        appraisal = self.appraisal if self.appraisal_id else None
        errors.update(_check_conducting(appraisal, _("Findings")))
        if (
            self.process_area_id
            and self.practice is not None
            and self.practice.process_area_id != self.process_area_id
        ):
            errors["practice"] = _("The practice belongs to another process area.")
        if (
            appraisal is not None
            and self.process_area_id
            and self.process_area.reference_model_id != appraisal.reference_model_id
        ):
            errors["process_area"] = _("The process area is not in the appraisal's model.")
        if errors:
            raise ValidationError(errors)


class Characterization(TeamOwned, Instance):
    """How well a practice is implemented in one instance (org unit or project)."""

    class Value(models.TextChoices):
        FI = "FI", _("Fully implemented")
        LI = "LI", _("Largely implemented")
        PI = "PI", _("Partially implemented")
        NI = "NI", _("Not implemented")
        NY = "NY", _("Not yet")

    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="characterizations",
    )
    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.CharField(_("characterization"), max_length=2, choices=Value.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("characterization")
        verbose_name_plural = _("characterizations")
        ordering = ["appraisal", "practice", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(org_unit__isnull=True) & Q(project__isnull=False))
                | (Q(org_unit__isnull=False) & Q(project__isnull=True)),
                name="characterization_one_instance",
            ),
            models.UniqueConstraint(
                fields=["appraisal", "practice", "org_unit"],
                condition=Q(org_unit__isnull=False),
                name="unique_characterization_unit",
                violation_error_message=_("This practice is already characterized here."),
            ),
            models.UniqueConstraint(
                fields=["appraisal", "practice", "project"],
                condition=Q(project__isnull=False),
                name="unique_characterization_project",
                violation_error_message=_("This practice is already characterized here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice.code} @ {self.where}: {self.value}"

    def get_absolute_url(self) -> str:
        grid = reverse("appraisals:appraisal_grid", args=[self.appraisal_id])
        return f"{grid}#c-{self.practice_id}-{self.instance_key}"

    def clean(self) -> None:
        errors = self.clean_instance(required=True)
        appraisal = self.appraisal if self.appraisal_id else None
        errors.update(_check_conducting(appraisal, _("Characterizations")))
        if (
            appraisal is not None
            and self.practice_id
            and not errors
            and not appraisal.process_areas.filter(pk=self.practice.process_area_id).exists()
        ):
            errors["practice"] = _("This practice's process area is not in scope.")
        if errors:
            raise ValidationError(errors)


class Evidence(ArchivableModel, TeamOwned, Instance):
    """An artifact or an affirmation, mapped to the practices it supports in one instance."""

    class Kind(models.TextChoices):
        ARTIFACT = "artifact", _("Artifact (document, link)")
        AFFIRMATION = "affirmation", _("Affirmation (interview, presentation)")

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), blank=True)
    note = models.TextField(_("note"), blank=True)
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices"), blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["appraisal", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = self.clean_instance(required=True)
        errors.update(
            _check_conducting(self.appraisal if self.appraisal_id else None, _("Evidence"))
        )
        if errors:
            raise ValidationError(errors)


class Rating(TeamOwned):
    """A process area's rating for one org unit: proposed from the characterizations,
    confirmed (or overridden, with a reason) by the lead appraiser."""

    class Value(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")
        NOT_RATED = "not_rated", _("Not rated")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="ratings"
    )
    process_area = models.ForeignKey(
        ProcessArea, verbose_name=_("process area"), on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    proposed = models.CharField(
        _("proposed"), max_length=20, choices=Value.choices, default=Value.NOT_RATED, editable=False
    )
    value = models.CharField(
        _("confirmed rating"), max_length=20, choices=Value.choices, blank=True, editable=False
    )
    confirmed_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    override_reason = models.TextField(_("override reason"), blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["appraisal", "org_unit", "process_area"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "process_area", "org_unit"], name="unique_rating"
            )
        ]

    def __str__(self) -> str:
        shown = (
            self.get_value_display()
            if self.value
            else _("proposed: %(value)s") % {"value": self.get_proposed_display()}
        )
        return f"{self.process_area.abbreviation} @ {self.org_unit}: {shown}"

    @property
    def confirmed(self) -> bool:
        return bool(self.value)

    @property
    def overridden(self) -> bool:
        return bool(self.value) and self.value != self.proposed


class Recommendation(TeamOwned):
    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    process_area = models.ForeignKey(
        ProcessArea,
        verbose_name=_("process area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    statement = models.TextField(_("statement"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["appraisal", "priority", "pk"]

    def __str__(self) -> str:
        text = self.statement.strip()
        return text if len(text) <= 80 else f"{text[:79]}…"
