"""SG 1.3: the improvement pipeline: the weighted prioritization criteria, the
candidate improvements (selected, deferred, rejected, with a manual rank) and their
scores on each criterion."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.business_case import RATIO_BANDS, RATIO_FLOOR_SCORE, BusinessCase
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel, RestrictedQuerySet
from opf.core.workflow import Transition, Workflow
from opf.reference.models import ProcessArea

SCORE_MIN, SCORE_MAX = 1, 5
NONNEGATIVE = [MinValueValidator(Decimal("0"))]


class CostRate(DomainModel):
    """The hourly rate that turns hours into money in the business cases (a
    program setting the process group edits, with history). The first active
    rate is the one used; none: ``DEFAULT_RATE``."""

    DEFAULT_RATE = Decimal("90")

    name = models.CharField(_("name"), max_length=100)
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=8, decimal_places=2, validators=NONNEGATIVE
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost rate")
        verbose_name_plural = _("cost rates")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}: {Decimal(self.hourly_rate):.2f} {self.currency}/h"

    @classmethod
    def current(cls) -> Decimal:
        """The rate in use (one query)."""
        rate = cls.objects.filter(active=True).order_by("pk").values_list("hourly_rate", flat=True)
        return next(iter(rate), cls.DEFAULT_RATE)

    @classmethod
    def currency_in_use(cls) -> str:
        currency = cls.objects.filter(active=True).order_by("pk").values_list("currency", flat=True)
        return next(iter(currency), "EUR")

    @classmethod
    def current_expression(cls) -> Coalesce:
        """The rate in use, as SQL (for rankings)."""
        first = cls.objects.filter(active=True).order_by("pk").values("hourly_rate")[:1]
        return Coalesce(
            Subquery(first),
            Value(cls.DEFAULT_RATE),
            output_field=models.DecimalField(max_digits=8, decimal_places=2),
        )


class PrioritizationCriterion(DomainModel):
    """A weighted criterion (benefit, cost, risk, urgency...) each improvement is scored on."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MaxValueValidator(100)]
    )

    class Source(models.TextChoices):
        SCORED = "scored", _("Scored by hand (1–5)")
        BENEFIT_COST = "benefit_cost", _("Computed: benefit/cost ratio of the business case")

    source = models.CharField(
        _("source of the score"),
        max_length=20,
        choices=Source.choices,
        default=Source.SCORED,
        help_text=_(
            "A computed criterion scores each improvement's benefit/cost ratio: "
            "below 1 → 1, from 1 → 2, from 2 → 3, from 3 → 4, from 5 → 5; "
            "no business case, no score."
        ),
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
        scored = Q(
            scores__criterion__active=True,
            scores__criterion__source=PrioritizationCriterion.Source.SCORED,
        )
        return self.annotate(
            scored_priority=Coalesce(
                Sum(contribution, filter=scored), Value(0), output_field=models.IntegerField()
            ),
            ratio_score=ratio_score_expression(),
            ratio_weight=ratio_weight_expression(),
            priority=F("scored_priority") + F("ratio_score") * F("ratio_weight"),
            pinned=Case(
                When(rank_override__isnull=False, then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            ),
        )

    def with_spent_hours(self) -> ImprovementQuerySet:
        """Annotate ``spent_hours``: the spent effort of the items of the plans (not
        cancelled) implementing it, ``None`` without such items; and ``rate_in_use``,
        the hourly rate (so a list reads its business cases in its one query)."""
        items = apps.get_model("actions", "ActionItem")  # items sit above this module
        spent = (
            items.objects.filter(plan__improvements=OuterRef("pk"))
            .exclude(plan__state="cancelled")
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(total=Sum("spent_effort"))
            .values("total")[:1]
        )
        return self.annotate(
            rate_in_use=CostRate.current_expression(),
            spent_hours=Subquery(
                spent, output_field=models.DecimalField(max_digits=12, decimal_places=1)
            ),
        )

    def ranked(self) -> ImprovementQuerySet:
        return self.with_priority().order_by("pinned", "rank_override", "-priority", "pk")


def ratio_score_expression() -> Case:
    """``business_case.ratio_score`` in SQL (0 without a business case)."""
    rate = CostRate.current_expression()
    money: models.DecimalField = models.DecimalField(max_digits=20, decimal_places=4)
    benefit = Coalesce(F("benefit_money_per_year"), Value(Decimal("0")), output_field=money) + (
        Coalesce(F("benefit_hours_per_year"), Value(Decimal("0")), output_field=money) * rate
    )
    cost = Coalesce(F("estimated_hours"), Value(Decimal("0")), output_field=money) * rate + (
        Coalesce(F("other_cost"), Value(Decimal("0")), output_field=money)
    )
    return Case(
        When(LessThanOrEqual(cost, Value(Decimal("0"))), then=Value(0)),
        When(LessThanOrEqual(benefit, Value(Decimal("0"))), then=Value(0)),
        *(
            When(GreaterThanOrEqual(benefit, cost * Value(lowest)), then=Value(score))
            for lowest, score in RATIO_BANDS
        ),
        default=Value(RATIO_FLOOR_SCORE),
        output_field=models.IntegerField(),
    )


def ratio_weight_expression() -> Coalesce:
    """The summed weight of the active computed (benefit/cost) criteria."""
    weights = (
        PrioritizationCriterion.objects.filter(
            active=True, source=PrioritizationCriterion.Source.BENEFIT_COST
        )
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Sum("weight"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(weights), Value(0), output_field=models.IntegerField())


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
    initiative = models.ForeignKey(
        "opf.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
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

    # The business case: expected benefit (a measure from baseline to target,
    # and/or money or hours a year) against the estimated cost.
    benefit_measure = models.ForeignKey(
        "lessons.Measure",
        verbose_name=_("benefit measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvements",
        help_text=_("The measure from the repository the improvement should move."),
    )
    benefit_baseline = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    benefit_target = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    benefit_money_per_year = models.DecimalField(
        _("benefit a year (money)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NONNEGATIVE,
    )
    benefit_hours_per_year = models.DecimalField(
        _("hours saved a year"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NONNEGATIVE,
        help_text=_("Valued at the hourly rate."),
    )
    estimated_hours = models.DecimalField(
        _("estimated effort (hours)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NONNEGATIVE,
        help_text=_("Valued at the hourly rate."),
    )
    other_cost = models.DecimalField(
        _("other cost (money)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NONNEGATIVE,
        help_text=_("Tools, training, external help."),
    )
    # Recorded when its plan completes: only "reached" marks it implemented.
    objective_reached = models.CharField(
        _("objective reached"),
        max_length=8,
        choices=[
            ("yes", _("Reached")),
            ("partly", _("Partly reached")),
            ("no", _("Not reached")),
        ],
        blank=True,
        editable=False,
    )
    objective_note = models.TextField(_("note on the objective"), blank=True, editable=False)

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

    def clean(self) -> None:
        measured = (self.benefit_baseline, self.benefit_target)
        if self.benefit_measure_id is None:
            if any(v is not None for v in measured):
                raise ValidationError(
                    {"benefit_measure": _("Name the measure the baseline and target are of.")}
                )
            return
        errors = {
            name: _("Give the %(what)s of the benefit measure.") % {"what": label}
            for name, label, value in (
                ("benefit_baseline", _("baseline"), self.benefit_baseline),
                ("benefit_target", _("target"), self.benefit_target),
            )
            if value is None
        }
        if errors:
            raise ValidationError(errors)
        measure = self.benefit_measure
        assert measure is not None
        assert self.benefit_baseline is not None and self.benefit_target is not None
        lower = measure.direction == "lower"
        better = (
            self.benefit_target < self.benefit_baseline
            if lower
            else self.benefit_target > self.benefit_baseline
        )
        if not better:
            raise ValidationError(
                {
                    "benefit_target": _(
                        "The target must be better than the baseline (%(measure)s: %(direction)s)."
                    )
                    % {
                        "measure": measure,
                        "direction": measure.get_direction_display(),
                    }
                }
            )

    def business_case(self, rate: Decimal, spent_hours: Decimal | None = None) -> BusinessCase:
        """The case in money at ``rate`` (``spent_hours``: the plans' items, if known)."""
        return BusinessCase(
            rate=rate,
            estimated_hours=self.estimated_hours,
            other_cost=self.other_cost or Decimal("0"),
            money_per_year=self.benefit_money_per_year,
            hours_per_year=self.benefit_hours_per_year,
            spent_hours=spent_hours,
        )


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
