"""The action-plan health panel and the "action items closed" momentum series."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import dashboard
from actions.models import ActionItem
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
    early = ActionItemFactory(plan=plan, due=last_month, status="done")
    ActionItem.objects.filter(pk=early.pk).update(done_on=last_month)
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
    assert dashboard.items_closed(f) == {last_month: 1}


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
