"""Dashboard contributions (see opf.core.dashboard): the action-plan health panel
(plans on track, late or blocked; effort planned vs spent, GP 2.3; a burn-up of
the plans' action items), the "action items closed" momentum series and the "plans on
track" headline figure.

A plan belongs to the org unit of its owner; plans under way are the approved
and in-progress ones. The panel makes four queries and the headline one, whatever
the number of plans and items.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
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
    once,
)
from opf.organization.scope import DashboardFilter

UNDER_WAY = (ProcessActionPlan.State.APPROVED, ProcessActionPlan.State.IN_PROGRESS)
HEALTH = ("on_track", "late", "blocked")
SHOWN_PLANS = 10  # the plans with the most planned effort, in the effort chart
NO_ITEMS = [0, 0, None, None]  # a plan's figures without any item: blocked, late, efforts
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


def _items(extra: Q | None = None) -> Any:
    """The items of the plan of the outer query (``OuterRef``), ``extra`` ones only."""
    return ActionItem.objects.filter(extra or Q(), plan=OuterRef("pk")).order_by()


def build(f: DashboardFilter) -> dict[str, Any]:
    """The panel's figures. Each plan's items are counted and summed in the database
    (one row per plan: no item is read); a plan's title and link are made for the
    plans the panel lists only (#24: 1,000 plans at scale 10). The plans are passed
    to the items' queries as a list of keys: PostgreSQL filters the items' scan with
    it, where a subquery cost a hash join (twice as slow at scale 10)."""
    today = f.end
    plans = list(plans_under_way(f).values_list("pk", flat=True).order_by("pk"))
    open_ = Q(status__in=ActionItem.OPEN_STATUSES)
    per_plan = {
        plan: figures
        for plan, *figures in ActionItem.objects.filter(plan__in=plans)
        .values_list("plan")
        .annotate(
            blocked=Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
            late=Count("pk", filter=open_ & Q(due__lt=today)),
            planned=Sum("planned_effort"),
            spent=Sum("spent_effort"),
        )
        .order_by()
    }
    rows = [
        {
            "pk": pk,
            "health": health_of(blocked, late),
            "planned": float(planned or 0),
            "spent": float(spent or 0),
        }
        for pk, (blocked, late, planned, spent) in (
            (pk, per_plan.get(pk, NO_ITEMS)) for pk in plans
        )
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
        "burn_up": burn_up(f, plans, months),
    }


def _short(title: str, length: int = 24) -> str:
    """A plan's title short enough to label a bar (the data table keeps it whole)."""
    return title if len(title) <= length else title[: length - 1].rstrip() + "…"


def burn_up(f: DashboardFilter, plan_ids: list[int], months: list[date]) -> dict[str, list[int]]:
    """Per month of the period: items due by the month's end (the scope line) and
    items done by then (the done line), for the plans under way. One query for both
    lines: the items counted per month they fell due and month they were done (a few
    dozen pairs), the months before the period summed into the lines' start."""
    if not months:
        return {"scope": [], "done": []}
    end = add_months(months[-1], 1)
    done = Q(status=ActionItem.Status.DONE)
    pairs = (
        ActionItem.objects.filter(plan__in=plan_ids)
        .filter(Q(due__lt=end) | done & Q(done_on__lt=end))
        .annotate(
            due_month=TruncMonth("due"),
            done_month=TruncMonth(Case(When(done, then=F("done_on")))),
        )
        .values_list("due_month", "done_month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    scope: dict[date, int] = {}
    done_: dict[date, int] = {}
    for due_month, done_month, n in pairs:
        for per_month, month in ((scope, due_month), (done_, done_month)):
            if month is not None and _day(month) < end:
                per_month[_day(month)] = per_month.get(_day(month), 0) + n

    def cumulative(per_month: dict[date, int]) -> list[int]:
        total = sum(n for month, n in per_month.items() if month < months[0])
        line = []
        for month in months:
            total += per_month.get(month, 0)
            line.append(total)
        return line

    return {"scope": cumulative(scope), "done": cumulative(done_)}


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
        return count_by_month(done, "done_on", f)

    return dict(once(f, "actions:items-closed", count))


def _late_on(day: date) -> Q:
    """Open at the end of ``day`` (not done, or done later) and due before it."""
    not_done = Q(status__in=ActionItem.OPEN_STATUSES) | Q(
        status=ActionItem.Status.DONE, done_on__gt=day
    )
    return not_done & Q(due__lt=day)


def on_track_figure(f: DashboardFilter) -> dict[str, Any]:
    """Plans under way with no blocked item and no late one (the health panel's rule),
    now and at the end of the period before. Whether an item was blocked then is not
    dated, so the earlier figure counts late items only. One query: each plan's items
    are asked with EXISTS, none is read."""
    day_before = f.start - timedelta(days=1)
    blocked = Exists(_items(Q(status=ActionItem.Status.BLOCKED)))
    figures = plans_under_way(f).aggregate(
        of=Count("pk"),
        troubled=Count("pk", filter=Q(blocked) | Q(Exists(_items(_late_on(f.end))))),
        troubled_before=Count("pk", filter=Q(Exists(_items(_late_on(day_before))))),
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
