"""Process-performance baselines (GP 4.1, OPP SP 1.4): a measure over one project mix
and a period, frozen and versioned, with its excluded points and their reasons.

The rule is in ``lessons.process_performance``; the points are read in
``lessons.baseline_queries``; freezing and revising are ``lessons.services.baselines``.
A frozen (or superseded) baseline is locked (``opf.core.versioning``): its stored
points and figures never change; a change is a new revision, which supersedes it
when it is frozen in turn.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel
from opf.core.versioning import LockableMixin
from opf.core.workflow import Transition, Workflow
from opf.organization.models import Project


def _choice_list(allowed: Iterable[str]) -> Any:
    known = set(allowed)

    def check(value: object) -> None:
        if not isinstance(value, list) or any(
            not isinstance(v, str) or v not in known for v in value
        ):
            raise ValidationError(_("Choose from the list."), code="invalid_choice")

    return check


def check_project_types(value: object) -> None:
    _choice_list(Project.ProjectType.values)(value)


def check_size_classes(value: object) -> None:
    _choice_list(Project.SizeClass.values)(value)


def check_phases(value: object) -> None:
    _choice_list(Project.Phase.values)(value)


class ProcessPerformanceBaseline(LockableMixin, DomainModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FROZEN = "frozen", _("Frozen")
        SUPERSEDED = "superseded", _("Superseded")

    LOCKED_STATES = (State.FROZEN, State.SUPERSEDED)
    LOCKED_HINT = _("Make a new revision to change it.")

    measure = models.ForeignKey(
        "lessons.Measure",
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        related_name="baselines",
    )
    name = models.CharField(_("name"), max_length=150)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    revised_from = models.ForeignKey(
        "self",
        verbose_name=_("revised from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revisions",
        editable=False,
    )
    org_unit = models.ForeignKey(
        "opf.OrgUnit",
        verbose_name=_("org unit (and below)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="baselines",
        help_text=_("Leave empty for every unit."),
    )
    project_types = models.JSONField(
        _("project types"),
        default=list,
        blank=True,
        validators=[check_project_types],
        help_text=_("None chosen: any type."),
    )
    size_classes = models.JSONField(
        _("size classes"),
        default=list,
        blank=True,
        validators=[check_size_classes],
        help_text=_("None chosen: any size."),
    )
    phases = models.JSONField(
        _("lifecycle phases"),
        default=list,
        blank=True,
        validators=[check_phases],
        help_text=_("The projects' current phase. None chosen: any phase."),
    )
    period_start = models.DateField(_("first month"), help_text=_("The month's first day."))
    period_end = models.DateField(_("last month"), help_text=_("The month's first day."))
    notes = models.TextField(_("notes"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    frozen_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("frozen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The figures, stored at freezing (null while a draft).
    centre = models.FloatField(_("centre"), null=True, blank=True, editable=False)
    mr_bar = models.FloatField(_("mean moving range"), null=True, blank=True, editable=False)
    sigma = models.FloatField(_("sigma"), null=True, blank=True, editable=False)
    upper_limit = models.FloatField(
        _("upper natural process limit"), null=True, blank=True, editable=False
    )
    lower_limit = models.FloatField(
        _("lower natural process limit"), null=True, blank=True, editable=False
    )
    point_count = models.PositiveIntegerField(_("points"), null=True, blank=True, editable=False)
    excluded_count = models.PositiveIntegerField(
        _("excluded points"), null=True, blank=True, editable=False
    )
    points = models.JSONField(_("stored points"), default=list, blank=True, editable=False)

    history = HistoricalRecords()
    workflow = Workflow(
        Transition(
            "freeze",
            _("Freeze"),
            source=[State.DRAFT],
            target=State.FROZEN,
            action="change",
            style="primary",
        ),
        Transition(
            "supersede",
            _("Supersede"),
            source=[State.FROZEN],
            target=State.SUPERSEDED,
            action="change",
        ),
    )

    class Meta:
        verbose_name = _("process-performance baseline")
        verbose_name_plural = _("process-performance baselines")
        ordering = ["measure__name", "name", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "name", "revision"],
                name="unique_baseline_revision",
                violation_error_message=_(
                    "This measure already has a baseline of this name and revision."
                ),
            )
        ]
        indexes = [models.Index(fields=["measure", "state"])]

    def __str__(self) -> str:
        return f"{self.name} (rev. {self.revision})"

    @property
    def is_frozen(self) -> bool:
        return self.state in self.LOCKED_STATES

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("period_start", "period_end"):
            day = getattr(self, name)
            if day is not None and day.day != 1:
                errors[name] = _("A period is a month: give its first day.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The last month is on or after the first.")
        if errors:
            raise ValidationError(errors)

    def selection_labels(self) -> list[tuple[str, str]]:
        """The mix, in words: (what, which)."""
        any_ = str(_("any"))

        def labels(values: list[str], choices: Any) -> str:
            names = dict(choices)
            return ", ".join(str(names.get(v, v)) for v in values) or any_

        return [
            (str(_("Org unit")), f"{self.org_unit} {_('and below')}" if self.org_unit else any_),
            (str(_("Project types")), labels(self.project_types, Project.ProjectType.choices)),
            (str(_("Size classes")), labels(self.size_classes, Project.SizeClass.choices)),
            (str(_("Lifecycle phases")), labels(self.phases, Project.Phase.choices)),
        ]


class BaselineExclusion(LockableMixin, DomainModel):
    """A point left out of a baseline (a month, or one project's month), with its reason."""

    LOCK_PARENT = "baseline"

    baseline = models.ForeignKey(
        ProcessPerformanceBaseline,
        verbose_name=_("baseline"),
        on_delete=models.CASCADE,
        related_name="exclusions",
    )
    period = models.DateField(_("month"), help_text=_("The month's first day."))
    project = models.ForeignKey(
        "opf.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="baseline_exclusions",
        help_text=_("Leave empty to leave out the whole month's point."),
    )
    reason = models.CharField(
        _("reason"), max_length=300, help_text=_("The known special cause, e.g. a tool outage.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("excluded point")
        verbose_name_plural = _("excluded points")
        ordering = ["baseline", "period", "pk"]

    NAME_JOINS = ("project",)  # what __str__ reads

    def __str__(self) -> str:
        month = f"{self.period:%Y-%m}" if self.period else ""
        return f"{month} {self.project}".strip() if self.project_id else month

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if not self.period:
            return
        if self.period.day != 1:
            raise ValidationError({"period": _("A period is a month: give its first day.")})
        baseline = (
            ProcessPerformanceBaseline.objects.filter(pk=self.baseline_id).first()
            if self.baseline_id
            else None
        )
        if baseline is None:
            return
        if not baseline.period_start <= self.period <= baseline.period_end:
            raise ValidationError({"period": _("Choose a month within the baseline's period.")})
        same = BaselineExclusion.objects.filter(
            baseline=baseline, period=self.period, project=self.project_id
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError({"period": _("This point is already excluded.")})
