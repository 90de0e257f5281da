"""SG 2.2: carrying out a process action plan: its milestones and action items,
the commitments made for it, the issues raised and its review meetings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models.plans import ProcessActionPlan
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.workflow import Transition, Workflow


def carried_to_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("carried over to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=related_name,
        editable=False,
    )


def carry_reason_field() -> models.TextField:
    return models.TextField(_("reason for carrying over"), blank=True, editable=False)


class Milestone(DomainModel):
    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("title"), max_length=200)
    due = models.DateField(_("due date"))
    done = models.BooleanField(_("reached"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionItem(DomainModel):
    """One task of a plan. The assignee updates their own items; status moves are
    explicit (``move``), e.g. on the plan's board."""

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Doing")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")

    OPEN_STATUSES = (Status.TODO, Status.DOING, Status.BLOCKED)
    OWNER_PATH = "assignee"

    # Not stored: set by actions.queries (late) and the board (movable) for their pages.
    late: bool
    movable: bool

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    meeting = models.ForeignKey(
        "actions.PlanMeeting",
        verbose_name=_("follow-up of meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    assignee = models.ForeignKey(
        "opf.User",
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO, editable=False
    )
    planned_effort = models.DecimalField(
        _("planned effort (hours)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    spent_effort = models.DecimalField(
        _("spent effort (hours)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    done_on = models.DateField(
        _("done on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the item was last marked done (the burn-up and momentum count it)."),
    )
    carried_to = carried_to_field("carried_in_items")
    carry_reason = carry_reason_field()

    history = HistoricalRecords(excluded_fields=["version"])
    workflow = Workflow(
        *(
            Transition(
                value,
                label,
                source=[s for s in ("todo", "doing", "blocked", "done") if s != value],
                target=value,
            )
            for value, label in Status.choices
        ),
        state_field="status",
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["done_on"]),
            models.Index(fields=["due", "id"], name="actionitem_due_idx"),  # default ordering
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.plan_id and self.milestone is not None and self.milestone.plan_id != self.plan_id:
            raise ValidationError({"milestone": _("Choose a milestone of the same plan.")})

    def is_late(self, today: date) -> bool:
        return self.status != self.Status.DONE and self.due is not None and self.due < today


class Commitment(DomainModel):
    """What one party promises another for the plan (SP 2.2), negotiated and revised."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        REVISED = "revised", _("Revised")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    # Neither kept nor broken: the promise still stands (or is being renegotiated).
    OPEN_STATUSES = (Status.PROPOSED, Status.AGREED, Status.REVISED)

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    what = models.CharField(_("what"), max_length=300)
    from_party = models.CharField(_("from"), max_length=200, help_text=_("A person or a team."))
    to_party = models.CharField(_("to"), max_length=200, help_text=_("A person or a team."))
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("kept by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text=_(
            "The person who answers for the promise: they are told, and it waits in "
            "their worklist until it is kept or broken."
        ),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        editable=False,
    )
    carried_to = carried_to_field("carried_in_commitments")
    carry_reason = carry_reason_field()

    history = HistoricalRecords()
    workflow = Workflow(
        Transition(
            "agree",
            _("Agree"),
            source=[Status.PROPOSED, Status.REVISED],
            target=Status.AGREED,
            style="primary",
        ),
        Transition(
            "revise",
            _("Revise"),
            source=[Status.PROPOSED, Status.AGREED],
            target=Status.REVISED,
            reason_required=True,
        ),
        Transition("keep", _("Kept"), source=[Status.AGREED], target=Status.KEPT, style="primary"),
        Transition(
            "mark_broken",
            _("Broken"),
            source=[Status.AGREED, Status.REVISED],
            target=Status.BROKEN,
            reason_required=True,
            style="danger",
        ),
        state_field="status",
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.what


class PlanIssue(DomainModel):
    """An issue raised while implementing a plan, tracked to closure."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_WORK = "in_work", _("In work")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="issues",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_issues",
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    resolution = models.TextField(_("resolution"), blank=True, editable=False)
    carried_to = carried_to_field("carried_in_issues")
    carry_reason = carry_reason_field()

    history = HistoricalRecords()
    workflow = Workflow(
        Transition("work", _("Work on it"), source=[Status.OPEN], target=Status.IN_WORK),
        Transition(
            "close",
            _("Close with a resolution"),
            source=[Status.OPEN, Status.IN_WORK],
            target=Status.CLOSED,
            reason_required=True,
            style="primary",
        ),
        Transition(
            "reopen",
            _("Reopen"),
            source=[Status.CLOSED],
            target=Status.OPEN,
            reason_required=True,
        ),
        state_field="status",
    )

    class Meta:
        verbose_name = _("plan issue")
        verbose_name_plural = _("plan issues")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title


class PlanMeeting(DomainModel):
    """A joint review meeting of a plan: attendees, notes, decisions, follow-ups."""

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    date = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        "opf.User", verbose_name=_("attendees"), blank=True, related_name="plan_meetings"
    )
    notes = models.TextField(_("notes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    history = ChangeHistory(m2m_fields=["attendees"])

    class Meta:
        verbose_name = _("plan meeting")
        verbose_name_plural = _("plan meetings")
        ordering = ["-date", "-pk"]

    NAME_JOINS = ("plan",)  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.plan} – {self.date}"
