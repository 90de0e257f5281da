"""``actions.item_figures`` keeps each plan's item figures so the dashboard's plan health,
burn-up, "action items closed" and "plans on track" read a few rows per plan, not every
item (#24): the worked example of its docstring, every way of writing an item showing
at once, a deleted plan's rows gone, and the closed series equal to counting the items
for any period (whole months or not)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from actions import dashboard, item_figures
from actions.models import ActionItem, PlanItemFigures, PlanItemMonth, PlanLateSpan
from actions.services import action_item_move
from opf.core import freshness
from opf.core.dashboard import count_by_month
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ActionItemFactory, ProcessActionPlanFactory

pytestmark = pytest.mark.django_db

D = Decimal
MARCH_5 = datetime(2026, 3, 5, 9, tzinfo=UTC)


def kept(plan) -> tuple:
    """A plan's kept rows: figures, months, late spans."""
    row = PlanItemFigures.objects.filter(plan=plan).values_list(
        "items", "blocked", "open_due", "planned", "spent"
    )
    months = PlanItemMonth.objects.filter(plan=plan).order_by("month")
    spans = PlanLateSpan.objects.filter(plan=plan).order_by("after")
    return (
        row.first(),
        list(months.values_list("month", "due", "done")),
        list(spans.values_list("after", "until")),
    )


def everything() -> set:
    """Every kept row, to compare with a count of every plan from scratch."""
    return {
        *PlanItemFigures.objects.values_list("plan", "items", "blocked", "open_due", "planned"),
        *PlanItemMonth.objects.values_list("plan", "month", "due", "done"),
        *PlanLateSpan.objects.values_list("plan", "after", "until"),
    }


def assert_as_counted_afresh() -> None:
    before = everything()
    item_figures.recount()
    assert everything() == before


@pytest.fixture
def plan():
    """The docstring's plan: a blocked item due 3 March, a to-do due 20 March (2 and 1
    hours planned), an item due 1 February done 10 March."""
    made = ProcessActionPlanFactory(title="Worked", state="in_progress")
    ActionItemFactory(plan=made, status="blocked", due=date(2026, 3, 3), planned_effort=D(2))
    ActionItemFactory(plan=made, status="todo", due=date(2026, 3, 20), planned_effort=D(1))
    ActionItemFactory(
        plan=made,
        status="done",
        due=date(2026, 2, 1),
        done_on=date(2026, 3, 10),
        planned_effort=D(0),
        spent_effort=D("1.5"),
    )
    return made


def test_the_worked_example_of_the_module(plan):
    assert kept(plan) == (
        (3, 1, date(2026, 3, 3), D("3.0"), D("1.5")),
        [(date(2026, 2, 1), 1, 0), (date(2026, 3, 1), 2, 1)],
        [(date(2026, 2, 1), date(2026, 3, 10))],
    )
    assert_as_counted_afresh()


def test_the_dashboard_reads_the_worked_example_on_a_fixed_day(people, plan):
    """On 5 March 2026, its blocked item deleted, over February to 5 March: on track for
    the panel (the to-do is due on 20 March); late for the headline, which counts the
    item done on 10 March as open on 5 March; on track on 31 January. Over 16 February
    to 21 March: late now (the to-do) and on 15 February (the done item's span)."""
    ActionItem.objects.filter(plan=plan, status="blocked").get().delete()
    with time_machine.travel(MARCH_5, tick=False):
        f = DashboardFilter(people.executive, None, date(2026, 2, 1), date(2026, 3, 5))
        figures = dashboard.build(f)
        assert figures["counts"] == {"on_track": 1, "late": 0, "blocked": 0}
        assert figures["burn_up"] == {"scope": [1, 2], "done": [0, 1]}
        assert figures["effort"]["planned_total"] == 1.0
        headline = dashboard.on_track_figure(f)
        assert (headline["value"], headline["of"], headline["previous"]) == (0, 1, 1)
        later = DashboardFilter(people.executive, None, date(2026, 2, 16), date(2026, 3, 21))
        headline = dashboard.on_track_figure(later)
        assert (headline["value"], headline["of"], headline["previous"]) == (0, 1, 0)
        assert dashboard.items_closed(f) == {}  # done on 10 March: after the period
        assert dashboard.items_closed(later) == {date(2026, 3, 1): 1}


@time_machine.travel(MARCH_5, tick=False)
def test_every_write_of_an_item_shows_at_once(people, plan):
    f = DashboardFilter(people.executive, None, date(2026, 2, 1), date(2026, 3, 31))

    def panel() -> tuple:
        fresh = replace(f)  # as a new request does
        figures = dashboard.build(fresh)
        return figures["counts"], figures["burn_up"], dashboard.items_closed(fresh)

    assert panel() == (
        {"on_track": 0, "late": 0, "blocked": 1},
        {"scope": [1, 3], "done": [0, 1]},
        {date(2026, 3, 1): 1},
    )
    blocked = ActionItem.objects.get(plan=plan, status="blocked")
    action_item_move(blocked, status="done", actor=people.epg)  # an update(): the workflow
    assert panel() == (
        {"on_track": 0, "late": 1, "blocked": 0},  # the to-do, due 20 March
        {"scope": [1, 3], "done": [0, 2]},
        {date(2026, 3, 1): 2},  # done today, 5 March
    )
    todo = ActionItem.objects.get(plan=plan, status="todo")
    todo.due = date(2026, 4, 2)  # a save: due after the period, so on track
    todo.save()
    assert panel()[:2] == (
        {"on_track": 1, "late": 0, "blocked": 0},
        {"scope": [1, 2], "done": [0, 2]},
    )
    other = ProcessActionPlanFactory(title="Other", state="approved")
    todo.plan = other  # moved to another plan: both plans counted again
    todo.due = date(2026, 2, 27)
    todo.save()
    assert panel()[0] == {"on_track": 1, "late": 1, "blocked": 0}
    assert kept(other)[0] == (1, 0, date(2026, 2, 27), D("1.0"), D("0.0"))
    assert kept(plan)[0][:3] == (2, 0, None)
    todo.delete()
    assert panel()[0] == {"on_track": 2, "late": 0, "blocked": 0}
    assert kept(other) == ((0, 0, None, D("0.0"), D("0.0")), [], [])
    assert_as_counted_afresh()


def test_a_deleted_plans_rows_go_with_it(plan):
    other = ProcessActionPlanFactory()
    ActionItemFactory(plan=other, due=date(2026, 3, 1))
    pk = plan.pk
    plan.delete()  # its items' deletions count nothing again: no row left for a gone plan
    connection.check_constraints()
    assert kept(pk) == (None, [], [])
    assert PlanItemFigures.objects.filter(plan=other).exists()
    assert_as_counted_afresh()


def test_items_deleted_together_are_counted_out(plan):
    ActionItem.objects.filter(plan=plan, status__in=["todo", "done"]).delete()
    assert kept(plan) == (
        (1, 1, date(2026, 3, 3), D("2.0"), D("0.0")),
        [(date(2026, 3, 1), 1, 0)],
        [],
    )


def test_a_bulk_write_is_counted_by_its_writer(plan):
    ActionItem.objects.filter(plan=plan).update(status="done", done_on=date(2026, 3, 25))
    assert kept(plan)[0][1] == 1  # no signal: still blocked
    item_figures.recount([plan.pk])
    assert kept(plan) == (
        (3, 0, None, D("3.0"), D("1.5")),
        [(date(2026, 2, 1), 1, 0), (date(2026, 3, 1), 2, 3)],
        [(date(2026, 2, 1), date(2026, 3, 25))],  # three spans merged into one
    )


def test_late_spans_merge_where_they_meet_and_no_further():
    """Spans (due, done): (1, 5) and (4, 8) overlap; (8, 12) starts where they end, so
    8 itself is late on no item; (20, 21) holds no whole day."""
    made = ProcessActionPlanFactory()
    for due, done in ((1, 5), (4, 8), (8, 12), (20, 21), (25, 25)):
        ActionItemFactory(
            plan=made, status="done", due=date(2026, 1, due), done_on=date(2026, 1, done)
        )
    spans = [(a.day, b.day) for a, b in kept(made)[2]]
    assert spans == [(1, 8), (8, 12), (20, 21)]


JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.mark.parametrize(
    ("start", "end", "closed"),
    [
        (JAN, date(2026, 3, 31), {JAN: 2, FEB: 2, MAR: 2}),  # whole months
        (date(2026, 1, 15), date(2026, 3, 10), {JAN: 1, FEB: 2, MAR: 1}),  # partly
        (date(2026, 2, 10), date(2026, 2, 20), {FEB: 1}),  # within one month
        (date(2026, 3, 12), date(2026, 3, 5), {}),  # no day at all
    ],
)
def test_items_closed_equal_counting_the_items(people, start, end, closed):
    made = ProcessActionPlanFactory(state="completed")  # any plan's items count
    for day in ("2026-01-10", "2026-01-20", "2026-02-10", "2026-02-28", "2026-03-05", "2026-03-11"):
        ActionItemFactory(plan=made, status="done", done_on=date.fromisoformat(day))
    ActionItemFactory(plan=made, status="todo", done_on=date(2026, 2, 12))  # reopened
    f = DashboardFilter(people.executive, None, start, end)
    items = ActionItem.objects.filter(status="done")
    assert dashboard.items_closed(f) == count_by_month(items, "done_on", f) == closed


def test_an_items_write_costs_the_same_whatever_the_plans_size(people):
    small, big = ProcessActionPlanFactory(), ProcessActionPlanFactory()
    for _n in range(30):
        ActionItemFactory(plan=big, status="done", due=date(2026, 1, 5), done_on=date(2026, 2, 1))

    def save_cost(p) -> int:
        item = ActionItemFactory(plan=p)
        with CaptureQueriesContext(connection) as ctx:
            item.save()
        return len(ctx.captured_queries)

    assert save_cost(small) == save_cost(big)


def test_a_cached_figure_moves_when_an_item_is_written(people, plan):
    """The kept tables are derived (writing them moves nothing); the figures that read
    them count as reading the items, so an item's write moves them on."""
    f = DashboardFilter(people.executive, None, date(2026, 2, 1), date(2026, 3, 31))
    with override_settings(OPF_FIGURES_CACHE_SECONDS=300):
        freshness.bump()

        def blocked() -> int:
            return freshness.cached(("test", "health"), lambda: dashboard.build(replace(f)))[
                "counts"
            ]["blocked"]

        assert blocked() == 1
        item = ActionItem.objects.get(plan=plan, status="blocked")
        action_item_move(item, status="doing", actor=people.epg)
        assert blocked() == 0
