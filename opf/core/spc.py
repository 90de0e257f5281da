"""XmR (individuals and moving range) control charts: pure functions, no database.

For values x1..xn:

- moving ranges mR_i = |x_i - x_(i-1)| (i = 2..n), mean moving range mR̄;
- centre line X̄ = mean of the values;
- sigma (estimated) = mR̄ / d2 with d2 = 1.128 for ranges of two;
- natural process limits X̄ ± 2.66 x mR̄ (2.66 = 3 / 1.128), the lower limit kept
  as computed (callers may clip it for counts); upper range limit 3.268 x mR̄.

Signals (Western Electric / Wheeler detection rules):

- ``beyond``: a point above the upper or below the lower natural process limit;
- ``run``: eight or more successive points on the same side of the centre line
  (every point of such a run is marked; a point on the line breaks the run);
- ``two_of_three``: two out of three successive points more than two sigma from
  the centre line on the same side (the points beyond two sigma are marked).

``baseline`` computes the limits from the first k values only (the usual way to
freeze limits and judge later points against them); ``judge`` takes limits frozen
elsewhere (a stored process-performance baseline's centre and mR̄) and marks the
``beyond`` and ``run`` signals of new values against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import fmean

from django.utils.translation import gettext_lazy as _

E2 = 2.66
D2 = 1.128
D4 = 3.268
RUN_LENGTH = 8

BEYOND = "beyond"
RUN = "run"
TWO_OF_THREE = "two_of_three"
SIGNAL_LABELS = {
    BEYOND: _("beyond a natural process limit"),
    RUN: _("eight in a row on one side of the centre line"),
    TWO_OF_THREE: _("two of three beyond two sigma on the same side"),
}


@dataclass
class Point:
    index: int
    value: float
    moving_range: float | None
    signals: list[str] = field(default_factory=list)

    @property
    def out_of_control(self) -> bool:
        return bool(self.signals)


@dataclass
class XmR:
    centre: float
    mr_bar: float
    ucl: float
    lcl: float
    sigma: float
    url: float  # upper range limit of the moving ranges
    points: list[Point]

    @property
    def signals(self) -> list[Point]:
        """The points with at least one signal, in order."""
        return [p for p in self.points if p.signals]

    def zone(self, value: float) -> int:
        """+1 above the centre line, -1 below, 0 on it."""
        return (value > self.centre) - (value < self.centre)


class NotEnoughData(ValueError):
    """An XmR chart needs at least two values."""


def xmr(values: Sequence[float], *, baseline: int | None = None) -> XmR:
    """The XmR chart of ``values`` with its signals; limits from the first ``baseline``."""
    data = [float(v) for v in values]
    if len(data) < 2:
        raise NotEnoughData(_("An XmR chart needs at least two values."))
    base = data[: baseline or len(data)]
    if len(base) < 2:
        raise NotEnoughData(_("The baseline needs at least two values."))
    base_ranges = [abs(b - a) for a, b in pairwise(base)]
    centre = fmean(base)
    mr_bar = fmean(base_ranges)
    sigma = mr_bar / D2
    chart = XmR(
        centre=centre,
        mr_bar=mr_bar,
        ucl=centre + E2 * mr_bar,
        lcl=centre - E2 * mr_bar,
        sigma=sigma,
        url=D4 * mr_bar,
        points=[Point(i, v, None if i == 0 else abs(v - data[i - 1])) for i, v in enumerate(data)],
    )
    _mark_beyond(chart)
    _mark_runs(chart)
    _mark_two_of_three(chart)
    return chart


def limits(values: Sequence[float]) -> tuple[float, float]:
    """Centre (mean) and mean moving range of ``values`` (at least two)."""
    data = [float(v) for v in values]
    if len(data) < 2:
        raise NotEnoughData(_("The baseline needs at least two values."))
    return fmean(data), fmean(abs(b - a) for a, b in pairwise(data))


def judge(values: Sequence[float], *, centre: float, mr_bar: float) -> XmR:
    """``values`` judged against frozen limits (centre ± 2.66 x ``mr_bar``): a point
    beyond a limit, and every point of a run of eight on one side of the centre."""
    data = [float(v) for v in values]
    chart = XmR(
        centre=centre,
        mr_bar=mr_bar,
        ucl=centre + E2 * mr_bar,
        lcl=centre - E2 * mr_bar,
        sigma=mr_bar / D2,
        url=D4 * mr_bar,
        points=[Point(i, v, None if i == 0 else abs(v - data[i - 1])) for i, v in enumerate(data)],
    )
    _mark_beyond(chart)
    _mark_runs(chart)
    return chart


def _add(point: Point, signal: str) -> None:
    if signal not in point.signals:
        point.signals.append(signal)


def _mark_beyond(chart: XmR) -> None:
    for point in chart.points:
        if point.value > chart.ucl or point.value < chart.lcl:
            _add(point, BEYOND)


def _mark_runs(chart: XmR) -> None:
    run: list[Point] = []
    side = 0
    for point in [*chart.points, None]:
        zone = chart.zone(point.value) if point is not None else 0
        if point is not None and zone != 0 and zone == side:
            run.append(point)
            continue
        if len(run) >= RUN_LENGTH:
            for member in run:
                _add(member, RUN)
        run, side = ([point], zone) if point is not None and zone != 0 else ([], 0)


def _mark_two_of_three(chart: XmR) -> None:
    upper = chart.centre + 2 * chart.sigma
    lower = chart.centre - 2 * chart.sigma
    points = chart.points
    for start in range(len(points) - 2):
        window = points[start : start + 3]
        for beyond in (
            [p for p in window if p.value > upper],
            [p for p in window if p.value < lower],
        ):
            if len(beyond) >= 2:
                for point in beyond:
                    _add(point, TWO_OF_THREE)
