"""SG 1.3: the improvement pipeline: the weighted prioritization criteria, the
candidate improvements (selected, deferred, rejected, with a manual rank) and their
scores on each criterion."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.history import ChangeHistory
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
    history = ChangeHistory(m2m_fields=["process_areas", "findings", "needs"])
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
