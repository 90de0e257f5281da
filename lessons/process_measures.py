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
- *verified*: the first day one of those deployments is verified (these two are
  stored on the improvement, kept equal to the history by ``deployment.milestones``).

A segment (start → selected → plan approved → released → deployed → verified) counts
in the period in which it ended, in whole days; the cycle time is start → deployed,
counted in the period of the deployment. Each shows the median over the period and
over the period of the same length just before. A segment whose end comes before its
start (a release prepared before the plan's approval) counts as 0 days. A fixed number
of queries (the improvements, then each source of milestones grouped by improvement),
whatever the number of improvements.

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

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from itertools import pairwise
from statistics import median
from typing import Any

from django.db import connection
from django.db.models import F, Min, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from actions.models import CostRate, Improvement, ProcessActionPlan
from actions.models.improvements import ImprovementQuerySet
from appraisals.models import Finding
from deployment.models import AssetVersion
from lessons import compliance_counts
from lessons.spent_hours import spent_hours as kept_spent_hours
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


def _firsts(rows: QuerySet, key: str, **firsts: Min) -> dict[str, dict[int, Any]]:
    """``firsts`` (each the earliest of a field) of ``rows`` grouped by ``key``: for
    each name, ``{key: earliest}`` of the keys that have one (one query)."""
    found: dict[str, dict[int, Any]] = {name: {} for name in firsts}
    for row in rows.order_by().values(key).annotate(**firsts):
        for name in firsts:
            if row[name] is not None:
                found[name][row[key]] = row[name]
    return found


def _finding_firsts(scope: QuerySet) -> dict[int, datetime]:
    """Each improvement's earliest history row of its source findings (two queries:
    the first row of each finding, and the improvements' findings)."""
    links = Improvement.findings.through.objects.filter(improvement_id__in=scope)
    recorded = _firsts(
        Finding.history.filter(id__in=links.values("finding_id")), "id", first=Min("history_date")
    )["first"]
    found: dict[int, datetime] = {}
    for improvement_id, finding_id in links.values_list("improvement_id", "finding_id"):
        moment = recorded.get(finding_id)
        if moment is not None and (improvement_id not in found or moment < found[improvement_id]):
            found[improvement_id] = moment
    return found


def ending_within(improvements: QuerySet, first: date, last: date) -> list[int]:
    """The pks of those of ``improvements`` that may have reached a milestone after the
    start (``selected`` to ``verified``: the end of a segment) between the local days
    ``first`` and ``last``: one query, reading only the rows of those days (a day more
    on each side, so a moment's local day is never cut off); the exact test is
    ``cycle_times``'. The earliest of each kind of milestone that falls in the days
    has a row there, so none is missed."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(first - timedelta(days=1), time.min, tzinfo=zone)
    until = datetime.combine(last + timedelta(days=2), time.min, tzinfo=zone)

    def within(name: str) -> Q:
        return Q(**{f"{name}__gte": since, f"{name}__lt": until})

    traced = "pilot__action_plan__improvements"
    selected = Improvement.history.filter(within("history_date"), state=Improvement.State.SELECTED)
    approved = ProcessActionPlan.improvements.through.objects.filter(
        within("processactionplan__approved_at")
    )
    released = AssetVersion.objects.filter(within("released_at"), **{f"{traced}__isnull": False})
    return list(
        improvements.filter(
            within("first_deployed_at")
            | within("first_verified_at")
            | Q(pk__in=selected.values("id"))
            | Q(pk__in=approved.values("improvement_id"))
            | Q(pk__in=released.values(traced))
        )
        .order_by()
        .values_list("pk", flat=True)
    )


def improvements_of(pks: list[int]) -> ImprovementQuerySet:
    """The improvements of ``pks`` (thousands, for the loop of a big organization): on
    PostgreSQL as one array parameter, which Django does not compile value by value."""
    if connection.vendor == "postgresql":
        listed: Any = RawSQL("SELECT unnest(%s::bigint[])", (pks,))
    else:
        listed = pks
    return Improvement._default_manager.filter(pk__in=listed)


def improvement_rows(improvements: ImprovementQuerySet, cases: bool = True) -> list[dict[str, Any]]:
    """One row per improvement: its milestones (``m_<step>``, each the earliest of its
    rows) and its business case's inputs (``actions.business_case``; without
    ``cases``, no spent hours nor rate: the cycle time reads none). A fixed number of
    queries whatever the number of improvements: the improvements, then each source of
    milestones grouped by improvement (a hash aggregate over the improvements in
    scope, not a subquery per improvement), merged here by pk."""
    scope = improvements.order_by().values("pk")
    traced = "pilot__action_plan__improvements"
    rows = list(
        improvements.order_by("pk").values(
            "pk",
            "title",
            "state",
            *CASE_INPUTS,
            m_proposal=F("proposal__submitted_on"),
            # stored, kept equal to the deployments' history by ``deployment.milestones``
            m_deployed=F("first_deployed_at"),
            m_verified=F("first_verified_at"),
        )
    )
    by_improvement: dict[str, dict[int, Any]] = {
        **({"spent_hours": kept_spent_hours(improvements)} if cases else {}),
        **_firsts(
            Improvement.history.filter(id__in=scope),
            "id",
            m_recorded=Min("history_date"),
            m_selected=Min("history_date", filter=Q(state=Improvement.State.SELECTED)),
        ),
        "m_finding": _finding_firsts(scope),
        **_firsts(
            ProcessActionPlan.objects.filter(improvements__in=scope, approved_at__isnull=False),
            "improvements",
            m_approved=Min("approved_at"),
        ),
        **_firsts(
            AssetVersion.objects.filter(**{f"{traced}__in": scope}, released_at__isnull=False),
            traced,
            m_released=Min("released_at"),
        ),
    }
    common: dict[str, Any] = dict.fromkeys(by_improvement)
    if cases:
        rate, currency = CostRate.in_use()  # the same on every row: read once
        common.update(rate_in_use=rate, currency_in_use=currency)
    by_pk: dict[int, dict[str, Any]] = {}
    for row in rows:
        row.update(common)
        by_pk[row["pk"]] = row
    for name, found in by_improvement.items():
        for pk, value in found.items():
            if pk in by_pk:  # an improvement added since the rows were read is not there
                by_pk[pk][name] = value
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
    return round(float(median(values)), 1) if values else None


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


def cycle_times(rows: list[dict[str, Any]], period: Period, before: Period) -> dict[str, Any]:
    """The loop's segments and its cycle time, now and in the period before, from
    ``improvement_rows``. Every segment ends after the start: the milestones are worked
    out only for the improvements with one of those in either period."""
    periods = (period, before)
    zone = timezone.get_current_timezone()
    reached = {row["pk"]: _milestones(row, zone) for row in rows if _ends_in(row, periods, zone)}
    segments = []
    for first, last in pairwise(STEPS):
        segments.append(
            {
                "from": str(STEP_LABELS[first]),
                "to": str(STEP_LABELS[last]),
                **_figure(
                    _spans(reached, first, last, period), _spans(reached, first, last, before)
                ),
            }
        )
    first, last = CYCLE
    return {
        "segments": segments,
        "cycle": {
            "from": str(STEP_LABELS[first]),
            "to": str(STEP_LABELS[last]),
            **_figure(_spans(reached, first, last, period), _spans(reached, first, last, before)),
        },
    }


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
