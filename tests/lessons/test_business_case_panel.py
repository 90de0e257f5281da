"""The business case in the executive views (#19): the portfolio's sums (rules of
``actions.business_case``) in the improvement funnel's panel: the dashboard, its API
and (frozen) the briefing."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from actions.business_case import BusinessCase, Portfolio
from actions.models import Improvement
from lessons import dashboard
from opf.core.dashboard import default_period
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ActionItemFactory, ImprovementFactory, ProcessActionPlanFactory

pytestmark = pytest.mark.django_db

RATE = Decimal("90")


def test_a_portfolio_sums_the_cases_with_worked_numbers():
    one = BusinessCase(
        rate=RATE,
        estimated_hours=Decimal("120"),
        other_cost=Decimal("2000"),
        money_per_year=Decimal("48000"),
    )
    two = BusinessCase(
        rate=RATE,
        estimated_hours=Decimal("100"),
        money_per_year=Decimal("6000"),
        spent_hours=Decimal("40"),
    )
    total = Portfolio((one, two)).total
    assert total.cost == Decimal("21800.00")  # 12,800 + 9,000
    assert total.annual_benefit == Decimal("54000.00")
    assert total.expected_return == Decimal("32200.00")
    assert total.payback_months == Decimal("4.8")  # 21,800 x 12 / 54,000 = 4.84
    assert total.ratio == Decimal("2.48")  # 54,000 / 21,800
    assert Portfolio((one, two)).actual_cost == Decimal("3600.00")  # 40 h x 90
    assert Portfolio((one, two)).estimated_cost_of_spent == Decimal("9000.00")
    assert Portfolio((one,)).actual_cost is None
    assert Portfolio(()).total.expected_return is None


def _portfolio() -> None:
    ImprovementFactory(
        title="Peer reviews",
        state=Improvement.State.SELECTED,
        estimated_hours=Decimal("120"),
        other_cost=Decimal("2000"),
        benefit_money_per_year=Decimal("48000"),
    )
    estimation = ImprovementFactory(
        title="Estimation guideline",
        state=Improvement.State.IN_ACTION,
        estimated_hours=Decimal("100"),
        benefit_money_per_year=Decimal("6000"),
    )
    plan = ProcessActionPlanFactory()
    plan.improvements.add(estimation)
    ActionItemFactory(plan=plan, spent_effort=Decimal("40"))
    ImprovementFactory(
        title="Test templates", other_cost=Decimal("1000"), benefit_money_per_year=Decimal("10000")
    )
    ImprovementFactory(
        title="Rejected idea",
        state=Improvement.State.REJECTED,
        benefit_money_per_year=Decimal("99000"),
    )
    ImprovementFactory(title="Unpriced", state=Improvement.State.SELECTED)


@pytest.fixture
def scope(people):
    start, end = default_period(timezone.localdate())
    return DashboardFilter(people.executive, None, start, end)


def test_the_business_case_panel(scope):
    _portfolio()
    figures = dashboard.business_case_figures(scope)
    assert figures["currency"] == "EUR"
    assert figures["committed"] == {
        "count": 2,
        "cost": 21800,
        "benefit": 54000,
        "return": 32200,
        "payback_months": 4.8,
        "ratio": 2.48,
        "actual_cost": 3600,
        "estimated_cost_of_spent": 9000,
    }
    assert figures["committed_without_case"] == 1
    assert (figures["candidates"]["count"], figures["candidates"]["benefit"]) == (1, 10000)
    assert [(t["title"], t["return"]) for t in figures["top"]] == [
        ("Peer reviews", 35200),
        ("Test templates", 9000),
        ("Estimation guideline", -3000),
    ]
    assert figures["top"][2]["actual_cost"] == 3600


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite sums the improvements' rows")
def test_the_sums_read_no_row_per_improvement(scope):
    """Summed in the database (``lessons.case_sums``), not from the rows the cycle time
    reads: the improvements' rows are not read for them."""
    _portfolio()
    with mock.patch("lessons.process_measures.improvement_rows") as rows:
        figures = dashboard.business_case_figures(scope)
    rows.assert_not_called()
    assert figures["committed"]["benefit"] == 54000


def test_the_executive_sees_it_on_the_dashboard_and_in_the_api(scope, people, client_as):
    _portfolio()
    page = client_as(people.executive).get("/dashboard/").content.decode()
    assert "Business case" in page
    assert " of 2 under way: 54,000 a year for 21,800 EUR" in page
    assert "a first-year return of 32,200 EUR (ratio 2.48, payback 4.8 months)" in page
    assert "Spent so far: 3,600 EUR of the 9,000 EUR estimated" in page
    assert "1 selected without a business case" in page
    api = client_as(people.executive).get("/api/v1/dashboard/").json()
    assert api["panels"]["funnel"]["case"]["committed"]["benefit"] == 54000
