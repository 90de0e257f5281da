"""Process-performance baselines (GP 4.1, OPP SP 1.4): the rule, pure functions, no database.

- *One mix.* A baseline is over one project mix, its selection: the projects in an
  org unit and below, of the chosen project types, size classes and lifecycle
  phases (an empty choice: any). Each point is the month's mean over the selected
  projects measured that month, and the point says how many projects it averages;
  projects outside the selection are never pooled into it. Two mixes are compared
  with two baselines, side by side, not averaged together.
- *Excluded points.* A known special cause is left out with its reason: a whole
  month, or one project's value in a month (the month's mean is then over the
  others). Excluded points count in neither the centre nor the limits.
- *Figures.* Centre X̄ = mean of the points; mR̄ = mean of the moving ranges between
  successive points; sigma = mR̄ / 1.128; natural process limits X̄ ± 2.66 x mR̄
  (``opf.core.spc``). A baseline is frozen only with at least ``MIN_POINTS``
  points; freezing stores the points and the figures, so a frozen baseline never
  changes when data changes. A change is a new revision.
- *Judging new points.* The selection's points after the baseline's period are
  judged against the frozen limits: a point beyond a limit, or eight in a row on
  one side of the centre, is a signal.
- *Capability* against a quantitative objective's specification limits: the share
  of the baseline's points within them (LSL ≤ x ≤ USL), and
  Cpk = min(USL - X̄, X̄ - LSL) / (3 x sigma) with sigma from the baseline (with one
  limit, that side alone). Cpk is shown only from ``MIN_CAPABILITY_POINTS`` points and
  a sigma above zero; the share from one point.

Worked example: points 10, 12, 11, 13, 12, 14 (a 30 excluded: "Tool outage") → X̄ = 12,
moving ranges 2, 1, 2, 1, 2 → mR̄ = 1.6, sigma = 1.6 / 1.128 = 1.4184, limits
12 ± 4.256 = 7.744 … 16.256. Against LSL 9, USL 13: 5 of 6 points within (83.3 %);
Cpk = min(13 - 12, 12 - 9) / (3 x 1.4184) = 1 / 4.2553 = 0.235.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import spc

MIN_POINTS = 6  # natural process limits from fewer points move too much
MIN_CAPABILITY_POINTS = 12  # a Cpk from fewer points is mostly noise

RULE = _lazy(
    "A baseline is one project mix: the projects its selection names (an org unit and "
    "below, project types, size classes, lifecycle phases; an empty choice means any). "
    "Each point is the month's mean over the selected projects measured that month and "
    "shows how many projects it averages; other projects are never pooled into it, and "
    "two mixes are compared with two baselines. An excluded point (a month, or one "
    "project's month), each with its reason, counts in neither the centre nor the limits. "
    "Centre = mean of the points; natural process limits = centre ± 2.66 × the mean "
    "moving range; sigma = mean moving range / 1.128. A baseline is frozen with at least "
    "%(min)s points, and its points and figures are stored then: it never changes when "
    "data changes; a change is a new revision. Points after its period are judged "
    "against the frozen limits: a point beyond a limit, or %(run)s in a row on one side "
    "of the centre, is a signal. Capability against an objective: the share of the "
    "baseline's points within the specification limits, and Cpk = min(USL − mean, "
    "mean − LSL) / (3 × sigma) (one limit: that side), shown from %(min_cap)s points."
)


def rule_text() -> str:
    return str(RULE) % {
        "min": MIN_POINTS,
        "run": spc.RUN_LENGTH,
        "min_cap": MIN_CAPABILITY_POINTS,
    }


@dataclass(frozen=True)
class Figures:
    centre: float
    mr_bar: float
    sigma: float
    upper_limit: float
    lower_limit: float
    points: int

    def stored(self) -> dict[str, float | int]:
        """The fields a frozen baseline keeps."""
        return {
            "centre": self.centre,
            "mr_bar": self.mr_bar,
            "sigma": self.sigma,
            "upper_limit": self.upper_limit,
            "lower_limit": self.lower_limit,
            "point_count": self.points,
        }


def figures(values: Sequence[float]) -> Figures:
    """The baseline's figures from its points (``spc.NotEnoughData`` under two)."""
    centre, mr_bar = spc.limits(values)
    return Figures(
        centre=centre,
        mr_bar=mr_bar,
        sigma=mr_bar / spc.D2,
        upper_limit=centre + spc.E2 * mr_bar,
        lower_limit=centre - spc.E2 * mr_bar,
        points=len(values),
    )


@dataclass(frozen=True)
class Capability:
    points: int
    within: int
    lower: float | None
    upper: float | None
    cpk: float | None
    note: str

    @property
    def share(self) -> float | None:
        """Share of the points within the specification limits, 0 to 1."""
        return self.within / self.points if self.points else None

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else self.share * 100


def capability(
    values: Sequence[float],
    *,
    centre: float,
    sigma: float,
    lower: Decimal | float | None,
    upper: Decimal | float | None,
) -> Capability | None:
    """Capability of the baseline's points against specification limits (None: the
    objective has no limit)."""
    low = float(lower) if lower is not None else None
    high = float(upper) if upper is not None else None
    if low is None and high is None:
        return None
    within = sum(1 for v in values if (low is None or v >= low) and (high is None or v <= high))
    note = ""
    cpk = None
    if len(values) < MIN_CAPABILITY_POINTS:
        note = _("Cpk not shown: %(n)s points, at least %(min)s are needed.") % {
            "n": len(values),
            "min": MIN_CAPABILITY_POINTS,
        }
    elif sigma <= 0:
        note = _("Cpk not shown: the points do not vary (sigma is zero).")
    else:
        sides = []
        if high is not None:
            sides.append(high - centre)
        if low is not None:
            sides.append(centre - low)
        cpk = min(sides) / (3 * sigma)
    return Capability(len(values), within, low, high, cpk, note)
