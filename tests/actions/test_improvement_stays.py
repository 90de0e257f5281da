"""``actions.improvement_stays`` keeps each improvement's stays in its states, from its
history rows, so the dashboard's funnel reads a row per stay, not every history row
(#24): the worked example of its docstring, a save or a step showing at once in the
funnel, a deleted improvement's stays gone, the kept stays equal to counting them all
afresh, and a write's cost whatever the improvement's history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from actions import improvement_stays
from actions.models import Improvement, ImprovementStay
from actions.services import improvement_defer, improvement_reconsider, improvement_select
from deployment.dashboard import build_funnel
from opf.core import freshness
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ImprovementFactory

pytestmark = pytest.mark.django_db

HOUR = 3600 * 1_000_000  # microseconds


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def kept(improvement: Improvement) -> list[tuple]:
    rows = ImprovementStay.objects.filter(improvement=improvement).order_by("entered")
    return list(rows.values_list("state", "entered", "ended", "spent"))


def everything() -> set[tuple]:
    return set(
        ImprovementStay.objects.values_list("improvement", "state", "entered", "ended", "spent")
    )


def assert_as_counted_afresh() -> None:
    before = everything()
    improvement_stays.recount()
    assert everything() == before


def worked_example(epg) -> Improvement:
    """The docstring's: recorded 1 March 09:00, edited 2 March, selected 5 March 21:00,
    deferred 10 March 09:00."""
    with time_machine.travel(at(1, 9), tick=False):
        improvement = ImprovementFactory(title="Estimation")
    with time_machine.travel(at(2, 9), tick=False):
        improvement.title = "Estimation, again"
        improvement.save()
    with time_machine.travel(at(5, 21), tick=False):
        improvement_select(improvement, actor=epg)
    with time_machine.travel(at(10, 9), tick=False):
        improvement_defer(improvement, actor=epg, reason="Later")
    return improvement


def test_the_worked_example(people):
    improvement = worked_example(people.epg)
    assert improvement.history.count() == 4
    assert kept(improvement) == [
        ("candidate", at(1, 9), at(5, 21), 108 * HOUR),
        ("selected", at(5, 21), at(10, 9), 108 * HOUR),
        ("deferred", at(10, 9), None, None),
    ]
    with time_machine.travel(at(12, 9), tick=False):
        improvement_reconsider(improvement, actor=people.epg, reason="Now")
    assert kept(improvement)[2:] == [
        ("deferred", at(10, 9), at(12, 9), 48 * HOUR),
        ("candidate", at(12, 9), None, None),
    ]
    assert_as_counted_afresh()


def stage(figures: dict, name: str) -> tuple:
    found = next(s for s in figures["stages"] if s["stage"] == name)
    return found["count"], found["median_days"]


def test_a_save_or_a_step_shows_at_once_in_the_funnel(people):
    f = DashboardFilter(people.epg, None, date(2026, 1, 1), date(2026, 3, 31))
    with override_settings(OPF_FIGURES_CACHE_SECONDS=300):
        freshness.bump()

        def funnel() -> dict:
            return freshness.cached(("test", "stays"), lambda: build_funnel(f))

        with time_machine.travel(at(1, 9), tick=False):
            improvement = ImprovementFactory()
        assert stage(funnel(), "candidate") == (1, None)
        with time_machine.travel(at(4, 9), tick=False):
            improvement_select(improvement, actor=people.epg)
        assert stage(funnel(), "candidate") == (0, 3.0)
        assert stage(funnel(), "selected") == (1, None)
        with time_machine.travel(at(5, 9), tick=False):
            improvement.title = "Saved as deferred"  # a save that changes the state
            improvement.state = Improvement.State.DEFERRED
            improvement.save()
        assert stage(funnel(), "selected") == (0, 1.0)


def test_a_deleted_improvements_stays_vanish(people):
    improvement = worked_example(people.epg)
    other = ImprovementFactory()
    assert len(kept(improvement)) == 3
    improvement.delete()
    assert not ImprovementStay.objects.filter(improvement_id=improvement.pk).exists()
    assert len(kept(other)) == 1
    improvement_stays.recount([improvement.pk])  # a recount of it finds none
    assert not ImprovementStay.objects.filter(improvement_id=improvement.pk).exists()
    assert_as_counted_afresh()


def test_the_kept_stays_equal_a_count_from_scratch(people):
    worked_example(people.epg)
    for _n in range(3):
        ImprovementFactory()
    assert_as_counted_afresh()
    # and a recount puts right what was written behind its back
    ImprovementStay.objects.filter(state="selected").update(spent=1)
    ImprovementStay.objects.filter(state="candidate").delete()
    wrong = everything()
    improvement_stays.recount()
    assert everything() != wrong
    assert_as_counted_afresh()


def test_a_write_costs_the_same_whatever_the_history(people):
    short = ImprovementFactory()
    long = ImprovementFactory()
    for n in range(20):
        long.title = f"Edit {n}"
        long.save()
        improvement_defer(long, actor=people.epg, reason="Later")
        improvement_reconsider(long, actor=people.epg, reason="Now")

    def save_cost(improvement: Improvement) -> int:
        improvement.title = "Once more"
        with CaptureQueriesContext(connection) as ctx:
            improvement.save()
        return len(ctx.captured_queries)

    def step_cost(improvement: Improvement) -> int:
        with CaptureQueriesContext(connection) as ctx:
            improvement_select(improvement, actor=people.epg)
        return len(ctx.captured_queries)

    assert save_cost(short) == save_cost(long)
    assert step_cost(short) == step_cost(long)
    assert len(kept(long)) == 42
