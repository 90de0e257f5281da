"""Reads of the action-plan pages: plan page, board and timeline (what waits for a
person is in ``actions.worklist``).

Each function runs a fixed number of queries, whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from actions.models import ActionItem, Milestone, ProcessActionPlan
from actions.services import Progress, plan_progress

if TYPE_CHECKING:
    pass


def plan_items(plan: ProcessActionPlan) -> QuerySet[ActionItem]:
    return plan.items.select_related("assignee", "milestone").order_by("due", "pk")


@dataclass
class BoardColumn:
    status: str
    label: Any
    items: list[ActionItem] = field(default_factory=list)


def board_columns(items: list[ActionItem]) -> list[BoardColumn]:
    columns = {value: BoardColumn(value, label) for value, label in ActionItem.Status.choices}
    for item in items:
        columns[item.status].items.append(item)
    return list(columns.values())


# --- timeline (inline SVG: x/y attributes, no style attributes under the CSP) -----

LABEL_WIDTH = 220
AXIS_WIDTH = 560
ROW_HEIGHT = 22
TOP = 28


@dataclass(frozen=True)
class TimelineRow:
    label: str
    url: str
    kind: str  # "milestone" or "item"
    x: int
    y: int
    late: bool
    done: bool
    when: date


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    ticks: list[tuple[int, str]]
    today_x: int | None
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def timeline(milestones: list[Milestone], items: list[ActionItem], today: date) -> Timeline | None:
    """Milestones and dated items on one date axis, earliest first."""
    dated: list[tuple[date, str, Any]] = [(m.due, "milestone", m) for m in milestones]
    dated += [(i.due, "item", i) for i in items if i.due is not None]
    if not dated:
        return None
    dated.sort(key=lambda row: (row[0], row[1] != "milestone", row[2].pk))
    first = min(dated[0][0], today)
    last = max(dated[-1][0], today)
    span = max((last - first).days, 1)

    def x_of(day: date) -> int:
        return LABEL_WIDTH + round((day - first).days * AXIS_WIDTH / span)

    rows = []
    for index, (day, kind, obj) in enumerate(dated):
        done = obj.done if kind == "milestone" else obj.status == ActionItem.Status.DONE
        rows.append(
            TimelineRow(
                label=str(obj)[:32],
                url=obj.get_absolute_url(),
                kind=kind,
                x=x_of(day),
                y=TOP + index * ROW_HEIGHT,
                late=not done and day < today,
                done=done,
                when=day,
            )
        )
    ticks = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            ticks.append((x_of(month), month.strftime("%Y-%m")))
        month = (month + timedelta(days=32)).replace(day=1)
    if not ticks:
        ticks.append((x_of(first), first.isoformat()))
    return Timeline(
        rows=rows,
        ticks=ticks,
        today_x=x_of(today),
        width=LABEL_WIDTH + AXIS_WIDTH + 20,
        height=TOP + len(rows) * ROW_HEIGHT + 10,
    )


def plan_page(plan: ProcessActionPlan, today: date) -> dict[str, Any]:
    """Everything the plan page shows, in a fixed number of queries."""
    items = list(plan_items(plan))
    for item in items:
        item.late = item.is_late(today)
    milestones = list(plan.milestones.all())
    progress: Progress = plan_progress(items)
    return {
        "items": items,
        "late_count": sum(1 for i in items if i.late),
        "milestones": milestones,
        "progress": progress,
        "timeline": timeline(milestones, items, today),
        "improvements": list(plan.improvements.all()),
        "team": list(plan.team.select_related("user")),
        "reviews": list(plan.reviews.select_related("reviewer")),
        "commitments": list(plan.commitments.all()),
        "issues": list(plan.issues.select_related("owner")),
        "meetings": list(plan.meetings.all()),
        "pilots": list(plan.pilots.all()),
    }


def board(plan: ProcessActionPlan, today: date) -> list[BoardColumn]:
    items = list(plan_items(plan))
    for item in items:
        item.late = item.is_late(today)
    return board_columns(items)
