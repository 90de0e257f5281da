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
from django.db.models import QuerySet

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


# Each improvement in scope committed or candidate, with its case in money (rounded as
# ``BusinessCase``) and its spent hours; then, per group (committed or candidate), the
# sums of those with a case. The sums of the first query and the best returns of the
# second read the same rows.
_CASES = """
WITH spent AS ({spent}),
cases AS (
  SELECT i.id AS id, i.state IN ({committed}) AS committed,
    (i.estimated_hours IS NOT NULL OR COALESCE(i.other_cost, 0) <> 0) AS has_cost,
    (i.benefit_money_per_year IS NOT NULL OR i.benefit_hours_per_year IS NOT NULL)
      AS has_benefit,
    ROUND(COALESCE(i.estimated_hours, 0) * %s + COALESCE(i.other_cost, 0), 2) AS cost,
    ROUND(COALESCE(i.benefit_money_per_year, 0) + COALESCE(i.benefit_hours_per_year, 0) * %s, 2)
      AS benefit,
    ROUND(s.hours * %s, 2) AS actual
  FROM {improvement} i LEFT JOIN spent s ON s.improvement_id = i.id
  WHERE i.id IN ({scope}) AND i.state IN ({ranked})
)
"""

_SUMS = (
    _CASES
    + """
SELECT committed,
  COUNT(*) FILTER (WHERE has_cost OR has_benefit),
  COUNT(*) FILTER (WHERE NOT (has_cost OR has_benefit)),
  COALESCE(SUM(cost) FILTER (WHERE has_cost OR has_benefit), 0),
  SUM(benefit) FILTER (WHERE has_benefit),
  SUM(actual) FILTER (WHERE has_cost OR has_benefit),
  COALESCE(SUM(cost) FILTER (WHERE (has_cost OR has_benefit) AND actual IS NOT NULL), 0)
FROM cases GROUP BY committed
"""
)

_TOP = (
    _CASES
    + """
SELECT id FROM cases WHERE has_benefit ORDER BY benefit - cost DESC, id LIMIT %s
"""
)


def _empty() -> PortfolioSums:
    return Portfolio(()).sums


def in_sql(improvements: QuerySet, top: int) -> Cases:
    """The figures summed in PostgreSQL: four statements (the spent hours kept up to
    date, the sums, the best returns, their rows), whatever the number of improvements."""
    rate, currency = CostRate.in_use()
    spent_hours.count_missing()
    scope, scope_params = improvements.order_by().values("pk").query.sql_with_params()
    spent, spent_params = spent_hours.by_improvement_sql(scope, scope_params)
    quote = connection.ops.quote_name
    names = {
        "spent": spent,
        "scope": scope,
        "improvement": quote(Improvement._meta.db_table),
        "committed": ", ".join(["%s"] * len(COMMITTED)),
        "ranked": ", ".join(["%s"] * len(RANKED_STATES)),
    }
    params = [
        *spent_params,
        *COMMITTED,
        rate,
        rate,
        rate,
        *scope_params,
        *RANKED_STATES,
    ]
    sums = {True: _empty(), False: _empty()}
    without_case = 0
    with connection.cursor() as cursor:
        cursor.execute(_SUMS.format(**names), params)
        groups = cursor.fetchall()
        for committed, count, without, cost, benefit, actual, of_spent in groups:
            sums[committed] = PortfolioSums(
                count=count,
                cost=cost,
                benefit=benefit,
                actual_cost=actual,
                estimated_cost_of_spent=of_spent,
            )
            if committed:
                without_case = without
        cursor.execute(_TOP.format(**names), [*params, top])
        best = [pk for (pk,) in cursor.fetchall()]
    rows = _rows(best, rate, currency)
    in_scope = bool(groups) or improvements.exists()
    return Cases(
        currency=currency if in_scope else NO_CURRENCY,
        committed=sums[True],
        committed_without_case=without_case,
        candidates=sums[False],
        top=[(rows[pk], case_of(rows[pk])) for pk in best],
    )


def _rows(pks: list[int], rate: Decimal, currency: str) -> dict[int, dict[str, Any]]:
    if not pks:
        return {}
    chosen = Improvement._default_manager.filter(pk__in=pks)
    spent = spent_hours.spent_hours(chosen, counted=True)
    rows = {
        row["pk"]: {**row, "rate_in_use": rate, "currency_in_use": currency}
        for row in chosen.values("pk", "title", "state", *CASE_INPUTS)
    }
    for pk, row in rows.items():
        row["spent_hours"] = spent.get(pk)
    return rows


def cases(improvements: QuerySet, rows: Callable[[], list[dict[str, Any]]], top: int) -> Cases:
    """The figures: summed in the database on PostgreSQL, else from ``rows()``."""
    if connection.vendor == "postgresql":
        return in_sql(improvements, top)
    return in_python(rows(), top)
