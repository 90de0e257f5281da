"""Each action plan's item figures, counted once and kept in the database (#24), so the
dashboard's plan health, its burn-up, the "action items closed" series and the "plans
on track" headline read a few rows per plan instead of every action item: derived,
kept by ``actions.item_figures``, which counts a plan again whenever one of its items
is written. Not a record of the program: no history, no page, not in backups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanItemFigures(models.Model):
    """A plan's items, summed (a plan that never had an item may have no row: it reads
    as zeros)."""

    plan = models.OneToOneField(
        "actions.ProcessActionPlan",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="item_figures",
        verbose_name=_("action plan"),
    )
    items = models.PositiveIntegerField(_("items"), default=0)
    blocked = models.PositiveIntegerField(_("blocked items"), default=0)
    # The earliest due date of its open items: the plan is late on a day after it,
    # whatever the day (the row does not depend on the date).
    open_due = models.DateField(_("earliest due date of an open item"), null=True)
    planned = models.DecimalField(_("planned effort"), max_digits=12, decimal_places=1, default=0)
    spent = models.DecimalField(_("spent effort"), max_digits=12, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("item figures of a plan")
        verbose_name_plural = _("item figures of plans")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.items}"


class PlanItemMonth(models.Model):
    """A plan's items per month: those due in it and those done in it."""

    plan = models.ForeignKey(
        "actions.ProcessActionPlan",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("action plan"),
    )
    month = models.DateField(_("month"))  # its first day
    due = models.PositiveIntegerField(_("items due"), default=0)
    done = models.PositiveIntegerField(_("items done"), default=0)

    class Meta:
        verbose_name = _("items of a plan in a month")
        verbose_name_plural = _("items of plans per month")
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="planitemmonth_once"),
        ]
        indexes = [models.Index(fields=["month", "plan"], name="planitemmonth_month_idx")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.month}: {self.due}/{self.done}"


class PlanLateSpan(models.Model):
    """Days on which a plan had an item late that is done now: the item was due on
    ``after`` and done on ``until``, so it was open and overdue on every day strictly
    between (its items' spans merged where they meet)."""

    plan = models.ForeignKey(
        "actions.ProcessActionPlan",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("action plan"),
    )
    after = models.DateField(_("late after"))
    until = models.DateField(_("late until"))

    class Meta:
        verbose_name = _("late span of a plan")
        verbose_name_plural = _("late spans of plans")
        indexes = [models.Index(fields=["plan", "after"], name="planlatespan_plan_idx")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.after}..{self.until}"


class ImprovementStay(models.Model):
    """A run of an improvement's history rows in one state: from the row that entered
    it to the next row that left it (``ended``; none for the state it is in now), kept
    by ``actions.improvement_stays`` from the history rows, so the dashboard's funnel
    reads a row per stay instead of every history row."""

    improvement = models.ForeignKey(
        "actions.Improvement",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("improvement"),
    )
    state = models.CharField(_("state"), max_length=20)
    entered = models.DateTimeField(_("entered"))
    ended = models.DateTimeField(_("ended"), null=True)
    # ended - entered in microseconds (exact; none while the stay goes on)
    spent = models.BigIntegerField(_("time spent (microseconds)"), null=True)

    class Meta:
        verbose_name = _("stay of an improvement in a state")
        verbose_name_plural = _("stays of improvements in states")
        indexes = [
            # each stage's ended stays by length: the middle ones (the median) read
            # from the index
            models.Index(
                fields=["state", "spent", "improvement"],
                name="improvementstay_spent_idx",
                condition=models.Q(ended__isnull=False),
            ),
            # the state each improvement is in now, by state (the implemented ones)
            models.Index(
                fields=["state", "improvement", "entered"],
                name="improvementstay_open_idx",
                condition=models.Q(ended__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.improvement_id} {self.state}: {self.entered}..{self.ended}"
