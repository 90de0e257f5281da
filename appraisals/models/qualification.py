"""Lead-appraiser qualifications: who may lead an appraisal, and until when
(SCAMPI A v1.2: the lead appraiser is authorized by the CMMI Steward; the
authorization has a certificate and expires)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opf.core.history import ChangeHistory
from opf.core.models import DomainModel

QUALIFICATION_RULE = _(
    "Only a person recorded as a qualified lead appraiser, whose certificate is valid "
    "on every day of the appraisal (from its planned start to its planned end), can "
    "lead it."
)


class LeadAppraiserQualification(DomainModel):
    person = models.ForeignKey(
        "opf.User",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="lead_appraiser_qualifications",
    )
    certificate_id = models.CharField(_("certificate id"), max_length=60, unique=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    note = models.TextField(_("note"), blank=True)

    history = ChangeHistory()

    class Meta:
        verbose_name = _("lead-appraiser qualification")
        verbose_name_plural = _("lead-appraiser qualifications")
        ordering = ["person__last_name", "person__username", "-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")),
                name="qualification_expires_after_issue",
                violation_error_message=_("A certificate cannot expire before it is issued."),
            )
        ]

    NAME_JOINS = ("person",)  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.person} – {self.certificate_id} ({self.expires_on:%Y-%m-%d})"

    def clean(self) -> None:
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError(
                {"expires_on": _("A certificate cannot expire before it is issued.")}
            )

    @classmethod
    def valid_between(cls, first: date, last: date) -> QuerySet[LeadAppraiserQualification]:
        """Qualifications valid on every day from ``first`` to ``last``."""
        return cls.objects.filter(issued_on__lte=first, expires_on__gte=last)
