"""Dashboard contributions (see opf.core.dashboard): the action-plan health panel
(plans on track, late or blocked; effort planned vs spent, GP 2.3; a burn-up of
the plans' action items), the "action items closed" momentum series and the "plans on
track" headline figure.

A plan belongs to the org unit of its owner; plans under way are the approved
and in-progress ones. Six queries, whatever the number of plans and items.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions.models import ActionItem, ProcessActionPlan
from opf.core import charts
from opf.core.dashboard import (
    PANEL_CHART_HEIGHT,
    PANEL_CHART_WIDTH,
    Headline,
    MonthlySeries,
    Panel,
    add_months,
    count_by_month,
)
from opf.organization.scope import DashboardFilter

UNDER_WAY = (ProcessActionPlan.State.APPROVED, ProcessActionPlan.State.IN_PROGRESS)
HEALTH = ("on_track", "late", "blocked")
SHOWN_PLANS = 10  # the plans with the most planned effort, in the effort chart


def plans_under_way(f: DashboardFilter) -> Any:
    return (
        ProcessActionPlan.objects.restrict(f.user, "view")
        .filter(state__in=UNDER_WAY)
        .filter(f.unit_q("owner__org_unit"))
    )


def health_of(blocked: int, late: int) -> str:
    """Blocked wins over late: a blocked item needs someone to act, not just to hurry."""
    return "blocked" if blocked else "late" if late else "on_track"


def build(f: DashboardFilter) -> dict[str, Any]:
    today = f.end
    plans = list(plans_under_way(f).values("pk", "title").order_by("pk"))
    open_ = Q(status__in=ActionItem.OPEN_STATUSES)
    per_plan = {
        row["plan"]: row
        for row in ActionItem.objects.filter(plan__in=[p["pk"] for p in plans])
        .values("plan")
        .annotate(
            blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
            late=Count("pk", filter=open_ & Q(due__lt=today)),
            planned=Sum("planned_effort"),
            spent=Sum("spent_effort"),
        )
        .order_by()
    }
    rows = []
    for plan in plans:
        figures = per_plan.get(plan["pk"], {})
        rows.append(
            {
                "title": plan["title"],
                "href": reverse("actions:processactionplan_detail", args=[plan["pk"]]),
                "health": health_of(figures.get("blocked", 0), figures.get("late", 0)),
                "planned": float(figures.get("planned") or 0),
                "spent": float(figures.get("spent") or 0),
            }
        )
    counts = {state: sum(1 for r in rows if r["health"] == state) for state in HEALTH}
    biggest = sorted(rows, key=lambda r: -r["planned"])[:SHOWN_PLANS]
    months = f.months()
    return {
        "href": reverse("actions:processactionplan_list") + "?state=in_progress",
        "counts": counts,
        "plans": [r for r in rows if r["health"] != "on_track"][:20],
        "effort": {
            "titles": [_short(r["title"]) for r in biggest],
            "hrefs": [r["href"] for r in biggest],
            "planned": [r["planned"] for r in biggest],
            "spent": [r["spent"] for r in biggest],
            "planned_total": sum(r["planned"] for r in rows),
            "spent_total": sum(r["spent"] for r in rows),
        },
        "months": [m.isoformat() for m in months],
        "burn_up": burn_up(f, [p["pk"] for p in plans], months),
    }


def _short(title: str, length: int = 24) -> str:
    """A plan's title short enough to label a bar (the data table keeps it whole)."""
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"


def burn_up(f: DashboardFilter, plan_ids: list[int], months: list[date]) -> dict[str, list[int]]:
    """Per month of the period: items due by the month's end (the scope line) and
    items done by then (the done line), for the plans under way."""
    items = ActionItem.objects.filter(plan__in=plan_ids).order_by()
    ends = [add_months(m, 1) for m in months]

    def cumulative(field: str, extra: Q) -> list[int]:
        before = items.filter(extra, **{f"{field}__lt": months[0]}).count() if months else 0
        per_month = (
            dict(
                items.filter(extra, **{f"{field}__gte": months[0], f"{field}__lt": ends[-1]})
                .annotate(month=TruncMonth(field))
                .values_list("month")
                .annotate(n=Count("pk"))
            )
            if months
            else {}
        )
        total, line = before, []
        for month in months:
            total += next((n for m, n in per_month.items() if _day(m) == month), 0)
            line.append(total)
        return line

    return {
        "scope": cumulative("due", Q()),
        "done": cumulative("done_on", Q(status=ActionItem.Status.DONE)),
    }


def _day(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    effort = figures["effort"]
    labels = [m[:7] for m in figures["months"]]
    return {
        "effort": charts.bar_chart(
            _("Effort planned and spent (hours)"),
            effort["titles"],
            [
                charts.Series(_("Planned"), effort["planned"]),
                charts.Series(_("Spent"), effort["spent"]),
            ],
            x_label=_("Plan"),
            y_label=_("Hours"),
            hrefs=effort["hrefs"],
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        ),
        "burn_up": charts.line_chart(
            _("Action items: scope and done"),
            labels,
            [
                charts.Series(_("Due by then"), figures["burn_up"]["scope"]),
                charts.Series(_("Done by then"), figures["burn_up"]["done"]),
            ],
            x_label=_("Month"),
            y_label=_("Action items"),
            y_min=0,
            width=PANEL_CHART_WIDTH,
            height=PANEL_CHART_HEIGHT,
        ),
    }


def items_closed(f: DashboardFilter) -> dict[date, int]:
    done = ActionItem.objects.restrict(f.user, "view").filter(
        Q(status=ActionItem.Status.DONE) & f.unit_q("plan__owner__org_unit")
    )
    return count_by_month(done, "done_on", f)


def _late_on(day: date) -> Q:
    """Open at the end of ``day`` (not done, or done later) and due before it."""
    not_done = Q(status__in=ActionItem.OPEN_STATUSES) | Q(
        status=ActionItem.Status.DONE, done_on__gt=day
    )
    return not_done & Q(due__lt=day)


def on_track_figure(f: DashboardFilter) -> dict[str, Any]:
    """Plans under way with no blocked item and no late one (the health panel's rule),
    now and at the end of the period before. Whether an item was blocked then is not
    dated, so the earlier figure counts late items only. Two queries."""
    day_before = f.start - timedelta(days=1)
    plans = list(plans_under_way(f).values_list("pk", flat=True).order_by())
    per_plan = (
        ActionItem.objects.filter(plan__in=plans)
        .values("plan")
        .annotate(
            blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
            late=Count("pk", filter=_late_on(f.end)),
            late_before=Count("pk", filter=_late_on(day_before)),
        )
        .order_by()
    )
    troubled = {row["plan"] for row in per_plan if row["blocked"] or row["late"]}
    troubled_before = {row["plan"] for row in per_plan if row["late_before"]}
    return {
        "value": len(plans) - len(troubled) if plans else None,  # none under way: no figure
        "of": len(plans) if plans else None,
        "previous": len(plans) - len(troubled_before) if plans else None,
        "better": "higher",
        "note": _("plans under way, none late or blocked"),
        "href": reverse("actions:processactionplan_list") + "?state=in_progress",
    }


HEADLINES = [
    Headline(
        "plans-on-track",
        _lazy("Plans on track"),
        on_track_figure,
        order=40,
        perm="actions.view_processactionplan",
    )
]

PANELS = [
    Panel(
        "plan-health",
        _lazy("Action plan health"),
        "actions/dashboard/health.html",
        build,
        order=30,
        perm="actions.view_processactionplan",
        charts=draw,
    )
]
MOMENTUM = [
    MonthlySeries(
        _lazy("Action items closed"),
        items_closed,
        href=reverse_lazy("actions:actionitem_list") + "?status=done",
    )
]
