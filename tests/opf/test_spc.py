"""XmR limits and signal rules against hand-computed examples."""

from __future__ import annotations

import pytest

from opf.core import spc


def test_limits_from_a_worked_example() -> None:
    # values 10, 12, 11, 13, 12: mean 58/5 = 11.6; moving ranges 2, 1, 2, 1 -> mR̄ = 1.5
    chart = spc.xmr([10, 12, 11, 13, 12])
    assert chart.centre == pytest.approx(11.6)
    assert chart.mr_bar == pytest.approx(1.5)
    assert chart.ucl == pytest.approx(11.6 + 2.66 * 1.5)  # 15.59
    assert chart.lcl == pytest.approx(11.6 - 2.66 * 1.5)  # 7.61
    assert chart.sigma == pytest.approx(1.5 / 1.128)
    assert chart.url == pytest.approx(3.268 * 1.5)
    assert [p.moving_range for p in chart.points] == [None, 2, 1, 2, 1]
    assert chart.signals == []


def test_point_beyond_the_limits_with_a_baseline() -> None:
    # baseline 10, 12, 11, 13, 12 as above: UCL 15.59; 16 is beyond, 15 is not.
    chart = spc.xmr([10, 12, 11, 13, 12, 15, 16], baseline=5)
    assert chart.ucl == pytest.approx(15.59)
    beyond = [p.index for p in chart.points if spc.BEYOND in p.signals]
    assert beyond == [6]


def test_point_below_the_lower_limit() -> None:
    chart = spc.xmr([10, 12, 11, 13, 12, 7], baseline=5)
    assert chart.lcl == pytest.approx(7.61)
    assert [p.index for p in chart.signals if spc.BEYOND in p.signals] == [5]


def test_eight_in_a_row_on_one_side() -> None:
    # baseline 0, 2, 0, 2 -> centre 1, mR̄ 2, sigma 1.773, 2-sigma band 1 ± 3.55
    values = [0, 2, 0, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 0.5]
    chart = spc.xmr(values, baseline=4)
    run = [p.index for p in chart.points if spc.RUN in p.signals]
    assert run == [3, 4, 5, 6, 7, 8, 9, 10, 11]  # 2 at index 3 starts the run above 1


def test_seven_in_a_row_is_no_signal_and_the_centre_line_breaks_a_run() -> None:
    values = [0, 2, 0, 2, 1.5, 1.5, 1.5, 1, 1.5, 1.5, 1.5, 1.5]
    chart = spc.xmr(values, baseline=4)
    assert not any(spc.RUN in p.signals for p in chart.points)


def test_two_of_three_beyond_two_sigma() -> None:
    # baseline 10, 12, 11, 13, 12: centre 11.6, sigma 1.3298, +2 sigma = 14.26, UCL 15.59
    values = [10, 12, 11, 13, 12, 14.5, 12, 14.6, 11]
    chart = spc.xmr(values, baseline=5)
    marked = [p.index for p in chart.points if spc.TWO_OF_THREE in p.signals]
    assert marked == [5, 7]
    assert not any(spc.BEYOND in p.signals for p in chart.points)


def test_two_beyond_two_sigma_on_opposite_sides_is_no_signal() -> None:
    values = [10, 12, 11, 13, 12, 14.5, 8.8, 12]  # -2 sigma = 8.94
    chart = spc.xmr(values, baseline=5)
    assert not any(spc.TWO_OF_THREE in p.signals for p in chart.points)


def test_too_few_values() -> None:
    with pytest.raises(spc.NotEnoughData):
        spc.xmr([3])
    with pytest.raises(spc.NotEnoughData):
        spc.xmr([3, 4, 5], baseline=1)
