"""``lessons.spent_hours`` keeps each plan's spent effort so the dashboard's business
case reads an improvement's spent hours without summing every action item (#24): the
same figures as ``ImprovementQuerySet.spent_hours``, kept through every write."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ActionItem, Improvement
from lessons import spent_hours
from lessons.models import PlanSpentHours
from tests.actions.factories import ActionItemFactory, ImprovementFactory, ProcessActionPlanFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def program():
    """``mine``: two approved plans (2.5 + 4 and 1), a cancelled one (30) and a plan
    without items; ``other``: the plan of 1 too; ``idle``: a plan without items."""
    mine, other, idle = (ImprovementFactory(title=t) for t in ("Mine", "Other", "Idle"))
    first, second, cancelled, empty = (
        ProcessActionPlanFactory(state=s) for s in ("approved", "approved", "cancelled", "draft")
    )
    for plan in (first, second, cancelled, empty):
        plan.improvements.add(mine)
    second.improvements.add(other)
    empty.improvements.add(idle)
    items = [
        ActionItemFactory(plan=plan, spent_effort=D(spent))
        for plan, spent in ((first, "2.5"), (first, "4"), (second, "1"), (cancelled, "30"))
    ]
    return mine, other, idle, (first, second, cancelled, empty), items


def kept() -> dict[int, Decimal]:
    return spent_hours.spent_hours(Improvement.objects.all())


def test_spent_hours_are_the_plans_kept_sums_cancelled_plans_left_out(program):
    mine, other, _idle, plans, _items = program
    assert kept() == {mine.pk: D("7.5"), other.pk: D("1")}  # 2.5 + 4 + 1; idle: none
    assert kept() == Improvement.objects.spent_hours()  # actions' rule, summed afresh
    rows = dict(PlanSpentHours.objects.values_list("plan_id", "spent_hours"))
    assert rows == {plans[0].pk: D("6.5"), plans[1].pk: D("1"), plans[2].pk: D("30"),
                    plans[3].pk: None}  # fmt: skip
    only = spent_hours.spent_hours(Improvement.objects.filter(pk=other.pk))
    assert only == {other.pk: D("1")}


def test_a_read_sums_only_the_plans_written_since(program):
    mine, _other, _idle, plans, items = program
    kept()
    before = dict(PlanSpentHours.objects.values_list("plan_id", "counted_at"))
    items[2].spent_effort = D("3")  # the second plan's item
    items[2].save()
    assert kept()[mine.pk] == D("9.5")
    after = dict(PlanSpentHours.objects.values_list("plan_id", "counted_at"))
    assert after[plans[0].pk] == before[plans[0].pk]  # not summed again
    assert after[plans[1].pk] != before[plans[1].pk]


def test_every_write_of_an_item_is_kept(program):
    mine, other, idle, plans, items = program
    assert kept()[mine.pk] == D("7.5")
    ActionItemFactory(plan=plans[3], spent_effort=D("2"))  # created: the empty plan's
    assert kept() == {mine.pk: D("9.5"), other.pk: D("1"), idle.pk: D("2")}
    items[0].delete()  # deleted: 2.5 off
    assert kept()[mine.pk] == D("7")
    moved = ActionItem.objects.get(pk=items[2].pk)
    moved.plan = plans[2]  # moved into the cancelled plan: the plan it left too
    moved.save()
    assert kept() == {mine.pk: D("6"), idle.pk: D("2")}
    plans[2].state = "approved"  # the plan's state is read, not kept
    plans[2].save()
    assert kept()[mine.pk] == D("37")
    plans[1].improvements.add(idle)  # what a plan implements: read, not kept
    assert kept()[idle.pk] == D("2")
    assert kept() == Improvement.objects.spent_hours()


def test_items_written_in_bulk_are_summed_after_forget(program):
    mine, _other, _idle, plans, _items = program
    assert kept()[mine.pk] == D("7.5")
    ActionItem.objects.filter(plan=plans[0]).update(spent_effort=D("10"))  # no signal
    assert kept()[mine.pk] == D("7.5")  # what the bulk writer must forget
    spent_hours.forget()
    assert kept()[mine.pk] == D("21")


def test_rows_older_than_the_bound_or_from_the_future_are_summed_again(program):
    mine, _other, _idle, plans, _items = program
    kept()
    ActionItem.objects.filter(plan=plans[0]).update(spent_effort=D("10"))  # no signal
    with time_machine.travel(timezone.now() + spent_hours.RECOUNT_AFTER + timedelta(seconds=1)):
        assert kept()[mine.pk] == D("21")
    ActionItem.objects.filter(plan=plans[0]).update(spent_effort=D("1"))
    assert kept()[mine.pk] == D("3")  # counted in the future: the clock went back


def test_reading_is_three_statements_whatever_the_number_of_items(program):
    _mine, _other, _idle, plans, _items = program
    for _ in range(5):
        ActionItemFactory(plan=plans[0], spent_effort=D("1"))
    with CaptureQueriesContext(connection) as queries:
        kept()
    assert len(queries) == 3  # drop outdated rows, sum missing plans, read the sums


def test_the_cached_business_case_moves_with_an_item_written(program, people):
    """The figure notes the items it was summed from (the kept table is derived): an
    item saved after the panel was cached shows at the next look, not 10 minutes on."""
    from lessons import dashboard
    from opf.core.dashboard import default_period
    from opf.organization.scope import DashboardFilter

    mine, _other, _idle, _plans, items = program
    mine.state = Improvement.State.SELECTED
    mine.estimated_hours = D("10")
    mine.save()
    start, end = default_period(timezone.localdate())

    def actual_cost() -> int:
        f = DashboardFilter(people.executive, None, start, end)
        return dashboard.build_effective_funnel(f)["case"]["committed"]["actual_cost"]

    assert actual_cost() == 675  # 7.5 h x 90
    items[0].spent_effort = D("12.5")  # 2.5 -> 12.5
    items[0].save()
    assert actual_cost() == 1575  # 17.5 h x 90
