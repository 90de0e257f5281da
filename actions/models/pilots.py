"""Pilots: a trial of a plan's change on a few projects before rolling it out,
with the measurable success criteria that decide it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models.plans import ProcessActionPlan
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.workflow import Transition, Workflow


class Pilot(DomainModel):
    """A trial of a plan's change on a few projects before rolling it out."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        EVALUATED = "evaluated", _("Evaluated")
        DECIDED = "decided", _("Decided")

    class Decision(models.TextChoices):
        ADOPT = "adopt", _("Adopt")
        ADAPT = "adapt", _("Adapt")
        ABANDON = "abandon", _("Abandon")

    action_plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    title = models.CharField(_("title"), max_length=200)
    objective = models.TextField(_("objective"))
    projects = models.ManyToManyField(
        "opf.Project", verbose_name=_("scope (projects)"), blank=True, related_name="pilots"
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED, editable=False
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, blank=True, editable=False
    )
    rationale = models.TextField(_("rationale"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    changes = models.TextField(
        _("what changes"),
        blank=True,
        editable=False,
        help_text=_("For an adapted pilot: what changes before it is rolled out."),
    )
    override_reason = models.TextField(
        _("executive override"),
        blank=True,
        editable=False,
        help_text=_("Why an executive adopted the pilot although not every criterion was met."),
    )

    history = ChangeHistory(excluded_fields=["version"], m2m_fields=["projects"])
    workflow = Workflow(
        Transition("start", _("Start"), source=[State.PLANNED], target=State.RUNNING),
        Transition("evaluate", _("Evaluate"), source=[State.RUNNING], target=State.EVALUATED),
        Transition(
            "decide",
            _("Decide"),
            source=[State.EVALUATED],
            target=State.DECIDED,
            reason_required=True,
            style="primary",
        ),
        # An executive adopts although not every criterion is met: the reason is
        # the override's, kept on the pilot and in its history.
        Transition(
            "adopt_override",
            _("Adopt by executive override"),
            source=[State.EVALUATED],
            target=State.DECIDED,
            action="override",
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-pk"]
        permissions = [("override_pilot", "Can adopt a pilot by executive override")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})


class SuccessCriterion(DomainModel):
    """A measurable criterion of a pilot: ``result <comparator> target`` means met."""

    class Comparator(models.TextChoices):
        GE = ">=", "≥"
        LE = "<=", "≤"
        GT = ">", ">"
        LT = "<", "<"
        EQ = "=", "="

    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot"), on_delete=models.CASCADE, related_name="criteria"
    )
    measure = models.CharField(_("measure"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    result = models.DecimalField(
        _("result"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("success criterion")
        verbose_name_plural = _("success criteria")
        ordering = ["pilot", "pk"]

    def __str__(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        target = format(Decimal(self.target).normalize(), "f")
        return f"{self.measure} {self.comparator} {target}{unit}"
