"""The measured effect of a deployed improvement: the rule, pure functions, no database.

An improvement's business case names its benefit measure (``Measure.direction`` says
whether lower or higher is better). Its deployments are the project deployments, in
use or verified, of the asset versions released from the adopted pilots of its action
plans. ``lessons.effect_queries`` gathers the points; this module judges them.

- *Baseline*: the measure's monthly points in the ``OPF_EFFECT_BASELINE_MONTHS`` (12)
  whole months before the month of the improvement's first deployment, in the
  projects that got it. The natural process limits come from the baseline only:
  centre X̄ ± 2.66 x mR̄ (``opf.core.spc``).
- *After*: a project's points from the date its deployment went into use (a month
  counts when it starts on or after that day; the month of the change is mixed and
  left out).
- *Signals of a shift*, among the after points only: a point beyond the baseline's
  limit on the better side, or a run of eight successive points on the better side of
  the baseline's centre (a point on the centre breaks the run). The same on the worse
  side is a shift the wrong way.
- *Verdict*: **effective** when a shift the right way shows and none the wrong way;
  **not effective** when a shift shows the wrong way, or when at least
  ``OPF_EFFECT_MIN_AFTER_POINTS`` (8) after points show no shift; otherwise **not yet
  shown** (no measure, no deployment, fewer than ``MIN_BASELINE_POINTS`` baseline
  points, or too few after points).
- *Across projects*: the same rule on the monthly means of the projects in the mix
  (each month's mean over the projects with a point that month, baseline and after
  kept apart), with the projects named.

Worked example: baseline 1.8, 2.0, 1.9, 2.1, 1.9, 2.0 → X̄ = 1.95, moving ranges 0.2,
0.1, 0.2, 0.2, 0.1 → mR̄ = 0.16, limits 1.95 ± 0.4256 = 1.5244 … 2.3756; lower is
better, so an after point of 1.2 is beyond the lower limit: effective.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import fmean

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import spc

EFFECTIVE = "effective"
NOT_YET_SHOWN = "not_yet_shown"
NOT_EFFECTIVE = "not_effective"
VERDICTS = {
    EFFECTIVE: _lazy("Effective"),
    NOT_YET_SHOWN: _lazy("Not yet shown"),
    NOT_EFFECTIVE: _lazy("Not effective"),
}
MIN_BASELINE_POINTS = 6  # natural process limits from fewer points move too much

RULE = _lazy(
    "The baseline is the benefit measure's monthly points in the %(months)s months before "
    "the month of the first deployment, in the projects that got the improvement; its "
    "natural process limits are the mean ± 2.66 × the mean moving range, and need at "
    "least %(min_baseline)s points. The points after are each project's months starting "
    "on or after the day its deployment went into use (the month of the change is left "
    "out). A shift is a point after beyond the baseline's limits, or %(run)s points after "
    "in a row on one side of the baseline's mean. The improvement is effective when a "
    "shift shows in the better direction (and none in the worse); not effective when a "
    "shift shows in the worse direction, or when %(min_after)s or more points after show "
    "no shift; otherwise its effect is not yet shown. Across projects, the same rule "
    "reads each month's mean over the projects in the mix."
)


def rule_text(*, months: int, min_after: int) -> str:
    """The rule, in words, with the settings in force."""
    return str(RULE) % {
        "months": months,
        "min_baseline": MIN_BASELINE_POINTS,
        "run": spc.RUN_LENGTH,
        "min_after": min_after,
    }


@dataclass
class Judgement:
    """The verdict on one series (a project's, or the mean across projects)."""

    verdict: str
    reason: str
    baseline: list[tuple[date, float]] = field(default_factory=list)
    after: list[tuple[date, float]] = field(default_factory=list)
    centre: float | None = None
    mr_bar: float | None = None
    ucl: float | None = None
    lcl: float | None = None
    better: list[int] = field(default_factory=list)  # indexes into ``after``
    worse: list[int] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])

    @property
    def after_mean(self) -> float | None:
        return fmean(v for _p, v in self.after) if self.after else None

    @property
    def change(self) -> float | None:
        """After mean minus baseline mean."""
        if self.after_mean is None or self.centre is None:
            return None
        return self.after_mean - self.centre


def _run_members(sides: Sequence[int], wanted: int) -> list[int]:
    """Indexes of every point in a run of ``RUN_LENGTH`` or more on side ``wanted``."""
    members: list[int] = []
    run: list[int] = []
    for i, side in enumerate([*sides, 0]):
        if side == wanted:
            run.append(i)
            continue
        if len(run) >= spc.RUN_LENGTH:
            members += run
        run = []
    return members


def judge(
    baseline: Sequence[tuple[date, float]],
    after: Sequence[tuple[date, float]],
    *,
    lower_is_better: bool,
    min_after: int,
) -> Judgement:
    """Judge the points ``after`` against the limits of the ``baseline`` (see the module)."""
    base = sorted(baseline)
    later = sorted(after)
    result = Judgement(NOT_YET_SHOWN, "", base, later)
    if len(base) < MIN_BASELINE_POINTS:
        result.reason = _(
            "Not yet shown: the baseline has %(n)s points, at least %(min)s are needed."
        ) % {"n": len(base), "min": MIN_BASELINE_POINTS}
        return result
    chart = spc.xmr([v for _p, v in base])
    result.centre, result.mr_bar, result.ucl, result.lcl = (
        chart.centre,
        chart.mr_bar,
        chart.ucl,
        chart.lcl,
    )
    if not later:
        result.reason = _("Not yet shown: no points after the deployment yet.")
        return result
    good = -1 if lower_is_better else 1  # the better side of the centre line
    values = [v for _p, v in later]
    sides = [chart.zone(v) for v in values]
    beyond_low = [i for i, v in enumerate(values) if v < chart.lcl]
    beyond_high = [i for i, v in enumerate(values) if v > chart.ucl]
    beyond_good, beyond_bad = (
        (beyond_low, beyond_high) if lower_is_better else (beyond_high, beyond_low)
    )
    run_good = _run_members(sides, good)
    run_bad = _run_members(sides, -good)
    result.better = sorted(set(beyond_good) | set(run_good))
    result.worse = sorted(set(beyond_bad) | set(run_bad))
    if result.worse:
        result.verdict = NOT_EFFECTIVE
        result.reason = _(
            "Not effective: %(what)s in the worse direction after the deployment."
        ) % {"what": _signal_words(beyond_bad, run_bad)}
    elif result.better:
        result.verdict = EFFECTIVE
        result.reason = _("Effective: %(what)s in the better direction.") % {
            "what": _signal_words(beyond_good, run_good)
        }
    elif len(later) >= min_after:
        result.verdict = NOT_EFFECTIVE
        result.reason = _(
            "Not effective: %(n)s points after the deployment and no shift from the baseline."
        ) % {"n": len(later)}
    else:
        result.reason = _(
            "Not yet shown: %(n)s points after the deployment and no shift yet; "
            "%(min)s without a shift would show it is not effective."
        ) % {"n": len(later), "min": min_after}
    return result


def _signal_words(beyond: list[int], run: list[int]) -> str:
    words = []
    if beyond:
        words.append(_("%(n)s points beyond the baseline's limit") % {"n": len(beyond)})
    if run:
        words.append(
            _("a run of %(n)s points on one side of the baseline's mean") % {"n": len(run)}
        )
    return _(" and ").join(words)


def pooled(series: Sequence[Sequence[tuple[date, float]]]) -> list[tuple[date, float]]:
    """Each month's mean over the series with a point that month."""
    by_month: dict[date, list[float]] = {}
    for points in series:
        for period, value in points:
            by_month.setdefault(period, []).append(value)
    return [(period, fmean(values)) for period, values in sorted(by_month.items())]
