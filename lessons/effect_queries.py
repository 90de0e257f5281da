"""Reads for the measured effect of improvements (the rule: ``lessons.measured_effect``).

An improvement's deployments are the project deployments, in use or verified, of the
asset versions released from the adopted pilots of its action plans (the trace:
improvement → plan → pilot → asset version → project deployment). A deployment went
into use on the first day its history shows it in use or verified.

``effects`` reads any number of improvements in four queries, whatever the number of
improvements, deployments, projects and points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Improvement
from deployment.models import ProjectDeployment
from lessons import measured_effect as rule
from lessons.models import Measure, Measurement
from opf.core.dashboard import add_months, month_start
from opf.core.thresholds import effect_baseline_months, effect_min_after_points


@dataclass
class ProjectEffect:
    project_id: int
    name: str
    in_use_since: date
    judgement: rule.Judgement


@dataclass
class Effect:
    improvement_id: int
    measure: Measure | None
    case_baseline: Decimal | None
    case_target: Decimal | None
    first_deployed: date | None = None
    baseline_start: date | None = None
    baseline_end: date | None = None  # the first month not in the baseline
    projects: list[ProjectEffect] = field(default_factory=list)
    across: rule.Judgement | None = None
    reason: str = ""

    @property
    def verdict(self) -> str:
        return self.across.verdict if self.across else rule.NOT_YET_SHOWN

    @property
    def verdict_label(self) -> str:
        return str(rule.VERDICTS[self.verdict])

    @property
    def explanation(self) -> str:
        return self.across.reason if self.across else self.reason

    @property
    def lower_is_better(self) -> bool:
        return self.measure is not None and self.measure.direction == Measure.Direction.LOWER

    @property
    def planned_change(self) -> float | None:
        """The business case's change: target - baseline."""
        if self.case_target is None or self.case_baseline is None:
            return None
        return float(self.case_target - self.case_baseline)

    @property
    def share_of_planned(self) -> float | None:
        """The measured change (after mean - baseline mean) as a % of the planned one."""
        change = self.across.change if self.across else None
        if change is None or not self.planned_change:
            return None
        return 100 * change / self.planned_change

    @property
    def target_reached(self) -> bool | None:
        after = self.across.after_mean if self.across else None
        if after is None or self.case_target is None:
            return None
        target = float(self.case_target)
        return after <= target if self.lower_is_better else after >= target


def rule_text() -> str:
    return rule.rule_text(months=effect_baseline_months(), min_after=effect_min_after_points())


def effects(improvement_ids: Iterable[int], *, today: date | None = None) -> dict[int, Effect]:
    """The measured effect of each improvement (four queries at most)."""
    today = today or timezone.localdate()
    months = effect_baseline_months()
    min_after = effect_min_after_points()
    cases = list(
        Improvement.objects.filter(pk__in=list(improvement_ids))
        .select_related("benefit_measure")
        .only("pk", "benefit_measure", "benefit_baseline", "benefit_target")
    )
    found = {
        i.pk: Effect(i.pk, i.benefit_measure, i.benefit_baseline, i.benefit_target) for i in cases
    }
    measured = [e for e in found.values() if e.measure is not None]
    for effect in found.values():
        if effect.measure is None:
            effect.reason = _("Not yet shown: the business case names no benefit measure.")
    if not measured:
        return found
    # The deployments in use of each improvement, by project, with the day each went in use.
    rows = list(
        ProjectDeployment.objects.filter(
            state__in=ProjectDeployment.DONE_STATES,
            asset_version__pilot__action_plan__improvements__in=[
                e.improvement_id for e in measured
            ],
        )
        .values_list(
            "pk", "project_id", "project__name", "asset_version__pilot__action_plan__improvements"
        )
        .distinct()
    )
    since = dict(
        ProjectDeployment.history.filter(
            id__in={pk for pk, *_rest in rows}, state__in=ProjectDeployment.DONE_STATES
        )
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    projects_of: dict[int, dict[int, tuple[str, date]]] = defaultdict(dict)
    for pk, project_id, name, improvement_id in rows:
        when = since.get(pk)
        if when is None:
            continue
        day = timezone.localdate(when)
        known = projects_of[improvement_id].get(project_id)
        if known is None or day < known[1]:
            projects_of[improvement_id][project_id] = (name, day)
    # The points of every measure and project concerned, from the earliest baseline on.
    starts = []
    for effect in measured:
        deployed = projects_of.get(effect.improvement_id)
        if not deployed:
            effect.reason = _(
                "Not yet shown: no asset version released from the improvement's adopted "
                "pilots is in use in a project yet."
            )
            continue
        effect.first_deployed = min(day for _name, day in deployed.values())
        effect.baseline_end = month_start(effect.first_deployed)
        effect.baseline_start = add_months(effect.baseline_end, -months)
        starts.append(effect.baseline_start)
    if not starts:
        return found
    points: dict[tuple[int, int], list[tuple[date, float]]] = defaultdict(list)
    for measure_id, project_id, period, value in Measurement.objects.filter(
        measure_id__in={e.measure.pk for e in measured if e.measure and e.first_deployed},
        project_id__in={p for d in projects_of.values() for p in d},
        period__gte=min(starts),
        period__lte=today,
    ).values_list("measure_id", "project_id", "period", "value"):
        points[(measure_id, project_id)].append((period, float(value)))
    for effect in measured:
        if effect.first_deployed is None or effect.measure is None:
            continue
        _judge(effect, projects_of[effect.improvement_id], points, min_after)
    return found


def _judge(
    effect: Effect,
    deployed: dict[int, tuple[str, date]],
    points: dict[tuple[int, int], list[tuple[date, float]]],
    min_after: int,
) -> None:
    assert effect.measure is not None and effect.baseline_start and effect.baseline_end
    lower = effect.lower_is_better
    bases, afters = [], []
    for project_id, (name, day) in sorted(deployed.items(), key=lambda kv: kv[1][0]):
        series = points.get((effect.measure.pk, project_id), [])
        base = [(p, v) for p, v in series if effect.baseline_start <= p < effect.baseline_end]
        after = [(p, v) for p, v in series if p >= day]
        bases.append(base)
        afters.append(after)
        effect.projects.append(
            ProjectEffect(
                project_id,
                name,
                day,
                rule.judge(base, after, lower_is_better=lower, min_after=min_after),
            )
        )
    effect.across = rule.judge(
        rule.pooled(bases), rule.pooled(afters), lower_is_better=lower, min_after=min_after
    )


def effect_of(improvement: Improvement) -> Effect:
    return effects([improvement.pk])[improvement.pk]


def effective_ids(improvement_ids: Iterable[int]) -> set[int]:
    """Those of the improvements whose measured effect is shown (the funnel's last stage).
    Only an improvement whose business case names a benefit measure can show one: the
    effects are worked out for those alone (the funnel asks about every improvement in
    scope)."""
    measured = set(
        Improvement.objects.filter(benefit_measure__isnull=False).values_list("pk", flat=True)
    )
    chosen = [pk for pk in improvement_ids if pk in measured]
    if not chosen:
        return set()
    return {pk for pk, e in effects(chosen).items() if e.verdict == rule.EFFECTIVE}
