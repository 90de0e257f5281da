"""Process needs (SP 1.1): the needs and objectives the processes must serve,
revised and retired, never deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel
from opf.core.workflow import Transition, Workflow


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
