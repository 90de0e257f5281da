"""The action-plan health panel and the "action items closed" momentum series."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import dashboard
from actions.services import action_item_move
from opf.core.dashboard import add_months, month_start
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ActionItemFactory, ProcessActionPlanFactory

pytestmark = pytest.mark.django_db


def _filter(user, months: int = 3) -> DashboardFilter:
    today = date.today()
    return DashboardFilter(user, None, add_months(month_start(today), -(months - 1)), today)


def _plan(state: str = "in_progress", **items):
    plan = ProcessActionPlanFactory(state=state)
    for status, due_days, planned, spent in items.get("rows", []):
        ActionItemFactory(
            plan=plan,
            status=status,
            due=date.today() + timedelta(days=due_days),
            planned_effort=planned,
            spent_effort=spent,
        )
    return plan


@pytest.mark.parametrize(
    ("blocked", "late", "health"),
    [(0, 0, "on_track"), (0, 2, "late"), (1, 0, "blocked"), (1, 3, "blocked")],
)
def test_health_rule(blocked, late, health):
    assert dashboard.health_of(blocked, late) == health


def test_the_panel_counts_plans_by_health_and_sums_effort(people):
    _plan(rows=[("doing", 5, 10, 4), ("done", -3, 6, 7)])  # on track (the late one is done)
    _plan(rows=[("todo", -2, 8, 0)])  # late
    _plan(rows=[("blocked", 10, 5, 1), ("todo", -9, 1, 0)])  # blocked wins
    _plan(state="draft", rows=[("todo", -2, 100, 0)])  # not under way: not counted
    figures = dashboard.build(_filter(people.executive))
    assert figures["counts"] == {"on_track": 1, "late": 1, "blocked": 1}
    assert [p["health"] for p in figures["plans"]] == ["late", "blocked"]
    assert figures["effort"]["planned_total"] == 30 and figures["effort"]["spent_total"] == 12
    charts = dashboard.draw(figures)
    assert "<svg" in charts["effort"].html() and "<table" in charts["burn_up"].html()


def test_burn_up_and_momentum_follow_the_done_dates(people):
    plan = _plan()
    month = month_start(date.today())
    last_month = add_months(month, -1)
    ActionItemFactory(plan=plan, due=last_month, status="done", done_on=last_month)
    ActionItemFactory(plan=plan, due=month, status="todo")
    moved = ActionItemFactory(plan=plan, due=month, status="doing")
    action_item_move(moved, status="done", actor=people.epg)
    moved.refresh_from_db()
    assert moved.done_on == date.today()
    f = _filter(people.executive, months=2)
    figures = dashboard.build(f)
    assert figures["burn_up"] == {"scope": [1, 3], "done": [1, 2]}
    assert dashboard.items_closed(f) == {last_month: 1, month: 1}
    action_item_move(moved, status="doing", actor=people.epg)
    moved.refresh_from_db()
    assert moved.done_on is None  # reopened: no longer counted as closed
    assert dashboard.items_closed(f) == {last_month: 1, month: 1}  # read once per filter
    assert dashboard.items_closed(replace(f)) == {last_month: 1}  # as a new request does


def test_the_panel_is_on_the_dashboard_with_fixed_queries(people, client_as):
    client = client_as(people.executive)
    _plan(rows=[("todo", -2, 8, 0)])

    def panel_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            dashboard.build(_filter(people.executive))
        return len(ctx.captured_queries)

    panel_queries()  # warm the permission caches
    small = panel_queries()
    for _n in range(15):
        _plan(rows=[("todo", -2, 8, 0), ("blocked", 3, 2, 1), ("done", -5, 1, 1)])
    assert panel_queries() == small <= 6
    page = client.get("/dashboard/").content.decode()
    assert "Action plan health" in page and "Action items closed" in page


def test_worked_figures_at_the_edges_of_the_period(people):
    """The panel and the headline on a fixed period (January to March 2026), with the
    edge cases of their rules worked out by hand."""
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 3, 31))

    def plan(title: str, state: str = "in_progress", *items):
        made = ProcessActionPlanFactory(title=title, state=state)
        for status, due, done_on, planned, spent in items:
            ActionItemFactory(
                plan=made,
                status=status,
                due=due,
                done_on=done_on,
                planned_effort=planned,
                spent_effort=spent,
            )
        return made

    plan(
        "A",
        "in_progress",
        ("todo", date(2025, 12, 15), None, 3, 1),  # due before the period, still open: late
        ("done", date(2026, 2, 10), date(2026, 2, 12), 2, 2),
        ("done", date(2026, 5, 1), date(2026, 3, 5), 0, 0),  # done in it, due after it
        ("done", date(2025, 11, 1), date(2025, 12, 20), 0, 0),  # all before the period
        ("todo", None, None, 0, 0),  # no due date: on no line
        ("todo", date(2026, 1, 20), date(2026, 1, 25), 0, 0),  # reopened: not done
        ("doing", date(2026, 4, 10), None, 0, 0),  # due after the period
    )
    plan("B", "approved")  # no item: on track, no effort
    plan("C", "in_progress", ("blocked", date(2026, 6, 1), None, 5, 1))
    # late at the end of 2025 (done only on 10 January), on track now
    plan("D", "in_progress", ("done", date(2025, 12, 1), date(2026, 1, 10), 5, 2))
    # done after the period: on track for the panel (done now), late for the headline
    # (still open at the end of the period)
    plan("E", "in_progress", ("done", date(2026, 3, 10), date(2026, 4, 15), 1, 1))
    plan("F", "draft", ("todo", date(2025, 12, 1), None, 100, 0))  # not under way

    figures = dashboard.build(f)
    assert figures["counts"] == {"on_track": 3, "late": 1, "blocked": 1}
    assert [(p["title"], p["health"]) for p in figures["plans"]] == [
        ("A", "late"),
        ("C", "blocked"),
    ]
    assert [(p["planned"], p["spent"]) for p in figures["plans"]] == [(5.0, 3.0), (5.0, 1.0)]
    effort = figures["effort"]
    assert effort["titles"] == ["A", "C", "D", "E", "B"]  # equal effort: the oldest first
    assert effort["planned"] == [5.0, 5.0, 5.0, 1.0, 0.0]
    assert effort["spent"] == [3.0, 1.0, 2.0, 1.0, 0.0]
    assert (effort["planned_total"], effort["spent_total"]) == (16.0, 7.0)
    assert figures["months"] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert figures["burn_up"] == {"scope": [4, 5, 6], "done": [2, 3, 4]}

    headline = dashboard.on_track_figure(f)
    assert (headline["value"], headline["of"], headline["previous"]) == (2, 5, 3)


def test_no_plan_under_way_gives_empty_figures(people):
    ProcessActionPlanFactory(state="draft")
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 2, 28))
    figures = dashboard.build(f)
    assert figures["counts"] == {"on_track": 0, "late": 0, "blocked": 0}
    assert figures["plans"] == [] and figures["effort"]["titles"] == []
    assert figures["effort"]["planned_total"] == 0
    assert figures["burn_up"] == {"scope": [0, 0], "done": [0, 0]}
    headline = dashboard.on_track_figure(f)
    assert (headline["value"], headline["of"], headline["previous"]) == (None, None, None)
