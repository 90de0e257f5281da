"""Reads of process-performance baselines: the selection's monthly points, a frozen
baseline's judgement of the points after it, and capability against the measure's
objectives. The rule is ``lessons.process_performance``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from lessons import process_performance as rule
from lessons.models import Measurement, ProcessPerformanceBaseline, QuantitativeObjective
from lessons.queries import ControlChart
from opf.core import spc
from opf.core.dashboard import add_months
from opf.core.permissions import restrict

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


@dataclass(frozen=True)
class BaselinePoint:
    period: date
    value: float
    projects: int  # how many projects the month's mean is over

    def stored(self) -> dict[str, str | float | int]:
        return {"period": self.period.isoformat(), "value": self.value, "projects": self.projects}


def selection_q(baseline: ProcessPerformanceBaseline) -> Q:
    """The measurements of the baseline's project mix."""
    q = Q(measure_id=baseline.measure_id)
    if baseline.org_unit_id is not None:
        q &= Q(project__org_unit__path__startswith=baseline.org_unit.path)  # type: ignore[union-attr]
    if baseline.project_types:
        q &= Q(project__project_type__in=baseline.project_types)
    if baseline.size_classes:
        q &= Q(project__size_class__in=baseline.size_classes)
    if baseline.phases:
        q &= Q(project__phase__in=baseline.phases)
    return q


def _monthly(rows: QuerySet[Measurement]) -> list[BaselinePoint]:
    return [
        BaselinePoint(row["period"], float(row["v"]), row["n"])
        for row in rows.values("period")
        .annotate(v=Avg("value"), n=Count("project", distinct=True))
        .order_by("period")
    ]


def live_points(baseline: ProcessPerformanceBaseline) -> list[BaselinePoint]:
    """The baseline's points from today's data (its period, exclusions applied). Two
    queries whatever the number of points."""
    rows = Measurement.objects.filter(
        selection_q(baseline),
        period__gte=baseline.period_start,
        period__lte=baseline.period_end,
    )
    for exclusion in baseline.exclusions.all():
        if exclusion.project_id is None:
            rows = rows.exclude(period=exclusion.period)
        else:
            rows = rows.exclude(period=exclusion.period, project_id=exclusion.project_id)
    return _monthly(rows)


def points_of(baseline: ProcessPerformanceBaseline) -> list[BaselinePoint]:
    """A frozen baseline's stored points, a draft's live ones."""
    if baseline.is_frozen:
        return [
            BaselinePoint(date.fromisoformat(p["period"]), float(p["value"]), int(p["projects"]))
            for p in baseline.points
        ]
    return live_points(baseline)


def points_after(baseline: ProcessPerformanceBaseline) -> list[BaselinePoint]:
    """The selection's points after the baseline's period (today's data). One query."""
    rows = Measurement.objects.filter(
        selection_q(baseline), period__gte=add_months(baseline.period_end, 1)
    )
    return _monthly(rows)


@dataclass
class Judgement:
    """A frozen baseline's points and the new points judged against its limits."""

    baseline: list[BaselinePoint]
    after: list[BaselinePoint]
    chart: spc.XmR | None  # the after points against the frozen limits
    signals: list[tuple[BaselinePoint, list[str]]] = field(default_factory=list)


def judgement(baseline: ProcessPerformanceBaseline) -> Judgement:
    """For a frozen baseline: its stored points and the points after, judged."""
    base = points_of(baseline)
    if not baseline.is_frozen or baseline.centre is None or baseline.mr_bar is None:
        return Judgement(base, [], None)
    after = points_after(baseline)
    chart = spc.judge([p.value for p in after], centre=baseline.centre, mr_bar=baseline.mr_bar)
    signals = [
        (after[p.index], [str(spc.SIGNAL_LABELS[s]) for s in p.signals]) for p in chart.signals
    ]
    return Judgement(base, after, chart, signals)


@dataclass
class ObjectiveCapability:
    objective: QuantitativeObjective
    capability: rule.Capability | None


def capabilities(baseline: ProcessPerformanceBaseline) -> list[ObjectiveCapability]:
    """Capability of a frozen baseline against each of its measure's objectives. One query."""
    if not baseline.is_frozen or baseline.centre is None or baseline.sigma is None:
        return []
    values = [p.value for p in points_of(baseline)]
    return [
        ObjectiveCapability(
            objective,
            rule.capability(
                values,
                centre=baseline.centre,
                sigma=baseline.sigma,
                lower=objective.lower_limit,
                upper=objective.upper_limit,
            ),
        )
        for objective in QuantitativeObjective.objects.filter(measure=baseline.measure_id)
    ]


def frozen_baselines(
    measure_id: int, user: User | AnonymousUser
) -> QuerySet[ProcessPerformanceBaseline]:
    """The measure's frozen baselines the user may see (for ``?baseline=``)."""
    return restrict(
        ProcessPerformanceBaseline.objects.filter(
            measure_id=measure_id, state=ProcessPerformanceBaseline.State.FROZEN
        ),
        user,
        "view",
    )


@dataclass
class BaselineControl:
    """A baseline's chart: its points (a frozen one's stored points, a draft's live
    ones), then a frozen one's points after it, with the limits (frozen, or a draft's
    provisional ones) and the signals of the points after."""

    points: list[BaselinePoint]
    baseline_count: int
    chart: spc.XmR | None
    error: str = ""

    @property
    def after_count(self) -> int:
        return len(self.points) - self.baseline_count

    @property
    def signals(self) -> list[tuple[date, float, list[str]]]:
        if self.chart is None:
            return []
        return [
            (self.points[p.index].period, p.value, [str(spc.SIGNAL_LABELS[s]) for s in p.signals])
            for p in self.chart.signals
        ]

    @property
    def mix_varies(self) -> bool:
        return len({p.projects for p in self.points}) > 1

    @property
    def projects_range(self) -> tuple[int, int] | None:
        counts = [p.projects for p in self.points]
        return (min(counts), max(counts)) if counts else None


def baseline_control(baseline: ProcessPerformanceBaseline) -> BaselineControl:
    if not baseline.is_frozen:
        points = live_points(baseline)
        try:
            chart = spc.xmr([p.value for p in points])
        except spc.NotEnoughData as error:
            return BaselineControl(points, len(points), None, str(error))
        for point in chart.points:  # a draft's limits are provisional: nothing judged yet
            point.signals = []
        return BaselineControl(points, len(points), chart)
    judged = judgement(baseline)
    if (
        judged.chart is None
        or baseline.centre is None
        or baseline.mr_bar is None
        or baseline.sigma is None
        or baseline.upper_limit is None
        or baseline.lower_limit is None
    ):  # frozen outside the freeze step (a data load): nothing stored to judge against
        return BaselineControl(
            judged.baseline, len(judged.baseline), None, str(_("No figures were stored."))
        )
    points = judged.baseline + judged.after
    offset = len(judged.baseline)
    values = [p.value for p in points]
    chart = spc.XmR(
        centre=baseline.centre,
        mr_bar=baseline.mr_bar,
        ucl=baseline.upper_limit,
        lcl=baseline.lower_limit,
        sigma=baseline.sigma,
        url=spc.D4 * baseline.mr_bar,
        points=[
            spc.Point(i, v, None if i == 0 else abs(v - values[i - 1]))
            for i, v in enumerate(values)
        ],
    )
    for point in judged.chart.points:
        chart.points[offset + point.index].signals = list(point.signals)
    return BaselineControl(points, offset, chart)


def baseline_control_chart(baseline: ProcessPerformanceBaseline) -> ControlChart:
    """A frozen baseline's chart in the measure's control-chart shape (the API's)."""
    control = baseline_control(baseline)
    return ControlChart(
        baseline.measure,
        None,
        [p.period for p in control.points],
        [p.value for p in control.points],
        control.chart,
        control.error,
    )
