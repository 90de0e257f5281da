"""The program measures its own process (#19): cycle times along the improvement
loop, the time records wait for an executive's decision, and compliance weighted by
the severity of the non-compliances.

**Cycle times.** An improvement's milestones, each the first time it happened (local
days):

- *start*: the earliest of its source findings' recording and its proposal's
  submission; an improvement from neither starts when it was recorded;
- *selected*: its history first shows it selected;
- *plan approved*: the first approval of an action plan that implements it;
- *released*: the first release of an asset version from an adopted pilot of those
  plans (the trace of ``lessons.effect_queries``);
- *deployed*: the first day one of those versions is in use in a project (its
  deployment's history);
- *verified*: the first day one of those deployments is verified.

A segment (start → selected → plan approved → released → deployed → verified) counts
in the period in which it ended, in whole days; the cycle time is start → deployed,
counted in the period of the deployment. Each shows the median over the period and
over the period of the same length just before. A segment whose end comes before its
start (a release prepared before the plan's approval) counts as 0 days. The milestones
are stored on each improvement, kept equal to those records by ``deployment.milestones``;
the figures are one statement on PostgreSQL (``loop_figures``), whatever the number of
improvements.

**Approval waits** (submitted → approved or sent back, per kind of record) are
``opf.core.approval_waits``'s, shown with the executives' engagement.

**Severity-weighted compliance.** Of the items of the compliance audits completed in
the period: ``compliant ÷ (compliant + Σ weight of each non-compliant item)``, the
weight that of the severity of the non-compliance raised on the item (an item found
non-compliant with none raised weighs as minor). The weights are deployment settings
(``opf.core.thresholds``: minor 1, major 2, critical 3). Worked example: 3 compliant
items and 1 with a critical non-compliance → 3 ÷ (3 + 3) = 50 % (unweighted: 75 %).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import pairwise
from statistics import median
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from actions.models import CostRate
from actions.models.improvements import ImprovementQuerySet
from lessons import compliance_counts
from lessons.models import ImprovementProposal
from lessons.spent_hours import spent_hours as kept_spent_hours
from opf.core import freshness
from opf.core.thresholds import compliance_weights

STEPS = ("start", "selected", "approved", "released", "deployed", "verified")
STEP_LABELS = {
    "start": _lazy("Finding or proposal"),
    "selected": _lazy("Selected"),
    "approved": _lazy("Plan approved"),
    "released": _lazy("Released"),
    "deployed": _lazy("Deployed"),
    "verified": _lazy("Verified"),
}
CYCLE = ("start", "deployed")  # the cycle time: finding or proposal to deployed


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def _day(moment: datetime | date | None, zone: tzinfo) -> date | None:
    """``moment``'s local day in ``zone`` (``timezone.localdate``, with the current time
    zone looked up once by the caller, not for every moment of every row)."""
    if moment is None:
        return None
    return moment.astimezone(zone).date() if isinstance(moment, datetime) else moment


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


MILESTONE_FIELDS = tuple(f"m_{step}" for step in ("recorded", "finding", "proposal", *STEPS[1:]))
CASE_INPUTS = ("estimated_hours", "other_cost", "benefit_money_per_year", "benefit_hours_per_year")
CASE_FIELDS = (*CASE_INPUTS, "spent_hours", "rate_in_use", "currency_in_use")


# The milestones after the start, stored on each improvement (``deployment.milestones``).
STORED = {
    "selected": "first_selected_at",
    "approved": "first_approved_at",
    "released": "first_released_at",
    "deployed": "first_deployed_at",
    "verified": "first_verified_at",
}


def _within(name: str, first: date, last: date) -> Q:
    """``name`` (a moment) on a local day from ``first`` to ``last``: the moments of those
    days and a day more on each side, so a moment's local day is never cut off (the exact
    test is the caller's)."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(first - timedelta(days=1), time.min, tzinfo=zone)
    until = datetime.combine(last + timedelta(days=2), time.min, tzinfo=zone)
    return Q(**{f"{name}__gte": since, f"{name}__lt": until})


def ending_within(
    improvements: ImprovementQuerySet, first: date, last: date
) -> ImprovementQuerySet:
    """Those of ``improvements`` that may have reached a milestone after the start
    (``selected`` to ``verified``: the end of a segment) between the local days ``first``
    and ``last``, from the milestones stored on them (``deployment.milestones``)."""
    ending = Q()
    for field in STORED.values():
        ending |= _within(field, first, last)
    return improvements.filter(ending)


def improvement_rows(improvements: ImprovementQuerySet, cases: bool = True) -> list[dict[str, Any]]:
    """One row per improvement: its milestones (``m_<step>``, stored on it, kept equal to
    the records by ``deployment.milestones``) and its business case's inputs
    (``actions.business_case``; without ``cases``, no spent hours nor rate: the cycle
    time reads none). A fixed number of queries whatever the number of improvements."""
    rows = list(
        improvements.order_by("pk").values(
            "pk",
            "title",
            "state",
            *CASE_INPUTS,
            m_recorded=F("first_recorded_at"),
            m_finding=F("first_finding_at"),
            m_proposal=F("proposal__submitted_on"),
            **{f"m_{step}": F(field) for step, field in STORED.items()},
        )
    )
    if cases:
        spent = kept_spent_hours(improvements)
        rate, currency = CostRate.in_use()  # the same on every row: read once
        for row in rows:
            row.update(spent_hours=spent.get(row["pk"]), rate_in_use=rate, currency_in_use=currency)
    return rows


def _start(row: dict[str, Any], zone: tzinfo) -> date | None:
    """The start: the earliest of the findings' recording and the proposal's
    submission, else the improvement's recording."""
    return _earliest(_day(row["m_finding"], zone), _day(row["m_proposal"], zone)) or _day(
        row["m_recorded"], zone
    )


LATER = tuple((step, f"m_{step}") for step in STEPS[1:])


def _milestones(row: dict[str, Any], zone: tzinfo) -> dict[str, date]:
    """One improvement's milestones (``STEPS``), those it reached, from its row."""
    steps = {"start": _start(row, zone), **{step: _day(row[field], zone) for step, field in LATER}}
    return {step: day for step, day in steps.items() if day is not None}


def milestones_of(rows: list[dict[str, Any]]) -> dict[int, dict[str, date]]:
    """Each improvement's milestones (``STEPS``), those it reached, from its row."""
    zone = timezone.get_current_timezone()
    return {row["pk"]: _milestones(row, zone) for row in rows}


def milestones(improvements: ImprovementQuerySet) -> dict[int, dict[str, date]]:
    return milestones_of(improvement_rows(improvements))


def _ends_in(row: dict[str, Any], periods: tuple[Period, ...], zone: tzinfo) -> bool:
    """Whether a milestone after the start (the end of a segment) falls in a period."""
    for _step, field in LATER:
        day = _day(row[field], zone)
        if day is not None and any(p.holds(day) for p in periods):
            return True
    return False


def _median(values: list[int]) -> float | None:
    return _rounded(median(values)) if values else None


def _spans(reached: dict[int, dict[str, date]], first: str, last: str, period: Period) -> list[int]:
    """Days from ``first`` to ``last`` of the improvements that reached ``last`` in the
    period (and ``first`` at all)."""
    days = []
    for steps in reached.values():
        begin, end = steps.get(first), steps.get(last)
        if begin is not None and end is not None and period.holds(end):
            days.append(max((end - begin).days, 0))
    return days


def _figure(days: list[int], days_before: list[int]) -> dict[str, Any]:
    return {
        "count": len(days),
        "median_days": _median(days),
        "count_before": len(days_before),
        "median_days_before": _median(days_before),
    }


def _loop(figure: Callable[[str, str], dict[str, Any]]) -> dict[str, Any]:
    """The loop's figures: each segment's, then the cycle time's, labelled, with
    ``figure(first, last)``'s counts and medians (called in that order)."""

    def step(first: str, last: str) -> dict[str, Any]:
        return {
            "from": str(STEP_LABELS[first]),
            "to": str(STEP_LABELS[last]),
            **figure(first, last),
        }

    segments = [step(first, last) for first, last in pairwise(STEPS)]
    return {"segments": segments, "cycle": step(*CYCLE)}


def cycle_times(rows: list[dict[str, Any]], period: Period, before: Period) -> dict[str, Any]:
    """The loop's segments and its cycle time, now and in the period before, from
    ``improvement_rows``. Every segment ends after the start: the milestones are worked
    out only for the improvements with one of those in either period."""
    periods = (period, before)
    zone = timezone.get_current_timezone()
    reached = {row["pk"]: _milestones(row, zone) for row in rows if _ends_in(row, periods, zone)}
    return _loop(
        lambda first, last: _figure(
            _spans(reached, first, last, period), _spans(reached, first, last, before)
        )
    )


def loop_figures(
    improvements: ImprovementQuerySet, period: Period, before: Period
) -> dict[str, Any]:
    """The loop's segments and cycle time (``cycle_times``) of ``improvements``, now and
    in the period before. Every segment ends after the start, so only the improvements
    with a later milestone in those days are read (``ending_within``). On PostgreSQL the
    days and medians are worked out in one statement (``_LOOP``), the same rule in SQL;
    elsewhere from the rows here."""
    ending = ending_within(
        improvements, min(before.start, period.start), max(before.end, period.end)
    )
    if connection.vendor != "postgresql":
        return cycle_times(improvement_rows(ending, cases=False), period, before)
    try:
        rows = ending.order_by().values(
            "id", "first_finding_at", "first_recorded_at", *STORED.values()
        )
        scope, scope_params = rows.query.sql_with_params()
    except EmptyResultSet:  # nothing the user may see
        return cycle_times([], period, before)
    day = "(i.{} AT TIME ZONE %s)::date"
    days = ", ".join(f'{day.format(field)} AS "{step}"' for step, field in STORED.items())
    figures, figure_params = [], []
    for first, last in (*pairwise(STEPS), CYCLE):
        for within in (period, before):
            held = f'"{last}" BETWEEN %s AND %s AND "{first}" IS NOT NULL'
            figures.append(
                f"COUNT(*) FILTER (WHERE {held}), PERCENTILE_CONT(0.5) WITHIN GROUP"
                f' (ORDER BY GREATEST("{last}" - "{first}", 0)) FILTER (WHERE {held})'
            )
            figure_params += [within.start, within.end] * 2
    sql = _LOOP.format(
        finding=day.format("first_finding_at"),
        recorded=day.format("first_recorded_at"),
        days=days,
        scope=scope,
        figures=", ".join(figures),
        **freshness.table_names(proposal=ImprovementProposal),
    )
    zone = timezone.get_current_timezone_name()
    with connection.cursor() as cursor:
        cursor.execute(sql, [zone] * (2 + len(STORED)) + [*scope_params, *figure_params])
        found = iter(cursor.fetchone())

    def figure(first: str, last: str) -> dict[str, Any]:  # the statement's, in order
        count, middle, count_before, middle_before = (next(found) for _ in range(4))
        return {
            "count": count,
            "median_days": _rounded(middle),
            "count_before": count_before,
            "median_days_before": _rounded(middle_before),
        }

    return _loop(figure)


# The start (the earliest of the findings' recording and the proposal's submission, else
# the improvement's recording) and the later milestones of each improvement, as local
# days; then each segment's count and median (the middle value, or the mean of the two
# middle values: ``statistics.median``) in each period.
_LOOP = """
WITH m AS (
  SELECT COALESCE(LEAST({finding}, p.submitted_on), {recorded}) AS "start", {days}
  FROM ({scope}) i LEFT JOIN {proposal} p ON p.improvement_id = i.id
)
SELECT {figures} FROM m
"""


def _rounded(days: float | None) -> float | None:
    return round(float(days), 1) if days is not None else None


def weighted_score(compliant: int, weighted_bad: int) -> Decimal | None:
    """``compliant ÷ (compliant + Σ weights)`` as a percentage (0.1)."""
    total = compliant + weighted_bad
    if total == 0:
        return None
    return (Decimal(100) * compliant / total).quantize(Decimal("0.1"))


def audit_counts_by_day(projects: QuerySet | None, start: date, end: date) -> dict[date, Any]:
    """The items of the audits completed each day from ``start`` to ``end`` (those with
    any): ``ok`` (compliant) and, non-compliant by the severity of the non-compliance
    raised on them (none raised: minor), ``minor``, ``major``, ``critical``; summed from
    the counts kept on each audit (``lessons.compliance_counts``). One query, a row per
    day whatever the number of audits that day. ``projects``: the audited projects
    counted (None: every audit, the organization's own process included)."""
    severities = compliance_counts.SEVERITY_FIELDS
    rows = (
        compliance_counts.counted_audits(projects)
        .filter(performed_date__gte=start, performed_date__lte=end)
        .values("performed_date")
        .annotate(ok=Sum("compliant_items"), **{s: Sum(f) for s, f in severities.items()})
    )
    return {row.pop("performed_date"): row for row in rows}


def period_counts(days: dict[date, Any], period: Period, before: Period) -> dict[str, int]:
    """``audit_counts_by_day`` summed over each period (``now_`` and ``before_``): ``ok``
    and the non-compliant by severity."""
    counts: dict[str, int] = {}
    for name, p in (("now", period), ("before", before)):
        within = [row for day, row in days.items() if p.holds(day)]
        for key in ("ok", *compliance_counts.SEVERITY_FIELDS):
            counts[f"{name}_{key}"] = sum(row[key] for row in within)
    return counts


def audit_counts(projects: QuerySet | None, period: Period, before: Period) -> dict[str, int]:
    """Items of the audits completed in each period (``now_`` and ``before_``): compliant
    (``ok``), and non-compliant by severity. One query (``audit_counts_by_day``)."""
    start, end = min(period.start, before.start), max(period.end, before.end)
    return period_counts(audit_counts_by_day(projects, start, end), period, before)


def weighted_compliance(counts: dict[str, int]) -> dict[str, Any]:
    """Severity-weighted and plain compliance from ``audit_counts``."""
    weights = compliance_weights()

    def figure(name: str) -> dict[str, Any]:
        ok_n = counts[f"{name}_ok"]
        by_severity = {s: counts[f"{name}_{s}"] for s in weights}
        weighted = weighted_score(ok_n, sum(weights[s] * n for s, n in by_severity.items()))
        plain = weighted_score(ok_n, sum(by_severity.values()))
        return {
            "weighted": float(weighted) if weighted is not None else None,
            "plain": float(plain) if plain is not None else None,
            "compliant": ok_n,
            "non_compliant": by_severity,
        }

    return {"weights": weights, "now": figure("now"), "before": figure("before")}
