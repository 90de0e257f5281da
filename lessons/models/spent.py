"""Each action plan's spent effort, summed once and kept (#24): derived, kept by
``lessons.spent_hours``, which sums a plan again when one of its items was written.
Not a record of the program: no history, no page, not in backups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanSpentHours(models.Model):
    plan = models.OneToOneField(
        "actions.ProcessActionPlan",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("action plan"),
    )
    # The sum of its items' spent effort; None for a plan without items.
    spent_hours = models.DecimalField(_("spent hours"), max_digits=12, decimal_places=1, null=True)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("spent hours of a plan")
        verbose_name_plural = _("spent hours of plans")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.spent_hours}"
