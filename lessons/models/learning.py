"""SP 3.4: lessons learned, improvement proposals and effectiveness reviews."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.workflow import Transition, Workflow


def tag_list(tags: str) -> list[str]:
    return [t.strip() for t in tags.split(",") if t.strip()]


class Lesson(DomainModel):
    """What someone learned, for the next project: submitted by anyone, published
    by the process group, shown on the pages of the assets and projects it concerns."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    OWNER_PATH = "submitted_by"

    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), blank=True)
    what_happened = models.TextField(_("what happened"))
    next_time = models.TextField(_("what to do next time"))
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("Comma-separated keywords.")
    )
    project = models.ForeignKey(
        "opf.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    asset = models.ForeignKey(
        "deployment.ProcessAsset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    action_plan = models.ForeignKey(
        "actions.ProcessActionPlan",
        verbose_name=_("action plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    non_compliance = models.ForeignKey(
        "lessons.NonCompliance",
        verbose_name=_("non-compliance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    submitted_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="submitted_lessons",
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate, editable=False)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, editable=False
    )

    history = HistoricalRecords(excluded_fields=["version"])
    workflow = Workflow(
        Transition(
            "publish",
            _("Publish"),
            source=[State.SUBMITTED, State.ARCHIVED],
            target=State.PUBLISHED,
            action="publish",
            style="primary",
        ),
        Transition(
            "archive",
            _("Archive"),
            source=[State.SUBMITTED, State.PUBLISHED],
            target=State.ARCHIVED,
            action="publish",
        ),
    )

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["state"])]
        permissions = [
            ("submit_lesson", "Can submit a lesson"),
            ("publish_lesson", "Can publish or archive a lesson"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return tag_list(self.tags)


class ImprovementProposal(DomainModel):
    """A process improvement proposal (PIP) against an asset or a process area;
    accepting it creates the improvement that carries it forward."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        MEMBER = "member", _("Submitted by a member")
        RECURRENCE = "recurrence", _("Recurring non-compliances")
        REVIEW = "review", _("Effectiveness review")

    OWNER_PATH = "submitted_by"

    title = models.CharField(_("title"), max_length=200)
    asset = models.ForeignKey(
        "deployment.ProcessAsset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    process_area = models.ForeignKey(
        "opf.ProcessArea",
        verbose_name=_("process area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    problem = models.TextField(_("problem"))
    proposed_change = models.TextField(_("proposed change"))
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("from lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    non_compliances = models.ManyToManyField(
        "lessons.NonCompliance",
        verbose_name=_("non-compliances"),
        blank=True,
        related_name="proposals",
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MEMBER, editable=False
    )
    submitted_by = models.ForeignKey(
        "opf.User",
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="submitted_proposals",
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, editable=False
    )
    decision_reason = models.TextField(_("decision"), blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    improvement = models.OneToOneField(
        "actions.Improvement",
        verbose_name=_("improvement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="proposal",
    )

    history = ChangeHistory(excluded_fields=["version"], m2m_fields=["non_compliances"])
    workflow = Workflow(
        Transition(
            "accept",
            _("Accept"),
            source=[State.SUBMITTED],
            target=State.ACCEPTED,
            action="evaluate",
            style="primary",
        ),
        Transition(
            "reject",
            _("Reject"),
            source=[State.SUBMITTED],
            target=State.REJECTED,
            action="evaluate",
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("improvement proposal")
        verbose_name_plural = _("improvement proposals")
        ordering = ["-submitted_on", "-pk"]
        indexes = [
            models.Index(fields=["state"]),
            # The proposals to decide, oldest first (the process group's watch block).
            models.Index(
                fields=["submitted_on", "id"],
                condition=models.Q(state="submitted"),
                name="lessons_proposals_to_decide",
            ),
        ]
        permissions = [
            ("submit_improvementproposal", "Can submit an improvement proposal"),
            ("evaluate_improvementproposal", "Can accept or reject an improvement proposal"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.asset_id and not self.process_area_id:
            raise ValidationError(
                {"asset": _("Say what the proposal is about: an asset or a process area.")}
            )


class EffectivenessReview(DomainModel):
    """A periodic review of how well the standard process set works."""

    title = models.CharField(_("title"), max_length=200)
    standard_set = models.ForeignKey(
        "deployment.StandardProcessSet",
        verbose_name=_("standard process set"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="effectiveness_reviews",
    )
    review_date = models.DateField(_("review date"))
    reviewers = models.ManyToManyField(
        "opf.User", verbose_name=_("reviewers"), blank=True, related_name="effectiveness_reviews"
    )
    findings = models.TextField(_("findings"), blank=True)
    proposals = models.ManyToManyField(
        ImprovementProposal,
        verbose_name=_("resulting proposals"),
        blank=True,
        related_name="effectiveness_reviews",
    )
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)

    history = ChangeHistory(excluded_fields=["version"], m2m_fields=["reviewers", "proposals"])

    class Meta:
        verbose_name = _("effectiveness review")
        verbose_name_plural = _("effectiveness reviews")
        ordering = ["-review_date", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.next_review_due and self.review_date and self.next_review_due <= self.review_date:
            raise ValidationError({"next_review_due": _("The next review is due after this one.")})
