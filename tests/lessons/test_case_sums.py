"""``lessons.case_sums``: the funnel's business-case figures summed in PostgreSQL (#24)
are those ``actions.business_case`` works out case by case in Python (the SQLite
fallback), rounding each case's amounts to the cent before adding them, with worked
numbers at a rate with cents; and they read a fixed number of statements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Improvement
from lessons import case_sums, dashboard, process_measures
from opf.core.dashboard import default_period
from opf.organization.scope import DashboardFilter
from tests.actions.factories import (
    ActionItemFactory,
    CostRateFactory,
    ImprovementFactory,
    ProcessActionPlanFactory,
)
from tests.appraisals.factories import FindingFactory
from tests.factories import OrgUnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="summed in SQL on PostgreSQL only"
    ),
]

D = Decimal
S = Improvement.State


def _spend(improvement: Improvement, *hours: str, state: str = "approved") -> None:
    plan = ProcessActionPlanFactory(state=state)
    plan.improvements.add(improvement)
    for h in hours:
        ActionItemFactory(plan=plan, spent_effort=D(h))


@pytest.fixture
def program(people):
    """At 87.35/h: ``a`` selected, 10.5 h (917.175 -> 917.18) for 1,000 a year, 2.3 h
    spent (200.905 -> 200.91); ``b`` in action, 500 other cost, its items in a cancelled
    plan; ``c`` implemented and ``f`` selected with a zero other cost: no case;
    ``d`` candidate, 3.3 h (288.255 -> 288.26) for 12.5 h a year (1,091.875 ->
    1,091.88), 0.7 h spent (61.145 -> 61.15); ``e`` rejected. ``a`` (from two findings)
    and ``d`` came from the unit ``unit``."""
    CostRateFactory(hourly_rate=D("87.35"))
    a = ImprovementFactory(
        title="A", state=S.SELECTED, estimated_hours=D("10.5"),
        benefit_money_per_year=D("1000"),
    )  # fmt: skip
    b = ImprovementFactory(title="B", state=S.IN_ACTION, other_cost=D("500"))
    ImprovementFactory(title="C", state=S.IMPLEMENTED)
    d = ImprovementFactory(
        title="D", state=S.CANDIDATE, estimated_hours=D("3.3"), benefit_hours_per_year=D("12.5")
    )
    ImprovementFactory(title="E", state=S.REJECTED, benefit_money_per_year=D("99999"))
    ImprovementFactory(title="F", state=S.SELECTED, other_cost=D("0"))
    _spend(a, "1.5", "0.8")
    _spend(b, "30", state="cancelled")
    _spend(d, "0.7")
    unit = OrgUnitFactory(name="Avionics")
    for improvement in (a, a, d):
        improvement.findings.add(FindingFactory(org_unit=unit))
    return unit


def scope(user, unit=None) -> DashboardFilter:
    start, end = default_period(timezone.localdate())
    return DashboardFilter(user, unit, start, end)


COMMITTED = {
    "count": 2,  # a and b
    "cost": 1417,  # 917.18 + 500.00
    "benefit": 1000,
    "return": -417,  # 1,000 - 1,417.18
    "payback_months": 17.0,  # 1,417.18 x 12 / 1,000 = 17.006
    "ratio": 0.71,  # 1,000 / 1,417.18
    "actual_cost": 201,  # 200.91: b's cancelled plan left out
    "estimated_cost_of_spent": 917,  # a's
}
CANDIDATES = {
    "count": 1,
    "cost": 288,
    "benefit": 1092,
    "return": 804,  # 1,091.88 - 288.26 = 803.62
    "payback_months": 3.2,  # 288.26 x 12 / 1,091.88 = 3.17
    "ratio": 3.79,  # 1,091.88 / 288.26
    "actual_cost": 61,  # 61.15
    "estimated_cost_of_spent": 288,
}


def test_the_sums_with_worked_numbers(program, people):
    figures = dashboard.business_case_figures(scope(people.executive))
    assert figures["committed"] == COMMITTED
    assert figures["candidates"] == CANDIDATES
    assert figures["committed_without_case"] == 2  # c, and f's zero other cost
    assert [(t["title"], t["return"], t["actual_cost"]) for t in figures["top"]] == [
        ("D", 804, 61),
        ("A", 83, 201),  # 1,000 - 917.18 = 82.82; b has no benefit: not ranked
    ]
    assert figures["top"][1]["payback_months"] == 11.0  # 917.18 x 12 / 1,000
    assert figures["currency"] == "EUR"


def test_an_org_unit_counts_each_improvement_once(program, people):
    figures = dashboard.business_case_figures(scope(people.executive, program))
    assert figures["committed"] == {
        **COMMITTED, "count": 1, "cost": 917, "return": 83, "payback_months": 11.0,
        "ratio": 1.09,
    }  # fmt: skip
    assert figures["candidates"] == CANDIDATES
    assert figures["committed_without_case"] == 0
    assert [t["title"] for t in figures["top"]] == ["D", "A"]


def shown(cases: case_sums.Cases) -> tuple:
    """What the panel reads of the figures (the rows of the best returns carry more in
    Python: the milestones the cycle time reads)."""
    top = [(row["pk"], row["title"], row["state"], case) for row, case in cases.top]
    return (cases.currency, cases.committed, cases.committed_without_case, cases.candidates, top)


@pytest.mark.parametrize("in_unit", [False, True])
def test_summed_in_sql_as_in_python(program, people, in_unit):
    f = scope(people.executive, program if in_unit else None)
    improvements = dashboard.improvements_in_scope(f)
    rows = process_measures.improvement_rows(improvements)
    assert shown(case_sums.in_sql(improvements, 5)) == shown(case_sums.in_python(rows, 5))
    assert shown(case_sums.in_sql(improvements, 1)) == shown(case_sums.in_python(rows, 1))
    assert len(case_sums.in_sql(improvements, 5).top) == 2


def test_without_improvements_in_scope(people):
    CostRateFactory(hourly_rate=D("87.35"), currency="USD")
    f = scope(people.executive)
    assert dashboard.business_case_figures(f)["currency"] == "EUR"  # as when no rows
    empty = case_sums.in_sql(dashboard.improvements_in_scope(f), 5)
    assert empty == case_sums.in_python([], 5)
    ImprovementFactory(state=S.REJECTED)
    assert dashboard.business_case_figures(f)["currency"] == "USD"


def test_a_fixed_number_of_statements(program, people):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            dashboard.business_case_figures(scope(people.executive))
        return len(queries)

    statements()  # the permission caches
    few = statements()
    for n in range(5):
        more = ImprovementFactory(
            state=S.IN_ACTION, estimated_hours=D(n + 1), benefit_money_per_year=D("50")
        )
        _spend(more, "1", "2")
    assert statements() == few
