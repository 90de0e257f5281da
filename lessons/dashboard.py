"""Dashboard contributions (see opf.core.dashboard): the compliance panel (rate per
month of the completed audits, open non-compliances by age and severity) and
the "proposals accepted" momentum series; the "compliance rate" and "open
non-compliances" headline figures; and the improvement funnel (``deployment``'s, with
its last stage, "deployed and effective", judged by the measured effect); and the
program's measures of its own process (``lessons.process_measures``: cycle times along
the loop, approval waits, severity-weighted compliance), here because the loop spans
every lifecycle app and this is the last of them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions.business_case import PortfolioSums
from actions.models import Improvement
from deployment.dashboard import LaterStage, build_funnel, draw_funnel
from lessons import case_sums, process_measures, queries
from lessons.effect_queries import effective_ids
from lessons.models import ImprovementProposal, NonCompliance
from lessons.models.audits import compliance_score
from opf.core import charts
from opf.core.dashboard import (
    PANEL_CHART_HEIGHT,
    PANEL_CHART_WIDTH,
    Headline,
    MonthlySeries,
    Panel,
    count_by_month,
    figures_key,
    month_start,
    once,
    previous_period,
)
from opf.core.freshness import cached
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter, of_projects


def build(f: DashboardFilter) -> dict[str, Any]:
    """Two queries: the items of the audits completed each day of the period and the
    one before (``audit_days``, shared with the compliance rate headline), for the rate
    per month and the severity-weighted compliance of both periods
    (``lessons.process_measures``); and open NCs by severity and age. Archived audits
    and non-compliances are left out, as every figure leaves them out
    (``opf.core.archive``): the headlines and the compliance page do too."""
    projects = f.projects()
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, row in audit_days(f).items():
        if f.start <= day <= f.end:
            month = month_start(day)
            counts[month][0] += row["ok"]
            counts[month][1] += sum(row[s] for s in NonCompliance.Severity.values)
    months = f.months()
    rates = [compliance_score(*counts[m]) if m in counts else None for m in months]
    open_ncs = NonCompliance.objects.filter(
        of_projects("project", projects),
        state__in=NonCompliance.OPEN_STATES,
        archived_at__isnull=True,
    )
    aging, overdue = queries.open_ncs_by_age(open_ncs, f.end)
    labels = dict(NonCompliance.Severity.choices)
    return {
        "href": reverse("lessons:compliance"),
        "nc_href": reverse("lessons:noncompliance_list"),
        "months": [m.isoformat() for m in months],
        "rates": [float(r) if r is not None else None for r in rates],
        "bands": [label for _limit, label in queries.AGE_BANDS],
        "aging": [
            {"severity": str(labels[s]), "counts": list(aging[s].values())}
            for s in NonCompliance.Severity.values
        ],
        "open_total": sum(sum(a.values()) for a in aging.values()),
        "overdue": overdue,
        "weighted": process_measures.weighted_compliance(audit_counts(f)),
    }


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    return {
        "rate": charts.line_chart(
            _("Process compliance"),
            [m[:7] for m in figures["months"]],
            [charts.Series(_("Compliant items (%)"), figures["rates"])],
            x_label=_("Month"),
            y_label="%",
            y_min=0,
            y_max=100,
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        ),
        "aging": charts.bar_chart(
            _("Open non-compliances by age (days)"),
            figures["bands"],
            [charts.Series(a["severity"], a["counts"]) for a in figures["aging"]],
            x_label=_("Age (days)"),
            y_label=_("Open non-compliances"),
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        ),
    }


def proposals_accepted(f: DashboardFilter) -> dict[date, int]:
    accepted = ImprovementProposal.objects.restrict(f.user, "view").filter(
        state=ImprovementProposal.State.ACCEPTED
    )
    return count_by_month(accepted, "decided_on", f)


def audit_days(f: DashboardFilter) -> dict[date, Any]:
    """The completed audits' items per day of the period and the one before
    (``process_measures.audit_counts_by_day``): one query, a row per day, shared by the
    compliance rate, its months and the severity-weighted compliance."""
    before = previous_period(f)
    return once(
        f,
        "lessons.audit_days",
        lambda: process_measures.audit_counts_by_day(f.projects(), before.start, f.end),
    )


def audit_counts(f: DashboardFilter) -> dict[str, int]:
    """The completed audits' items of the period and the one before, compliant and
    non-compliant by severity (``process_measures.period_counts``), from ``audit_days``."""
    before = previous_period(f)
    return process_measures.period_counts(
        audit_days(f),
        process_measures.Period(f.start, f.end),
        process_measures.Period(before.start, before.end),
    )


def compliance_figure(f: DashboardFilter) -> dict[str, Any]:
    """Compliant ÷ (compliant + non-compliant) items of the audits completed in the
    period, and in the period before (one query, shared with the program's process)."""
    counts = audit_counts(f)

    def rate(name: str) -> Decimal | None:
        bad = sum(counts[f"{name}_{s}"] for s in NonCompliance.Severity.values)
        return compliance_score(counts[f"{name}_ok"], bad)

    now, then = rate("now"), rate("before")
    return {
        "value": float(now) if now is not None else None,
        "unit": "%",
        "previous": float(then) if then is not None else None,
        "better": "higher",
        "note": _("of the audited items compliant"),
        "href": reverse("lessons:complianceaudit_list") + "?state=completed",
    }


def _open_on(day: date) -> Q:
    """Open at the end of ``day``: opened by then and neither closed since (the closing
    date) nor, if still open now, anything else. A verification is not dated, so a
    non-compliance verified but not closed counts as closed."""
    opened = Q(opened_on__lte=day)
    still_open = Q(state__in=NonCompliance.OPEN_STATES)
    closed_later = Q(closed_on__gt=day)
    return opened & (still_open | closed_later)


def open_ncs_figure(f: DashboardFilter) -> dict[str, Any]:
    """Non-compliances open at the end of the period and at the end of the one before
    (one query)."""
    day_before = f.start - timedelta(days=1)
    counts = NonCompliance.objects.filter(
        of_projects("project", f.projects()), archived_at__isnull=True
    ).aggregate(
        now=Count("pk", filter=_open_on(f.end)),
        before=Count("pk", filter=_open_on(day_before)),
    )
    query = "?open=true" + (f"&org_unit={f.org_unit.pk}" if f.org_unit else "")
    return {
        "value": counts["now"],
        "previous": counts["before"],
        "better": "lower",
        "note": _("open or in correction"),
        "href": reverse("lessons:noncompliance_list") + query,
    }


HEADLINES = [
    Headline(
        "compliance",
        _lazy("Compliance rate"),
        compliance_figure,
        order=30,
        perm="lessons.view_complianceaudit",
    ),
    Headline(
        "open-non-compliances",
        _lazy("Open non-compliances"),
        open_ncs_figure,
        order=50,
        perm="lessons.view_noncompliance",
    ),
]


def _measured(improvements: Any) -> Any:
    """Only an improvement whose business case names a benefit measure can show an effect
    (``effect_queries.effective_ids``): the funnel asks about those alone."""
    return improvements.filter(benefit_measure__isnull=False)


EFFECTIVE_STAGE = LaterStage(
    "effective",
    _lazy("Deployed and effective"),
    effective_ids,
    short=_lazy("Effective"),
    among=_measured,
)


def build_effective_funnel(f: DashboardFilter) -> dict[str, Any]:
    """The funnel, with the improvements whose measured effect is shown as its last stage
    (``lessons.measured_effect``; the median days there are not counted); with how fast
    the loop runs (``loop``: its cycle time and segments, #19) and what the improvements
    are worth (``case``: the business case summed)."""
    # The loop and the business case read no deployment (the milestones are stored on
    # the improvements): each is kept on its own, so a deployment update that computes
    # the stages again (the measured effect reads deployments) reads them from the cache.
    key = (*figures_key(f), "funnel")
    return {
        **build_funnel(f, EFFECTIVE_STAGE),
        "loop": cached((*key, "loop"), lambda: cycle_time_figures(f)),
        "case": cached((*key, "case"), lambda: business_case_figures(f)),
    }


def improvements_in_scope(f: DashboardFilter) -> Any:
    """The improvements the user may see; with an org unit chosen, those that came
    from findings in its subtree (the funnel's rule)."""
    improvements = restrict(Improvement._default_manager.all(), f.user)
    if f.org_unit is not None:
        improvements = improvements.filter(
            f.unit_q("findings__org_unit") | f.unit_q("findings__project__org_unit")
        ).distinct()
    return improvements


def improvement_rows(f: DashboardFilter) -> list[dict[str, Any]]:
    """The improvements in scope with their milestones and business cases: a fixed
    number of queries, shared by the cycle time and the business case (and read once
    per filter)."""
    return once(
        f,
        "lessons.improvement_rows",
        lambda: process_measures.improvement_rows(improvements_in_scope(f)),
    )


def cycle_time_figures(f: DashboardFilter) -> dict[str, Any]:
    """The loop's cycle time and its segments (``lessons.process_measures``), in the
    period and the one before."""
    before = previous_period(f)
    return process_measures.loop_figures(
        improvements_in_scope(f),
        process_measures.Period(f.start, f.end),
        process_measures.Period(before.start, before.end),
    )


TOP_BY_RETURN = 5


def _money(value: Decimal | None) -> int | None:
    return int(value.quantize(Decimal("1"))) if value is not None else None


def business_case_figures(f: DashboardFilter) -> dict[str, Any]:
    """The business cases (``actions.business_case``) of the improvements in scope: those
    selected, in action or implemented summed (cost, benefit a year, return, payback,
    ratio; actual cost from the plans' spent effort against their estimate), the
    candidates' sums, and the improvements with the highest expected return. Summed in
    the database (``lessons.case_sums``: a fixed number of statements, whatever the
    number of improvements); on SQLite from the rows the cycle time reads
    (``improvement_rows``)."""
    found = case_sums.cases(improvements_in_scope(f), lambda: improvement_rows(f), TOP_BY_RETURN)
    labels = dict(Improvement.State.choices)
    detail = Improvement.url_name("detail")

    def sums(portfolio: PortfolioSums) -> dict[str, Any]:
        total = portfolio.total
        return {
            "count": portfolio.count,
            "cost": _money(total.cost),
            "benefit": _money(total.annual_benefit),
            "return": _money(total.expected_return),
            "payback_months": float(total.payback_months)
            if total.payback_months is not None
            else None,
            "ratio": float(total.ratio) if total.ratio is not None else None,
            "actual_cost": _money(portfolio.actual_cost),
            "estimated_cost_of_spent": _money(portfolio.estimated_cost_of_spent),
        }

    return {
        "currency": found.currency,
        "committed": sums(found.committed),
        "committed_without_case": found.committed_without_case,
        "candidates": sums(found.candidates),
        "top": [
            {
                "title": row["title"],
                "href": reverse(detail, args=[row["pk"]]),
                "state": str(labels.get(row["state"], row["state"])),
                "cost": _money(case.cost),
                "benefit": _money(case.annual_benefit),
                "return": _money(case.expected_return),
                "payback_months": float(case.payback_months)
                if case.payback_months is not None
                else None,
                "actual_cost": _money(case.actual_cost),
            }
            for row, case in found.top
        ],
    }


PANELS = [
    Panel(
        "funnel",
        _lazy("Improvement funnel"),
        "lessons/dashboard/funnel.html",
        build_effective_funnel,
        order=20,
        perm="actions.view_improvement",
        charts=draw_funnel,
    ),
    Panel(
        "compliance",
        _lazy("Process compliance"),
        "lessons/dashboard/compliance.html",
        build,
        order=50,
        perm="lessons.view_complianceaudit",
        charts=draw,
    ),
]
MOMENTUM = [
    MonthlySeries(
        _lazy("Proposals accepted"),
        proposals_accepted,
        href=reverse_lazy("lessons:improvementproposal_list"),
    )
]
