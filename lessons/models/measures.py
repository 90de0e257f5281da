"""The organization's measurement repository and quantitative objectives (GP 4.1)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel


class Measure(DomainModel):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    name = models.CharField(_("name"), max_length=150, unique=True)
    unit = models.CharField(_("unit"), max_length=40)
    counted = models.TextField(_("what is counted"))
    direction = models.CharField(
        _("better when"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    asset = models.ForeignKey(
        "deployment.ProcessAsset",
        verbose_name=_("defined by asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Measurement(DomainModel):
    """One value of a measure for a project and a month (the period's first day)."""

    OWNER_PATH = "project__manager"

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="measurements"
    )
    project = models.ForeignKey(
        "opf.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.DateField(_("period"), help_text=_("The first day of the month measured."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measure", "project", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "project", "period"],
                name="unique_measurement_per_period",
                violation_error_message=_(
                    "This measure already has a value for this project and month."
                ),
            )
        ]
        indexes = [models.Index(fields=["measure", "period"])]

    NAME_JOINS = ("measure",)  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.measure_id and self.measure}: {self.period:%Y-%m}" if self.period else ""

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if self.period and self.period.day != 1:
            raise ValidationError({"period": _("A period is a month: give its first day.")})


class QuantitativeObjective(DomainModel):
    """GP 4.1: a target and specification limits for a measure."""

    name = models.CharField(_("name"), max_length=150)
    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="objectives"
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    lower_limit = models.DecimalField(
        _("lower specification limit"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    upper_limit = models.DecimalField(
        _("upper specification limit"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quantitative_objectives",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quantitative objective")
        verbose_name_plural = _("quantitative objectives")
        ordering = ["measure", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.lower_limit, self.upper_limit
        if low is not None and high is not None and low >= high:
            raise ValidationError({"upper_limit": _("The upper limit is above the lower one.")})
        if self.target is not None:
            if low is not None and self.target < low:
                raise ValidationError({"target": _("The target is within the limits.")})
            if high is not None and self.target > high:
                raise ValidationError({"target": _("The target is within the limits.")})
