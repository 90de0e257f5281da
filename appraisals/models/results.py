"""What an appraisal team records while conducting it (SP 1.2): findings,
characterizations of practices per org unit or project, evidence, ratings per
process area and org unit, and recommendations. Each belongs to one appraisal and
is owned by its team (``TeamOwned``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appraisals import method
from appraisals.models.appraisal import Appraisal, TeamOwned
from opf.core.archive import ArchivableModel
from opf.core.history import ChangeHistory
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Goal, Practice, ProcessArea

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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
        indexes = [
            models.Index(fields=["appraisal", "kind"]),
            # the findings list filtered by kind (and severity): its COUNT of live rows
            models.Index(
                fields=["kind", "severity"],
                condition=Q(archived_at__isnull=True),
                name="appraisals_finding_live_kind",
            ),
        ]
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
    carried_over = models.BooleanField(
        _("carried over"),
        default=False,
        editable=False,
        help_text=_(
            "Copied from the previous appraisal; the team confirms or changes it (setting "
            "a value, the same or another, confirms it)."
        ),
    )

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

    NAME_JOINS = ("practice", "project", "org_unit")  # what __str__ reads

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
        if not errors and appraisal is not None and self.refused_for_coverage():
            errors["value"] = _(
                "This instance is not covered: a direct artifact plus an indirect artifact "
                "or an affirmation is needed before a Class A appraisal characterizes it "
                "Fully or Largely implemented."
            )
        if errors:
            raise ValidationError(errors)

    def instance_covered(self) -> bool:
        """The coverage rule (``method.COVERAGE_RULE``) on this instance's evidence."""
        place: dict[str, Any] = (
            {"project_id": self.project_id}
            if self.project_id
            else {"org_unit_id": self.org_unit_id, "project__isnull": True}
        )
        kinds = Evidence.objects.filter(
            appraisal_id=self.appraisal_id,
            practices=self.practice_id,
            archived_at__isnull=True,
            **place,
        ).values_list("kind", flat=True)
        return method.covered(kinds)

    def refused_for_coverage(self) -> bool:
        """Class A refuses FI/LI on an instance without coverage (B and C only warn)."""
        return (
            method.needs_coverage(self.value)
            and method.rates(self.appraisal.method)
            and not self.instance_covered()
        )


class PracticeCharacterization(TeamOwned):
    """One practice's organizational-unit characterization (SCAMPI A v1.2, 2.4):
    proposed from its instances by the aggregation rule (``method.AGGREGATION_RULE``,
    NY instances left out), confirmed by the team; a confirmed value departing from
    the proposal carries the team's reason (kept in history). Goal proposals read the
    confirmed value where there is one."""

    class Value(models.TextChoices):
        FI = method.FI, _("Fully implemented")
        LI = method.LI, _("Largely implemented")
        PI = method.PI, _("Partially implemented")
        NI = method.NI, _("Not implemented")

    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="practice_characterizations",
    )
    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    proposed = models.CharField(
        _("proposed"),
        max_length=2,
        choices=Value.choices,
        blank=True,
        editable=False,
        help_text=_("Empty while the instances do not determine it."),
    )
    value = models.CharField(
        _("confirmed characterization"),
        max_length=2,
        choices=Value.choices,
        blank=True,
        editable=False,
    )
    reason = models.TextField(_("reason for departing from the proposal"), blank=True)
    confirmed_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit characterization")
        verbose_name_plural = _("unit characterizations")
        ordering = ["appraisal", "org_unit", "practice"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "practice", "org_unit"],
                name="unique_practice_characterization",
            )
        ]

    NAME_JOINS = ("practice", "org_unit")  # what __str__ reads

    def __str__(self) -> str:
        shown = self.value or _("proposed: %(value)s") % {"value": self.proposed or "—"}
        return f"{self.practice.code} @ {self.org_unit}: {shown}"

    def get_absolute_url(self) -> str:
        page = reverse("appraisals:unit_characterizations", args=[self.appraisal_id])
        return f"{page}#pc-{self.pk}"

    @property
    def confirmed(self) -> bool:
        return bool(self.value)

    @property
    def departs(self) -> bool:
        """The confirmed value is not the method's proposal."""
        return method.departs(self.value, self.proposed)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (self.value or self.confirmed_by_id) and self.value not in self.Value.values:
            errors["value"] = _("Choose FI, LI, PI or NI.")
        if self.departs and not self.reason.strip():
            errors["reason"] = _(
                "%(value)s departs from the proposal (%(proposed)s): give the team's reason."
            ) % {"value": self.value, "proposed": self.proposed or _("not determined")}
        if errors:
            raise ValidationError(errors)


class Evidence(ArchivableModel, TeamOwned, Instance):
    """An artifact or an affirmation, mapped to the practices it supports in one instance."""

    class Kind(models.TextChoices):
        DIRECT = method.DIRECT, _("Direct artifact (the practice's output)")
        INDIRECT = method.INDIRECT, _("Indirect artifact (a consequence of performing it)")
        AFFIRMATION = method.AFFIRMATION, _("Affirmation (interview, presentation)")

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(
        _("type"),
        max_length=12,
        choices=Kind.choices,
        help_text=_(
            "Coverage: each practice instance needs a direct artifact plus an indirect "
            "artifact or an affirmation."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    link = models.URLField(_("link"), blank=True)
    note = models.TextField(_("note"), blank=True)
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices"), blank=True, related_name="+"
    )
    carried_over = models.BooleanField(
        _("carried over"),
        default=False,
        editable=False,
        help_text=_("Copied from the previous appraisal; saved by the team, it is confirmed."),
    )

    history = ChangeHistory(m2m_fields=["practices"])

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
        self.carried_over = False  # checked and saved by the team: confirmed


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

    NAME_JOINS = ("process_area", "org_unit")  # what __str__ reads

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


class GoalRating(TeamOwned):
    """A goal's satisfaction for one org unit, proposed from the unit-level
    characterizations of its practices and the weaknesses (``method.GOAL_RULE``) and
    judged by the team (``method.GOAL_JUDGMENT_RULE``); its process area's proposal
    follows from the judged values (``method.AREA_RULE``)."""

    class Value(models.TextChoices):
        SATISFIED = method.SATISFIED, _("Satisfied")
        NOT_SATISFIED = method.NOT_SATISFIED, _("Not satisfied")
        NOT_RATED = method.NOT_RATED, _("Not rated")

    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="goal_ratings",
    )
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+"
    )
    proposed = models.CharField(
        _("proposed"), max_length=20, choices=Value.choices, default=Value.NOT_RATED, editable=False
    )
    allowed = models.CharField(
        _("what its practices allow"),
        max_length=20,
        choices=Value.choices,
        default=Value.NOT_RATED,
        editable=False,
        help_text=_("Satisfied only when every practice is FI or LI at unit level."),
    )
    value = models.CharField(
        _("team's judgment"),
        max_length=20,
        choices=[(v, label) for v, label in Value.choices if v != method.NOT_RATED],
        blank=True,
        editable=False,
    )
    reason = models.TextField(_("reason for departing from the proposal"), blank=True)
    judged_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("judged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal rating")
        verbose_name_plural = _("goal ratings")
        ordering = ["appraisal", "org_unit", "goal"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "goal", "org_unit"], name="unique_goal_rating"
            )
        ]

    NAME_JOINS = ("goal", "org_unit")  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.goal.code} @ {self.org_unit}: {self.get_effective_display()}"

    @property
    def judged(self) -> bool:
        return bool(self.value) and method.judgment_applies(self.allowed)

    @property
    def effective(self) -> str:
        """The goal's value for its area: the team's judgment, else the proposal."""
        return method.judged_goal(self.allowed, self.proposed, self.value)

    def get_effective_display(self) -> str:
        return str(dict(self.Value.choices)[self.effective])

    @property
    def departs(self) -> bool:
        return self.judged and self.value != self.proposed

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.value and self.value not in (method.SATISFIED, method.NOT_SATISFIED):
            errors["value"] = _("Judge the goal Satisfied or Not satisfied.")
        elif self.value and not method.judgment_applies(self.allowed):
            errors["value"] = _(
                "%(goal)s is decided by its practices (%(allowed)s): the team judges a goal "
                "only when every practice is FI or LI at unit level (SCAMPI A v1.2, 2.6.1)."
            ) % {"goal": self.goal.code, "allowed": self.get_allowed_display()}
        elif self.departs and not self.reason.strip():
            errors["reason"] = _(
                "%(value)s departs from the proposal (%(proposed)s): give the team's reason."
            ) % {
                "value": self.get_value_display(),
                "proposed": self.get_proposed_display(),
            }
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        page = reverse("appraisals:goal_ratings", args=[self.appraisal_id])
        return f"{page}#gr-{self.pk}"


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
