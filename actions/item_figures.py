"""Each action plan's item figures, counted in the database and kept (#24: 150,000
items at scale 10), so the dashboard (``actions.dashboard``) reads a few rows per plan
instead of every item:

- ``PlanItemFigures``, a row per plan: its items, blocked items, the earliest due
  date of an open item (late on any day after it: the row does not depend on the
  date), planned and spent effort;
- ``PlanItemMonth``, a row per plan and month: the items due in it, and those done
  in it (the burn-up, the "action items closed" series);
- ``PlanLateSpan``: the days a plan had an item overdue that is done now (the "plans
  on track" headline at an earlier date).

The rules stay the dashboard's; what is kept is the items' plain counts and sums, so
a plan's state, owner and org unit are read when the figures are read (a plan
approved, cancelled or handed over needs nothing counted again).

A plan is counted again, in SQL, as soon as one of its items is written: saved or
deleted (the signals below; an item moved to another plan: both plans) or moved along
its workflow (``transitioned``, an ``update()``); whoever writes items in bulk or
without signals calls :func:`recount` (the dataset builder, the demo, a restore).
A recount first locks the plans' rows (inserting a missing one), in a statement of
its own, so two writers of one plan's items each count what the other committed, as
``lessons.compliance_counts`` does for audits. A plan deleted takes its rows along
(``CASCADE``).

Worked example: a plan with a blocked item due 3 March, a to-do item due 20 March
(2 and 1 hours planned) and an item due 1 February done 10 March keeps items 3,
blocked 1, open due 3 March, planned 3; months February (due 1), March (due 2, done
1); a late span 1 February .. 10 March. It is blocked; on 5 March it would also be
late; on 15 February it was late too (the span).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.db.models import QuerySet

from actions.models import (
    ActionItem,
    PlanItemFigures,
    PlanItemMonth,
    PlanLateSpan,
    ProcessActionPlan,
)
from opf.core import freshness

OPEN = [str(s) for s in ActionItem.OPEN_STATUSES]
DONE = ActionItem.Status.DONE.value
BLOCKED = ActionItem.Status.BLOCKED.value

# The plans' rows, made if missing and locked: a writer of the same plans waits here
# until this transaction ends, then counts what it committed.
_LOCK = """
INSERT INTO {figures} (plan_id, items, blocked, open_due, planned, spent)
SELECT p.id, 0, 0, NULL, 0, 0 FROM {plan} p WHERE {plans} ORDER BY p.id
ON CONFLICT (plan_id) DO UPDATE SET items = {figures}.items
"""

_SUMS = """
UPDATE {figures} SET
  items = (SELECT COUNT(*) FROM {item} i WHERE i.plan_id = {figures}.plan_id),
  blocked = (SELECT COUNT(*) FROM {item} i
    WHERE i.plan_id = {figures}.plan_id AND i.status = %s),
  open_due = (SELECT MIN(i.due) FROM {item} i
    WHERE i.plan_id = {figures}.plan_id AND i.status IN (%s, %s, %s)),
  planned = COALESCE((SELECT SUM(i.planned_effort) FROM {item} i
    WHERE i.plan_id = {figures}.plan_id), 0),
  spent = COALESCE((SELECT SUM(i.spent_effort) FROM {item} i
    WHERE i.plan_id = {figures}.plan_id), 0)
WHERE {kept}
"""

_MONTHS = """
INSERT INTO {months} (plan_id, month, due, done)
SELECT plan_id, month, SUM(due), SUM(done) FROM (
  SELECT i.plan_id AS plan_id, {due_month} AS month, 1 AS due, 0 AS done
  FROM {item} i WHERE {items} AND i.due IS NOT NULL
  UNION ALL
  SELECT i.plan_id, {done_month}, 0, 1
  FROM {item} i WHERE {items} AND i.status = %s AND i.done_on IS NOT NULL
) counted GROUP BY plan_id, month
"""

# Items done after their due date were late on the days in between: their spans
# (due, done_on), sorted, merged while one starts before the latest end so far.
_SPANS = """
INSERT INTO {spans} (plan_id, after, until)
SELECT plan_id, MIN(a), MAX(b) FROM (
  SELECT plan_id, a, b, SUM(starts) OVER (
    PARTITION BY plan_id ORDER BY a, b, id ROWS UNBOUNDED PRECEDING) AS span
  FROM (
    SELECT i.plan_id AS plan_id, i.due AS a, i.done_on AS b, i.id AS id,
      CASE WHEN i.due < MAX(i.done_on) OVER (
        PARTITION BY i.plan_id ORDER BY i.due, i.done_on, i.id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts
    FROM {item} i WHERE {items} AND i.status = %s AND i.done_on > i.due
  ) late
) merged GROUP BY plan_id, span
"""


_FORGET = "DELETE FROM {table} WHERE {kept}"


def tables() -> dict[str, str]:
    return freshness.table_names(
        figures=PlanItemFigures,
        months=PlanItemMonth,
        spans=PlanLateSpan,
        plan=ProcessActionPlan,
        item=ActionItem,
    )


def _month_of(column: str, vendor: str) -> str:
    if vendor == "sqlite":
        return f"DATE({column}, 'start of month')"
    return f"CAST(DATE_TRUNC('month', {column}) AS date)"


def recount(plan_ids: Iterable[int | None] | None = None, connection: Any = None) -> None:
    """Count these plans' items again (every plan's when None), at once: the plans'
    rows locked, then one statement per kept table (six in all)."""
    connection = connection or default_connection
    keys = freshness.Keys.of(plan_ids)
    if not keys:
        return
    where = keys.where

    names = tables()
    plans, plans_params = where("p.id")
    kept, kept_params = where("plan_id")
    items, items_params = where("i.plan_id")
    vendor = connection.vendor
    months = _MONTHS.format(
        due_month=_month_of("i.due", vendor),
        done_month=_month_of("i.done_on", vendor),
        items=items,
        **names,
    )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(_LOCK.format(plans=plans, **names), plans_params)
        cursor.execute(_SUMS.format(kept=kept, **names), [BLOCKED, *OPEN, *kept_params])
        for table in ("months", "spans"):
            cursor.execute(_FORGET.format(table=names[table], kept=kept), kept_params)
        cursor.execute(months, [*items_params, *items_params, DONE])
        cursor.execute(_SPANS.format(items=items, **names), [*items_params, DONE])


def _item_saving(sender: type, instance: ActionItem, raw: bool = False, **kwargs: Any) -> None:
    """The plan the item is in before the save (it may move to another)."""
    if not raw and instance.pk is not None:
        before = ActionItem.objects.filter(pk=instance.pk).values_list("plan_id", flat=True)
        instance._figures_plan = next(iter(before), None)  # type: ignore[attr-defined]


def _item_saved(sender: type, instance: ActionItem, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # a restore loads items without their figures, then recounts them all
        recount([instance.plan_id, getattr(instance, "_figures_plan", None)])


def _item_deleted(sender: type, instance: ActionItem, origin: Any = None, **kwargs: Any) -> None:
    """An item deleted on its own (or with others); not one that goes with its plan,
    whose figures go too."""
    deleting = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is None or deleting is ActionItem:
        recount([instance.plan_id])


def _item_moved(sender: type, instance: ActionItem, **kwargs: Any) -> None:
    recount([instance.plan_id])


def keep_item_figures() -> None:
    """Connect the signals (``ActionsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from opf.core.workflow import transitioned

    for model in (PlanItemFigures, PlanItemMonth, PlanLateSpan):
        freshness.derived_table(model._meta.db_table)
    for name, signal, receiver in (
        ("saving", pre_save, _item_saving),
        ("saved", post_save, _item_saved),
        ("deleted", post_delete, _item_deleted),
        ("moved", transitioned, _item_moved),
    ):
        signal.connect(receiver, sender=ActionItem, dispatch_uid=f"item-figures-{name}")
