"""The business cases of the improvements in scope, summed in the database (#24): the
dashboard's funnel shows the sums of those committed and of the candidates, how many
committed have no case, and the few with the highest expected return; reading every
improvement into Python to add them up grew with the organization.

The rules are ``actions.business_case``'s, here in SQL: an improvement's cost is
``ROUND(estimated hours x rate + other cost, 2)``, its benefit a year
``ROUND(money + hours saved x rate, 2)`` (PostgreSQL rounds a half away from zero, as
``ROUND_HALF_UP`` does), its actual cost ``ROUND(spent hours x rate, 2)`` with the spent
hours of ``lessons.spent_hours``; the sums add those rounded amounts, as ``Portfolio``
does. SQLite's arithmetic is binary floating point, so there (``./dev start``) the same
figures are worked out in Python from the improvements' rows (:func:`in_python`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round

from actions.business_case import ZERO, BusinessCase, Portfolio, PortfolioSums
from actions.models import CostRate, Improvement
from lessons import spent_hours

COMMITTED = (
    Improvement.State.SELECTED,
    Improvement.State.IN_ACTION,
    Improvement.State.IMPLEMENTED,
)
CANDIDATE = Improvement.State.CANDIDATE
RANKED_STATES = (*COMMITTED, CANDIDATE)  # those with their cases summed
NO_CURRENCY = "EUR"
CASE_INPUTS = ("estimated_hours", "other_cost", "benefit_money_per_year", "benefit_hours_per_year")


@dataclass(frozen=True)
class Cases:
    """What the funnel shows of the business cases (``lessons.dashboard``)."""

    currency: str  # the rate's; ``NO_CURRENCY`` without an improvement in scope
    committed: PortfolioSums
    committed_without_case: int
    candidates: PortfolioSums
    top: list[tuple[dict[str, Any], BusinessCase]]  # (row, case), best return first


def case_of(row: dict[str, Any]) -> BusinessCase:
    return BusinessCase(
        rate=row["rate_in_use"],
        estimated_hours=row["estimated_hours"],
        other_cost=row["other_cost"] or ZERO,
        money_per_year=row["benefit_money_per_year"],
        hours_per_year=row["benefit_hours_per_year"],
        spent_hours=row["spent_hours"],
    )


def in_python(rows: list[dict[str, Any]], top: int) -> Cases:
    """The figures from every improvement's row (``process_measures.improvement_rows``):
    one pass, a case only for the improvements committed or candidate."""
    committed: list[BusinessCase] = []
    candidates: list[BusinessCase] = []
    without_case = 0
    ranked: list[tuple[dict[str, Any], BusinessCase]] = []
    for row in rows:
        state = row["state"]
        if state not in RANKED_STATES:
            continue
        case = case_of(row)
        if not (case.has_cost or case.has_benefit):
            if state in COMMITTED:
                without_case += 1
            continue
        (committed if state in COMMITTED else candidates).append(case)
        if case.expected_return is not None:
            ranked.append((row, case))
    ranked.sort(key=lambda rc: (-(rc[1].expected_return or 0), rc[0]["pk"]))
    return Cases(
        currency=rows[0]["currency_in_use"] if rows else NO_CURRENCY,
        committed=Portfolio(tuple(committed)).sums,
        committed_without_case=without_case,
        candidates=Portfolio(tuple(candidates)).sums,
        top=ranked[:top],
    )


HAS_COST = Q(estimated_hours__isnull=False) | (Q(other_cost__isnull=False) & ~Q(other_cost=0))
HAS_BENEFIT = Q(benefit_money_per_year__isnull=False) | Q(benefit_hours_per_year__isnull=False)
HAS_CASE = HAS_COST | HAS_BENEFIT
MONEY: DecimalField = DecimalField(max_digits=24, decimal_places=2)


def _cost(rate: Decimal) -> Round:
    """``BusinessCase.cost`` in SQL."""
    hours = Coalesce(F("estimated_hours"), Value(ZERO), output_field=MONEY)
    other = Coalesce(F("other_cost"), Value(ZERO), output_field=MONEY)
    return Round(hours * Value(rate) + other, 2, output_field=MONEY)


def _benefit(rate: Decimal) -> Round:
    """``BusinessCase.annual_benefit`` in SQL."""
    money = Coalesce(F("benefit_money_per_year"), Value(ZERO), output_field=MONEY)
    hours = Coalesce(F("benefit_hours_per_year"), Value(ZERO), output_field=MONEY)
    return Round(money + hours * Value(rate), 2, output_field=MONEY)


# The actual cost (``BusinessCase.actual_cost``) and the estimated cost of the
# improvements in scope with spent hours and a case, committed or candidate: read from
# the plans' kept sums, so over the improvements with plans only.
_SPENT = """
WITH spent AS ({spent})
SELECT i.state IN ({committed}),
  SUM(ROUND(s.hours * %s, 2)),
  SUM(ROUND(COALESCE(i.estimated_hours, 0) * %s + COALESCE(i.other_cost, 0), 2))
FROM spent s JOIN {improvement} i ON i.id = s.improvement_id
WHERE i.state IN ({ranked}) AND (i.estimated_hours IS NOT NULL OR COALESCE(i.other_cost, 0) <> 0
  OR i.benefit_money_per_year IS NOT NULL OR i.benefit_hours_per_year IS NOT NULL)
GROUP BY 1
"""


def in_sql(improvements: QuerySet, top: int) -> Cases:
    """The figures summed in PostgreSQL: the sums over the improvements in scope (one
    statement), the actual costs over those with plans (two: the spent hours kept up
    to date, then summed), the best returns and their rows (three)."""
    rate, currency = CostRate.in_use()
    cost, benefit = _cost(rate), _benefit(rate)
    if improvements.query.distinct:  # joined (an org unit's findings): each once
        improvements = Improvement._default_manager.filter(pk__in=improvements.values("pk"))
    # One row per state and kind of case (a dozen at most), added up here.
    groups = (
        improvements.filter(state__in=RANKED_STATES)
        .order_by()
        .annotate(
            has_cost=ExpressionWrapper(HAS_COST, output_field=BooleanField()),
            has_benefit=ExpressionWrapper(HAS_BENEFIT, output_field=BooleanField()),
        )
        .values("state", "has_cost", "has_benefit")
        .annotate(n=Count("pk"), cost=Sum(cost), benefit=Sum(benefit))
    )
    totals: dict[str, Any] = {"any": 0, "without_case": 0}
    for group in ("committed", "candidate"):
        totals.update({f"{group}_count": 0, f"{group}_cost": ZERO, f"{group}_benefit": None})
    for row in groups:
        totals["any"] += row["n"]
        state = row["state"]
        name = "committed" if state in COMMITTED else "candidate"
        if not (row["has_cost"] or row["has_benefit"]):
            if name == "committed":
                totals["without_case"] += row["n"]
            continue
        totals[f"{name}_count"] += row["n"]
        totals[f"{name}_cost"] += row["cost"]
        if row["has_benefit"]:
            totals[f"{name}_benefit"] = (totals[f"{name}_benefit"] or ZERO) + row["benefit"]
    spent_hours.count_missing()
    scope, scope_params = improvements.order_by().values("pk").query.sql_with_params()
    spent, spent_params = spent_hours.by_improvement_sql(scope, scope_params)
    sql = _SPENT.format(
        spent=spent,
        improvement=connection.ops.quote_name(Improvement._meta.db_table),
        committed=", ".join(["%s"] * len(COMMITTED)),
        ranked=", ".join(["%s"] * len(RANKED_STATES)),
    )
    actual: dict[bool, tuple[Decimal | None, Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*spent_params, *COMMITTED, rate, rate, *RANKED_STATES])
        for is_committed, actual_cost, of_spent in cursor.fetchall():
            actual[is_committed] = (actual_cost, of_spent)

    def sums(name: str, is_committed: bool) -> PortfolioSums:
        actual_cost, of_spent = actual.get(is_committed, (None, ZERO))
        return PortfolioSums(
            count=totals[f"{name}_count"],
            cost=totals[f"{name}_cost"],
            benefit=totals[f"{name}_benefit"],
            actual_cost=actual_cost,
            estimated_cost_of_spent=of_spent,
        )

    best = {
        row["pk"]: {**row, "rate_in_use": rate, "currency_in_use": currency}
        for row in improvements.filter(HAS_BENEFIT, state__in=RANKED_STATES)
        .annotate(expected_return=benefit - cost)
        .order_by("-expected_return", "pk")
        .values("pk", "title", "state", *CASE_INPUTS)[:top]
    }
    chosen = Improvement._default_manager.filter(pk__in=list(best))
    hours = spent_hours.spent_hours(chosen, counted=True) if best else {}
    for pk, row in best.items():
        row["spent_hours"] = hours.get(pk)
    return Cases(
        # the rate's currency once any improvement is in scope (in whatever state)
        currency=currency if totals["any"] or improvements.exists() else NO_CURRENCY,
        committed=sums("committed", True),
        committed_without_case=totals["without_case"],
        candidates=sums("candidate", False),
        top=[(row, case_of(row)) for row in best.values()],
    )


def cases(improvements: QuerySet, rows: Callable[[], list[dict[str, Any]]], top: int) -> Cases:
    """The figures: summed in the database on PostgreSQL, else from ``rows()``."""
    if connection.vendor == "postgresql":
        return in_sql(improvements, top)
    return in_python(rows(), top)
