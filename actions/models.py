"""SG 1.3: the improvement pipeline (candidates, weighted prioritization, selection);
SG 2: process action plans built from the selected improvements (team, reviews,
milestones, action items, commitments, issues, meetings) and pilots.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.models import DomainModel, RestrictedQuerySet
from opf.core.workflow import Transition, Workflow
from opf.reference.models import ProcessArea

SCORE_MIN, SCORE_MAX = 1, 5


class PrioritizationCriterion(DomainModel):
    """A weighted criterion (benefit, cost, risk, urgency...) each improvement is scored on."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MaxValueValidator(100)]
    )
    higher_is_better = models.BooleanField(
        _("higher score is better"),
        default=True,
        help_text=_("Untick for criteria such as cost or risk, where a low score ranks higher."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prioritization criterion")
        verbose_name_plural = _("prioritization criteria")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ImprovementQuerySet(RestrictedQuerySet):
    def with_priority(self) -> ImprovementQuerySet:
        """Annotate ``priority``: the weighted sum of the scores on active criteria
        (a "lower is better" criterion counts ``6 - score``), and ``pinned``
        (a manual rank exists). ``ranked()`` orders by both."""
        contribution = Case(
            When(
                scores__criterion__higher_is_better=True,
                then=F("scores__criterion__weight") * F("scores__value"),
            ),
            default=F("scores__criterion__weight")
            * (Value(SCORE_MAX + SCORE_MIN) - F("scores__value")),
            output_field=models.IntegerField(),
        )
        return self.annotate(
            priority=Coalesce(
                Sum(contribution, filter=Q(scores__criterion__active=True)),
                Value(0),
                output_field=models.IntegerField(),
            ),
            pinned=Case(
                When(rank_override__isnull=False, then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            ),
        )

    def ranked(self) -> ImprovementQuerySet:
        return self.with_priority().order_by("pinned", "rank_override", "-priority", "pk")


if TYPE_CHECKING:  # the manager as_manager() builds, named for the annotation below
    ImprovementManager = models.Manager.from_queryset(ImprovementQuerySet)
    from opf.core.accounts import User


class Improvement(DomainModel):
    class State(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        SELECTED = "selected", _("Selected")
        IN_ACTION = "in_action", _("In action")
        IMPLEMENTED = "implemented", _("Implemented")
        DEFERRED = "deferred", _("Deferred")
        REJECTED = "rejected", _("Rejected")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    process_areas = models.ManyToManyField(
        ProcessArea, verbose_name=_("process areas"), blank=True, related_name="improvements"
    )
    findings = models.ManyToManyField(
        "appraisals.Finding",
        verbose_name=_("source findings"),
        blank=True,
        related_name="improvements",
    )
    needs = models.ManyToManyField(
        "appraisals.ProcessNeed",
        verbose_name=_("source needs"),
        blank=True,
        related_name="improvements",
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_improvements",
    )
    rank_override = models.PositiveIntegerField(
        _("manual rank"), null=True, blank=True, editable=False
    )
    rank_reason = models.TextField(_("reason for the manual rank"), blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.CANDIDATE, editable=False
    )

    objects: ClassVar[ImprovementManager[Improvement]] = ImprovementQuerySet.as_manager()
    history = HistoricalRecords()
    workflow = Workflow(
        Transition(
            "select",
            _("Select"),
            source=[State.CANDIDATE, State.DEFERRED],
            target=State.SELECTED,
            style="primary",
        ),
        Transition(
            "defer",
            _("Defer"),
            source=[State.CANDIDATE, State.SELECTED],
            target=State.DEFERRED,
            reason_required=True,
        ),
        Transition(
            "reject",
            _("Reject"),
            source=[State.CANDIDATE, State.SELECTED, State.DEFERRED],
            target=State.REJECTED,
            reason_required=True,
            style="danger",
        ),
        Transition(
            "reconsider",
            _("Reconsider"),
            source=[State.DEFERRED, State.REJECTED],
            target=State.CANDIDATE,
        ),
    )

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        ordering = ["pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.title


class ImprovementScore(DomainModel):
    improvement = models.ForeignKey(
        Improvement, verbose_name=_("improvement"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        PrioritizationCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("improvement score")
        verbose_name_plural = _("improvement scores")
        ordering = ["improvement", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["improvement", "criterion"],
                name="unique_improvement_score",
                violation_error_message=_("This improvement is already scored on this criterion."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"

    def get_absolute_url(self) -> str:
        return self.improvement.get_absolute_url()


# --- SG 2: process action plans ------------------------------------------------


def _is_executive(user: User | None) -> bool:
    from opf.core.roles import EXECUTIVE, has_role

    return user is not None and (user.is_superuser or has_role(user, EXECUTIVE))


class ProcessActionPlan(DomainModel):
    """How selected improvements get done (SP 2.1): team, reviews, milestones, items."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.APPROVED, State.IN_PROGRESS)

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

    history = HistoricalRecords(excluded_fields=["version"])
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

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class PlanReview(DomainModel):
    """A named reviewer's decision on a plan; the reviewer records it (OWN scope)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    OWNER_PATH = "reviewer"

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``done_on`` follows ``status`` on every save (form edits, creates)."""
        if self.status == self.Status.DONE:
            self.done_on = self.done_on or timezone.localdate()
        else:
            self.done_on = None
        super().save(*args, **kwargs)

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

    plan = models.ForeignKey(
        ProcessActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    what = models.CharField(_("what"), max_length=300)
    from_party = models.CharField(_("from"), max_length=200, help_text=_("A person or a team."))
    to_party = models.CharField(_("to"), max_length=200, help_text=_("A person or a team."))
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        editable=False,
    )

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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan meeting")
        verbose_name_plural = _("plan meetings")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan} – {self.date}"


# --- pilots --------------------------------------------------------------------


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

    history = HistoricalRecords(excluded_fields=["version"])
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
    )

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-pk"]

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
