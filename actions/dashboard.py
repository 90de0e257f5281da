"""Dashboard contributions (see opf.core.dashboard): the action-plan health panel
(plans on track, late or blocked; effort planned vs spent, GP 2.3; a burn-up of
the plans' action items), the "action items closed" momentum series and the "plans on
track" headline figure.

A plan belongs to the org unit of its owner; plans under way are the approved
and in-progress ones. The figures are read from what ``actions.item_figures`` keeps
per plan (its items' counts and sums, per plan and per month: #24, 150,000 items at
scale 10), counted again whenever an item is written, never from the items
themselves: the panel makes three queries, the headline one and the series one,
whatever the number of plans and items.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from actions.models import (
    ActionItem,
    PlanItemMonth,
    PlanLateSpan,
    ProcessActionPlan,
)
from opf.core import charts, freshness
from opf.core.dashboard import (
    PANEL_CHART_HEIGHT,
    PANEL_CHART_WIDTH,
    Headline,
    MonthlySeries,
    Panel,
    add_months,
    count_by_month,
    month_start,
    once,
)
from opf.core.permissions import ALL, perm_name, scope
from opf.organization.scope import DashboardFilter

UNDER_WAY = (ProcessActionPlan.State.APPROVED, ProcessActionPlan.State.IN_PROGRESS)
HEALTH = ("on_track", "late", "blocked")
SHOWN_PLANS = 10  # the plans with the most planned effort, in the effort chart
SHOWN_FIELDS = ("title", "href", "health", "planned", "spent")  # a listed plan's


def plans_under_way(f: DashboardFilter) -> Any:
    return (
        ProcessActionPlan.objects.restrict(f.user, "view")
        .filter(state__in=UNDER_WAY)
        .filter(f.unit_q("owner__org_unit"))
    )


def health_of(blocked: int, late: int) -> str:
    """Blocked wins over late: a blocked item needs someone to act, not just to hurry."""
    return "blocked" if blocked else "late" if late else "on_track"


def _read_from_items() -> None:
    """The kept figures are the items': a figure that reads them is kept (cached)
    until the items or the plans are written."""
    freshness.note_read([ActionItem._meta.db_table, ProcessActionPlan._meta.db_table])


def build(f: DashboardFilter) -> dict[str, Any]:
    """The panel's figures, from each plan's kept figures (``actions.item_figures``):
    one row per plan under way, none of its items read; a plan's title and link are
    made for the plans the panel lists only (#24: 1,000 plans at scale 10). A plan
    is late when one of its open items was due before the end of the period."""
    _read_from_items()
    today = f.end
    kept = "item_figures__"
    plans = list(
        plans_under_way(f)
        .values_list("pk", f"{kept}blocked", f"{kept}open_due", f"{kept}planned", f"{kept}spent")
        .order_by("pk")
    )
    rows = [
        {
            "pk": pk,
            "health": health_of(blocked or 0, open_due is not None and open_due < today),
            "planned": float(planned or 0),
            "spent": float(spent or 0),
        }
        for pk, blocked, open_due, planned, spent in plans
    ]
    counts = {state: sum(1 for r in rows if r["health"] == state) for state in HEALTH}
    listed = [r for r in rows if r["health"] != "on_track"][:20]
    biggest = sorted(rows, key=lambda r: -r["planned"])[:SHOWN_PLANS]
    titles = dict(
        ProcessActionPlan.objects.filter(pk__in={r["pk"] for r in listed + biggest})
        .values_list("pk", "title")
        .order_by()
    )
    for r in listed + biggest:
        r["title"] = titles[r["pk"]]
        r["href"] = reverse("actions:processactionplan_detail", args=[r["pk"]])
    months = f.months()
    return {
        "href": reverse("actions:processactionplan_list") + "?state=in_progress",
        "counts": counts,
        "plans": [{key: r[key] for key in SHOWN_FIELDS} for r in listed],
        "effort": {
            "titles": [_short(r["title"]) for r in biggest],
            "hrefs": [r["href"] for r in biggest],
            "planned": [r["planned"] for r in biggest],
            "spent": [r["spent"] for r in biggest],
            "planned_total": sum(r["planned"] for r in rows),
            "spent_total": sum(r["spent"] for r in rows),
        },
        "months": [m.isoformat() for m in months],
        "burn_up": burn_up(f, plans_under_way(f).values("pk"), months),
    }


def _short(title: str, length: int = 24) -> str:
    """A plan's title short enough to label a bar (the data table keeps it whole)."""
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"


def burn_up(f: DashboardFilter, plans: Any, months: list[date]) -> dict[str, list[int]]:
    """Per month of the period: items due by the month's end (the scope line) and
    items done by then (the done line), for ``plans`` (a query of their keys: the
    plans under way). One query over the plans' kept counts per month
    (``PlanItemMonth``), the months before the period summed into the lines' start."""
    if not months:
        return {"scope": [], "done": []}
    end = add_months(months[-1], 1)
    pairs = (
        PlanItemMonth.objects.filter(plan__in=plans, month__lt=end)
        .values_list("month")
        .annotate(due=Sum("due"), done=Sum("done"))
        .order_by()
    )
    scope_: dict[date, int] = {}
    done_: dict[date, int] = {}
    for month, due, done in pairs:
        scope_[_day(month)] = due
        done_[_day(month)] = done

    def cumulative(per_month: dict[date, int]) -> list[int]:
        total = sum(n for month, n in per_month.items() if month < months[0])
        line = []
        for month in months:
            total += per_month.get(month, 0)
            line.append(total)
        return line

    return {"scope": cumulative(scope_), "done": cumulative(done_)}


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
    """Items done per month of the period, in the plans of the org unit; read once per
    filter (the momentum panel and its headline figure ask the same)."""

    def count() -> dict[date, int]:
        done = ActionItem.objects.restrict(f.user, "view").filter(
            Q(status=ActionItem.Status.DONE) & f.unit_q("plan__owner__org_unit")
        )
        if scope(f.user, perm_name(ActionItem, "view")) != ALL:
            return count_by_month(done, "done_on", f)  # their own items: a few
        return _closed_per_month(f, done)

    return dict(once(f, "actions:items-closed", count))


def _closed_per_month(f: DashboardFilter, done: Any) -> dict[date, int]:
    """``count_by_month(done, "done_on", f)`` for someone who sees every item, from the
    plans' kept counts per month: the months of the period whole, less the items done
    in their days outside it (a period starting or ending within a month). One query."""
    _read_from_items()
    if f.start > f.end:
        return {}
    first, after = month_start(f.start), add_months(month_start(f.end), 1)
    whole = (
        PlanItemMonth.objects.filter(f.unit_q("plan__owner__org_unit"))
        .filter(month__gte=first, month__lt=after, done__gt=0)
        .values_list("month")
        .annotate(n=Sum("done"))
        .order_by()
    )
    outside = (
        done.filter(
            Q(done_on__gte=first, done_on__lt=f.start) | Q(done_on__gt=f.end, done_on__lt=after)
        )
        .annotate(month=TruncMonth("done_on"))
        .values_list("month")
        .annotate(n=-Count("pk"))
        .order_by()
    )
    counts: dict[date, int] = {}
    for month, n in whole.union(outside, all=True):
        counts[_day(month)] = counts.get(_day(month), 0) + n
    return {month: n for month, n in sorted(counts.items()) if n}


def _late_on(day: date) -> Q:
    """A plan with an item open at the end of ``day`` (not done, or done later) and
    due before it: an open one due earlier (its kept figures), or one done later (a
    kept span of days it was overdue holds the day)."""
    done_late = Exists(
        PlanLateSpan.objects.filter(plan=OuterRef("pk"), after__lt=day, until__gt=day)
    )
    return Q(item_figures__open_due__lt=day) | Q(done_late)


def on_track_figure(f: DashboardFilter) -> dict[str, Any]:
    """Plans under way with no blocked item and no late one (the health panel's rule),
    now and at the end of the period before. Whether an item was blocked then is not
    dated, so the earlier figure counts late items only. One query over the plans'
    kept figures, no item read."""
    _read_from_items()
    day_before = f.start - timedelta(days=1)
    blocked = Q(item_figures__blocked__gt=0)
    figures = plans_under_way(f).aggregate(
        of=Count("pk"),
        troubled=Count("pk", filter=blocked | _late_on(f.end)),
        troubled_before=Count("pk", filter=_late_on(day_before)),
    )
    plans = figures["of"] or None  # none under way: no figure
    return {
        "value": plans - figures["troubled"] if plans else None,
        "of": plans,
        "previous": plans - figures["troubled_before"] if plans else None,
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
