"""The program's institutional backbone: steering committee and process group
membership (GP 2.4), steering meetings with decisions and follow-ups (GP 2.10),
and the program policy (GP 2.1) and improvement plan (GP 2.2) as versioned,
approved documents."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core import approval
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.versioning import LockableMixin
from opf.core.workflow import Transition, Workflow


class Body(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    PROCESS_GROUP = "process_group", _("Process group")


class CommitteeMembership(DomainModel):
    """Who sits on the steering committee or the process group, in which role, when.

    Kept apart from the access roles (``opf.core.roles``): membership is a dated,
    historical record of responsibility (GP 2.4); the roles say what people may do.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SECRETARY = "secretary", _("Secretary")
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    body = models.CharField(_("body"), max_length=30, choices=Body.choices)
    user = models.ForeignKey(
        "opf.User",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    start = models.DateField(_("member since"), default=date.today)
    end = models.DateField(_("member until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        ordering = ["body", "-start", "pk"]

    NAME_JOINS = ("user",)  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.user} – {self.get_body_display()} ({self.get_role_display()})"

    @property
    def active(self) -> bool:
        today = timezone.localdate()
        return self.start <= today and (self.end is None or self.end >= today)

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})


class SteeringMeeting(DomainModel):
    """A meeting of the steering committee (or the process group): agenda, attendees,
    notes, decisions and follow-ups. ``freeze_briefing`` stores the dashboard's
    figures at that moment, so the briefing does not change with later data."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(
        _("body"), max_length=30, choices=Body.choices, default=Body.STEERING_COMMITTEE
    )
    scheduled_at = models.DateTimeField(_("date and time"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    chair = models.ForeignKey(
        "opf.User",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_meetings",
    )
    attendees = models.ManyToManyField(
        "opf.User", verbose_name=_("attendees"), blank=True, related_name="steering_meetings"
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("minutes"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PLANNED, editable=False
    )
    briefing_figures = models.JSONField(
        _("briefing figures"), null=True, blank=True, editable=False
    )
    briefing_as_of = models.DateTimeField(
        _("briefing frozen at"), null=True, blank=True, editable=False
    )
    briefing_unit = models.ForeignKey(
        "opf.OrgUnit",
        verbose_name=_("briefing org unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty for the whole organization."),
    )

    history = ChangeHistory(
        excluded_fields=["version", "briefing_figures"], m2m_fields=["attendees"]
    )
    workflow = Workflow(
        Transition(
            "hold", _("Mark as held"), source=[State.PLANNED], target=State.HELD, style="primary"
        ),
        Transition(
            "cancel",
            _("Cancel"),
            source=[State.PLANNED],
            target=State.CANCELLED,
            reason_required=True,
            style="danger",
        ),
        Transition("reopen", _("Back to planned"), source=[State.CANCELLED], target=State.PLANNED),
    )

    class Meta:
        verbose_name = _("steering meeting")
        verbose_name_plural = _("steering meetings")
        ordering = ["-scheduled_at", "pk"]
        permissions = [
            ("use_executive_dashboard", _("Can use the executive dashboard for every org unit"))
        ]
        indexes = [models.Index(fields=["state", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.scheduled_at):%Y-%m-%d})"


class Decision(DomainModel):
    """A decision recorded at a steering meeting."""

    meeting = models.ForeignKey(
        SteeringMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    title = models.CharField(_("decision"), max_length=300)
    rationale = models.TextField(_("rationale"), blank=True)
    process_areas = models.ManyToManyField(
        "opf.ProcessArea",
        verbose_name=_("process areas concerned"),
        blank=True,
        related_name="steering_decisions",
    )

    history = ChangeHistory(m2m_fields=["process_areas"])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.title


class FollowUp(DomainModel):
    """An action item out of a steering meeting: owner, due date, status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OWNER_PATH = "owner"

    meeting = models.ForeignKey(
        SteeringMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    workflow = Workflow(
        Transition(
            "complete", _("Done"), source=[Status.OPEN], target=Status.DONE, style="primary"
        ),
        Transition(
            "drop", _("Drop"), source=[Status.OPEN], target=Status.DROPPED, reason_required=True
        ),
        Transition("reopen", _("Reopen"), source=[Status.DONE, Status.DROPPED], target=Status.OPEN),
        state_field="status",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.meeting_id
            and self.decision is not None
            and self.decision.meeting_id != self.meeting_id
        ):
            raise ValidationError({"decision": _("Choose a decision of the same meeting.")})

    def is_late(self, today: date) -> bool:
        return self.status == self.Status.OPEN and self.due is not None and self.due < today


class ProgramDocument(LockableMixin, DomainModel):
    """The program policy (GP 2.1) or process improvement plan (GP 2.2), one record
    per revision: drafted, approved (which supersedes the previous approved
    revision of the same kind), then read-only."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Program policy")
        PLAN = "plan", _("Process improvement plan")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = approval.SUBMITTED, approval.SUBMITTED_LABEL
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    LOCKED_STATES = (State.SUBMITTED, State.APPROVED, State.SUPERSEDED)
    LOCKED_HINT = approval.LOCKED_HINT

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    text = models.TextField(_("text"))
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )
    approved_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    submitted_by = approval.submitter_field()
    approver = approval.approver_field()

    history = HistoricalRecords(excluded_fields=["version"])
    workflow = Workflow(
        *approval.approval_transitions(State.DRAFT, State.APPROVED),
        Transition(
            "supersede",
            _("Supersede"),
            source=[State.APPROVED],
            target=State.SUPERSEDED,
            action="approve",
        ),
    )

    class Meta:
        verbose_name = _("program document")
        verbose_name_plural = _("program documents")
        ordering = ["kind", "-revision"]
        permissions = [("approve_programdocument", _("Can approve a program document"))]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "revision"], name="unique_program_document_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (rev. {self.revision})"

    @classmethod
    def next_revision(cls, kind: str) -> int:
        last = (
            cls.objects.filter(kind=kind)
            .order_by("-revision")
            .values_list("revision", flat=True)
            .first()
        )
        return (last or 0) + 1

    def clean(self) -> None:
        """A new record gets the next revision number of its kind (here, before
        the uniqueness check of (kind, revision); every save validates first)."""
        if self._state.adding and not self.pk and self.kind:
            self.revision = self.next_revision(self.kind)
