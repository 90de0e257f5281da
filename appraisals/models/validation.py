"""Validating preliminary findings with the participants (SCAMPI A v1.2, activity 2.5):
the team presents its preliminary findings in a session, records each participant's
feedback per finding, and revises the findings before the final ones are delivered."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from appraisals.models.appraisal import Appraisal, TeamOwned
from appraisals.models.results import Finding, _check_conducting
from opf.core.history import ChangeHistory


class FindingsValidation(TeamOwned):
    """A session where the preliminary findings were presented to participants."""

    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="validations",
    )
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(
        "opf.User", verbose_name=_("participants"), blank=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True)

    history = ChangeHistory(m2m_fields=["participants"])

    class Meta:
        verbose_name = _("preliminary findings validation")
        verbose_name_plural = _("preliminary findings validations")
        ordering = ["appraisal", "held_on", "pk"]

    def __str__(self) -> str:
        return str(_("Validation of %(date)s") % {"date": f"{self.held_on:%Y-%m-%d}"})

    def clean(self) -> None:
        appraisal = self.appraisal if self.appraisal_id else None
        errors = _check_conducting(appraisal, _("Validation sessions"))
        if errors:
            raise ValidationError(errors)


class FindingFeedback(TeamOwned):
    """One participant's feedback on one preliminary finding; a disagreement is
    resolved by the team (the finding revised, or kept with a reason)."""

    class Response(models.TextChoices):
        AGREE = "agree", _("Agree")
        DISAGREE = "disagree", _("Disagree")
        COMMENT = "comment", _("Comment")

    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="finding_feedback",
    )
    validation = models.ForeignKey(
        FindingsValidation,
        verbose_name=_("validation session"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="feedback"
    )
    participant = models.ForeignKey(
        "opf.User", verbose_name=_("participant"), on_delete=models.PROTECT, related_name="+"
    )
    response = models.CharField(_("response"), max_length=10, choices=Response.choices)
    comment = models.TextField(_("comment"), blank=True)
    resolution = models.TextField(
        _("resolution"),
        blank=True,
        help_text=_("How the team revised the finding, or why it stands."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding feedback")
        verbose_name_plural = _("finding feedback")
        ordering = ["appraisal", "validation", "finding", "pk"]

    NAME_JOINS = ("participant", "finding")  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_response_display()} – {self.finding}"

    def get_absolute_url(self) -> str:
        return reverse("appraisals:findingfeedback_detail", args=[self.pk])

    @property
    def open_disagreement(self) -> bool:
        return self.response == self.Response.DISAGREE and not self.resolution.strip()

    def clean(self) -> None:
        appraisal = self.appraisal if self.appraisal_id else None
        errors: dict[str, Any] = _check_conducting(appraisal, _("Feedback"))
        if self.validation_id and self.validation.appraisal_id != self.appraisal_id:
            errors["validation"] = _("The session belongs to another appraisal.")
        if self.finding_id and self.finding.appraisal_id != self.appraisal_id:
            errors["finding"] = _("The finding belongs to another appraisal.")
        if self.response == self.Response.DISAGREE and not self.comment.strip():
            errors["comment"] = _("Say what the participant disagrees with.")
        if errors:
            raise ValidationError(errors)
