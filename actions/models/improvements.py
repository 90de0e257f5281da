"""SG 1.3: the improvement pipeline: the weighted prioritization criteria, the
candidate improvements (selected, deferred, rejected, with a manual rank) and their
scores on each criterion."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, OuterRef, Subquery, Sum, Value, When
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
    def in_use(cls) -> tuple[Decimal, str]:
        """The rate in use and its currency (one query)."""
        first = (
            cls.objects.filter(active=True).order_by("pk").values_list("hourly_rate", "currency")
        )
        return next(iter(first), (cls.DEFAULT_RATE, "EUR"))

    @classmethod
    def current(cls) -> Decimal:
        """The rate in use (one query)."""
        return cls.in_use()[0]

    @classmethod
    def currency_in_use(cls) -> str:
        return cls.in_use()[1]

    @classmethod
    def current_expression(cls) -> Coalesce:
        """The rate in use, as SQL (for rankings)."""
        return rate_expression(cls)


def _spending_items() -> models.QuerySet:
    """The action items whose spent effort counts as an improvement's actual effort:
    those of the plans implementing it, unless cancelled."""
    items = apps.get_model("actions", "ActionItem")  # items sit above this module
    return items.objects.exclude(plan__state="cancelled")


def rate_expression(rate_model: type[models.Model]) -> Coalesce:
    """``CostRate.current()`` as SQL; ``rate_model`` may be a migration's. The rate
    in use depends on the rates alone (no date), so a value computed with it stays
    right until a rate is saved or deleted."""
    first = rate_model._default_manager.filter(active=True).order_by("pk").values("hourly_rate")[:1]
    return Coalesce(
        Subquery(first),
        Value(CostRate.DEFAULT_RATE),
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
    """The ranking reads the stored ``Improvement.priority`` (kept by
    ``recompute_priority``), so a page of the ranked list reads an index, not every
    improvement with its scores."""

    def with_ratio_score(self) -> ImprovementQuerySet:
        """Annotate ``ratio_score``: the business case's 1-5 score (0 without one),
        computed for the rows read only (it is not part of the order)."""
        return self.annotate(ratio_score=ratio_score_expression())

    def with_spent_hours(self) -> ImprovementQuerySet:
        """Annotate ``spent_hours``: the spent effort of the items of the plans (not
        cancelled) implementing it, ``None`` without such items; and ``rate_in_use``,
        the hourly rate (so a list reads its business cases in its one query)."""
        spent = (
            _spending_items()
            .filter(plan__improvements=OuterRef("pk"))
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

    def spent_hours(self) -> dict[int, Decimal | None]:
        """``with_spent_hours``'s ``spent_hours`` of these improvements, by pk, in one
        grouped query (no correlated subquery per improvement): those without items
        are left out (their spent hours are ``None``)."""
        spent = (
            _spending_items()
            .filter(plan__improvements__in=self.order_by().values("pk"))
            .order_by()
            .values("plan__improvements")
            .annotate(total=Sum("spent_effort"))
            .values_list("plan__improvements", "total")
        )
        return dict(spent)

    def ranked(self) -> ImprovementQuerySet:
        """Pinned (a manual rank) first by their rank, then by priority, best first;
        the order of the index ``improvement_ranked``."""
        return self.with_ratio_score().order_by(*RANKING)

    def recompute_priority(self) -> int:
        """Store the priority of these improvements as their inputs make it now, in
        one UPDATE of the rows whose value changed (returns their number). A
        queryset update: no history row and no version bump, as the priority is
        derived, never written by anyone."""
        computed = priority_expression()
        return self.exclude(priority=computed).update(priority=computed)


# Pinned first (NULLS LAST: an improvement without a manual rank comes after every
# rank), then the priority, best first; the columns of the index ``improvement_ranked``.
RANKING = (F("rank_override").asc(nulls_last=True), F("priority").desc(), F("pk").asc())
RANKING_REVERSED = (F("rank_override").desc(nulls_first=True), F("priority").asc(), F("pk").desc())


def scored_priority_expression(score_model: type[models.Model] | None = None) -> Coalesce:
    """The weighted sum of an improvement's scores on active scored criteria (a
    "lower is better" criterion counts ``6 - score``), as a subquery on ``pk``.
    The models may be a migration's (the default: this module's)."""
    scores = score_model or ImprovementScore
    source = PrioritizationCriterion.Source.SCORED  # a migration's model has no ``Source``
    contribution = Case(
        When(criterion__higher_is_better=True, then=F("criterion__weight") * F("value")),
        default=F("criterion__weight") * (Value(SCORE_MAX + SCORE_MIN) - F("value")),
        output_field=models.IntegerField(),
    )
    total = (
        scores._default_manager.filter(
            improvement=OuterRef("pk"), criterion__active=True, criterion__source=source
        )
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(total=Sum(contribution))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total), Value(0), output_field=models.IntegerField())


def priority_expression(
    score_model: type[models.Model] | None = None,
    criterion_model: type[models.Model] | None = None,
    rate_model: type[models.Model] | None = None,
) -> models.Expression:
    """The priority, as SQL on an improvement row: the scored part plus the business
    case's ratio score times the summed weight of the active computed criteria."""
    return ExpressionWrapper(
        scored_priority_expression(score_model)
        + ratio_score_expression(rate_model) * ratio_weight_expression(criterion_model),
        output_field=models.IntegerField(),
    )


def ratio_score_expression(rate_model: type[models.Model] | None = None) -> Case:
    """``business_case.ratio_score`` in SQL (0 without a business case)."""
    rate = rate_expression(rate_model or CostRate)
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


def ratio_weight_expression(criterion_model: type[models.Model] | None = None) -> Coalesce:
    """The summed weight of the active computed (benefit/cost) criteria."""
    criteria = criterion_model or PrioritizationCriterion
    weights = (
        criteria._default_manager.filter(
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


def _milestone(label: Any) -> models.DateTimeField:
    """A moment derived from other records, never written by a form or a save."""
    return models.DateTimeField(label, null=True, blank=True, editable=False)


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
    # Derived, never written by anyone: kept equal to ``priority_expression()`` by
    # ``keep_priorities`` (the ranked list sorts on it through an index).
    priority = models.IntegerField(
        _("priority"),
        default=0,
        editable=False,
        help_text=_(
            "The weighted sum of the scores on the active criteria, plus the "
            "benefit/cost score times the weight of the computed criteria."
        ),
    )

    # Derived, never written by anyone: the loop's milestones, each the first time it
    # happened as the records show it (its own history, its source findings' history,
    # its plans' approvals, the releases and the deployments traced from them); kept
    # equal to those records by ``deployment.milestones`` (the loop's cycle times and
    # the funnel read these columns, not the history).
    first_recorded_at = _milestone(_("first recorded"))
    first_finding_at = _milestone(_("first source finding recorded"))
    first_selected_at = _milestone(_("first selected"))
    first_approved_at = _milestone(_("first plan approved"))
    first_released_at = _milestone(_("first released"))
    first_deployed_at = _milestone(_("first deployed"))
    first_verified_at = _milestone(_("first verified"))

    # Kept by ``deployment.milestones`` alone: a save writes every other field, so a copy
    # read before a deployment moved them does not write the old values back.
    DERIVED_FIELDS = (
        "first_recorded_at",
        "first_finding_at",
        "first_selected_at",
        "first_approved_at",
        "first_released_at",
        "first_deployed_at",
        "first_verified_at",
    )

    objects: ClassVar[ImprovementManager[Improvement]] = ImprovementQuerySet.as_manager()
    # The priority moves with criteria and rates, the milestones with other records: a
    # row per move would flood the history (and those records' own history has the date).
    history = ChangeHistory(
        m2m_fields=["process_areas", "findings", "needs"],
        excluded_fields=["priority", *DERIVED_FIELDS],
    )
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
        indexes = [
            models.Index(fields=["state"]),
            # RANKING: a page of the ranked list reads its rows in order, no sort.
            models.Index(fields=["rank_override", "-priority", "id"], name="improvement_ranked"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            not self._state.adding
            and not args
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.attname not in deferred
                and f.name not in self.DERIVED_FIELDS
            ]
        super().save(*args, **kwargs)

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


# --- keeping the stored priority exact ---------------------------------------------
#
# Every input of ``priority_expression()`` is a row of these models: a change to one
# recomputes the priorities it feeds, in the same transaction, whatever the door
# (services, edit pages, the API, imports, the shell). Bulk writes send no signal:
# who writes in bulk (the dataset builder) calls ``recompute_priority()`` itself.


def refresh_priority(pk: int, instance: Improvement | None = None) -> int:
    """Compute one improvement's priority, store it if it moved (one or two queries),
    and set it on ``instance``."""
    value = (
        Improvement.objects.filter(pk=pk)
        .annotate(computed=priority_expression())
        .values_list("priority", "computed")
        .first()
    )
    if value is None:
        return 0
    stored, computed = value
    if stored != computed:
        Improvement.objects.filter(pk=pk).update(priority=computed)
    if instance is not None:
        instance.priority = computed
    return int(computed)


def _deleted_with(origin: object, *models_: type[models.Model]) -> bool:
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return issubclass(model, models_)


def _improvement_saved(
    sender: type, instance: Improvement, raw: bool = False, **kw: object
) -> None:
    if not raw:
        refresh_priority(instance.pk, instance)


def _score_changed(
    sender: type, instance: ImprovementScore, raw: bool = False, **kw: object
) -> None:
    if raw or _deleted_with(kw.get("origin"), Improvement, PrioritizationCriterion):
        return  # its improvement is gone, or the criterion's deletion recomputes them all
    cached = ImprovementScore.improvement.is_cached(instance)
    refresh_priority(instance.improvement_id, instance.improvement if cached else None)


def _every_priority_changed(
    sender: type, instance: models.Model, raw: bool = False, **kw: object
) -> None:
    """A criterion or a rate feeds every improvement's priority."""
    if not raw:
        Improvement.objects.recompute_priority()


def keep_priorities() -> None:
    """Connect the recomputations (``ActionsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_improvement_saved, sender=Improvement, dispatch_uid="improvement-priority")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_score_changed, sender=ImprovementScore, dispatch_uid=f"score-{name}")
        for model in (PrioritizationCriterion, CostRate):
            signal.connect(
                _every_priority_changed, sender=model, dispatch_uid=f"{model.__name__}-{name}"
            )
