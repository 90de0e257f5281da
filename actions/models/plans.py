"""SG 2.1: process action plans built from the selected improvements, with the
plan's team and its named reviewers (whose decisions are the approval record)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models.improvements import Improvement
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.versioning import LockableMixin
from opf.core.workflow import Transition, Workflow

if TYPE_CHECKING:
    from opf.core.accounts import User


def _is_executive(user: User | None) -> bool:
    from opf.core.roles import EXECUTIVE, has_role

    return user is not None and (user.is_superuser or has_role(user, EXECUTIVE))


class ProcessActionPlan(LockableMixin, DomainModel):
    """How selected improvements get done (SP 2.1): team, reviews, milestones, items.
    Approved, its content is locked: what was approved is what is done."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED, State.IN_PROGRESS)
    LOCKED_STATES = (State.APPROVED, State.IN_PROGRESS, State.COMPLETED)
    LOCKED_HINT = _(
        "An approved plan is not reopened: write a new plan (and cancel this one, if unfinished)."
    )

    title = models.CharField(_("title"), max_length=200)
    improvements = models.ManyToManyField(
        Improvement,
        verbose_name=_("improvements"),
        blank=True,
        related_name="action_plans",
        help_text=_("Selected improvements this plan implements."),
    )
    strategy = models.TextField(
        _("strategy and approach"),
        blank=True,
        help_text=_("How the improvements will be implemented, piloted and rolled out."),
    )
    initiative = models.ForeignKey(
        "opf.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_action_plans",
    )
    sponsor = models.ForeignKey(
        "opf.User",
        verbose_name=_("executive sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_action_plans",
    )
    stakeholders = models.TextField(
        _("stakeholders"), blank=True, help_text=_("Who is affected or must be involved.")
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)

    history = ChangeHistory(excluded_fields=["version"], m2m_fields=["improvements"])
    workflow = Workflow(
        Transition(
            "submit",
            _("Submit for review"),
            source=[State.DRAFT],
            target=State.IN_REVIEW,
            style="primary",
        ),
        Transition(
            "approve",
            _("Approve"),
            source=[State.IN_REVIEW],
            target=State.APPROVED,
            action="approve",
            style="primary",
        ),
        Transition(
            "request_changes",
            _("Request changes"),
            source=[State.IN_REVIEW],
            target=State.DRAFT,
            action="view",  # the service admits named reviewers and executives only
            reason_required=True,
        ),
        Transition(
            "start",
            _("Start"),
            source=[State.APPROVED],
            target=State.IN_PROGRESS,
            style="primary",
        ),
        Transition(
            "complete",
            _("Complete"),
            source=[State.IN_PROGRESS],
            target=State.COMPLETED,
            style="primary",
        ),
        Transition(
            "cancel",
            _("Cancel"),
            source=[State.DRAFT, State.IN_REVIEW, State.APPROVED, State.IN_PROGRESS],
            target=State.CANCELLED,
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("process action plan")
        verbose_name_plural = _("process action plans")
        ordering = ["-pk"]
        permissions = [("approve_processactionplan", "Can approve process action plan")]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.title

    def delete_refusal(self) -> str | None:
        """Deleting the plan would delete its decided reviews (approval records)."""
        if self.pk and self.reviews.exclude(decision=PlanReview.Decision.PENDING).exists():
            return str(
                _("%(plan)s has decided reviews (approval records) and is never deleted.")
                % {"plan": self}
            )
        return None

    def clean(self) -> None:
        if self.sponsor_id and not _is_executive(self.sponsor):
            raise ValidationError({"sponsor": _("The sponsor must be an executive.")})


class PlanTeamMember(DomainModel):
    """A member of the plan's process action team, with their role in it."""

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="team",
    )
    user = models.ForeignKey(
        "opf.User",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="action_teams",
    )
    role = models.CharField(
        _("role in the team"), max_length=100, help_text=_("E.g. lead, process author, tester.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan team member")
        verbose_name_plural = _("plan team members")
        ordering = ["plan", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "user"],
                name="unique_plan_team_member",
                violation_error_message=_("This person is already on the team."),
            )
        ]

    NAME_JOINS = ("user",)  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class PlanReview(LockableMixin, DomainModel):
    """A named reviewer's decision on a plan; the reviewer records it (OWN scope).
    Decided, it is locked (the approval record); a resubmitted plan restarts it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    OWNER_PATH = "reviewer"
    LOCK_FIELD = "decision"
    LOCKED_STATES = (Decision.APPROVED, Decision.CHANGES_REQUESTED)

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewer = models.ForeignKey(
        "opf.User",
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="plan_reviews",
    )
    focus = models.CharField(
        _("review focus"),
        max_length=200,
        blank=True,
        help_text=_("What this reviewer looks at, e.g. feasibility or the effect on projects."),
    )
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=Decision.choices,
        default=Decision.PENDING,
        editable=False,
    )
    comments = models.TextField(_("comments"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    workflow = Workflow(
        Transition(
            "approve",
            _("Approve the plan"),
            source=[Decision.PENDING],
            target=Decision.APPROVED,
            action="decide",
            style="primary",
        ),
        Transition(
            "request_changes",
            _("Request changes"),
            source=[Decision.PENDING],
            target=Decision.CHANGES_REQUESTED,
            action="decide",
            reason_required=True,
        ),
        state_field="decision",
    )

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["plan", "pk"]
        permissions = [("decide_planreview", "Can record a plan review decision")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "reviewer"],
                name="unique_plan_reviewer",
                violation_error_message=_("This person already reviews this plan."),
            )
        ]

    NAME_JOINS = ("plan", "reviewer")  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.plan}: {self.reviewer}"

    def delete_refusal(self) -> str | None:
        """A decided review is the plan's approval record: never deleted (#9)."""
        if self.decision != self.Decision.PENDING:
            return str(
                _("%(review)s is a decided review (an approval record) and is never deleted.")
                % {"review": self}
            )
        return None
