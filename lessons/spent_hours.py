"""Each action plan's spent effort, summed once and kept in the database
(``PlanSpentHours``, #24), so the dashboard's business case reads an improvement's
spent hours from one row per plan instead of summing every action item.

The rule is ``actions``' (``ImprovementQuerySet.spent_hours``): an improvement's spent
hours are the spent effort of the items of the plans implementing it, unless a plan is
cancelled; ``None`` without such items. What is kept is only the per-plan sum of the
items; the plans' state and their improvements are read when the hours are read, so
cancelling a plan or changing what it implements needs nothing kept again.

A plan's row is summed again when

- one of its items is saved or deleted (the signals below, again once the transaction
  has committed; an item moved to another plan: both plans), or items are written in
  bulk (who writes in bulk calls :func:`forget`: the dataset builder);
- it is older than ``RECOUNT_AFTER`` (it bounds a sum read while an item was being
  written and committed), or the clock has gone back.

Rows are summed when read (:func:`count_missing`), in one statement for every plan
without a row, so a write costs one ``DELETE`` and the next read sums only the plans
written. Worked example: a plan with items of 2.5 and 4 hours keeps 6.5; an
improvement implemented by it and by another plan keeping 1 has 7.5 spent hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from actions.models import ActionItem, ProcessActionPlan
from lessons.models import PlanSpentHours
from opf.core import freshness

RECOUNT_AFTER = timedelta(minutes=10)
# ``actions.models.improvements._spending_items``' rule: a cancelled plan spends nothing
CANCELLED = ProcessActionPlan.State.CANCELLED.value

_OUTDATED = "DELETE FROM {kept} WHERE counted_at < %s OR counted_at > %s"

# Every plan without a row: the sum of its items (NULL without items).
_COUNT = """
INSERT INTO {kept} (plan_id, spent_hours, counted_at)
SELECT p.id, s.total, %s
FROM {plan} p LEFT JOIN (
  SELECT i.plan_id AS plan_id, SUM(i.spent_effort) AS total FROM {item} i
  WHERE i.plan_id IN (SELECT m.id FROM {plan} m WHERE NOT EXISTS (
    SELECT 1 FROM {kept} k WHERE k.plan_id = m.id))
  GROUP BY i.plan_id
) s ON s.plan_id = p.id
WHERE NOT EXISTS (SELECT 1 FROM {kept} k WHERE k.plan_id = p.id)
ON CONFLICT (plan_id) DO NOTHING
"""

# The spent hours of the improvements in scope: their plans' kept sums, cancelled plans
# left out; the improvements without items are not listed.
_BY_IMPROVEMENT = """
SELECT pi.improvement_id AS improvement_id, SUM(k.spent_hours) AS hours
FROM {links} pi
JOIN {plan} p ON p.id = pi.processactionplan_id
JOIN {kept} k ON k.plan_id = p.id
WHERE p.state <> %s AND k.spent_hours IS NOT NULL AND pi.improvement_id IN ({scope})
GROUP BY pi.improvement_id
"""


def tables() -> dict[str, str]:
    return freshness.table_names(
        kept=PlanSpentHours,
        plan=ProcessActionPlan,
        item=ActionItem,
        links=ProcessActionPlan.improvements.through,
    )


def count_missing() -> None:
    """Sums the plans that have no current row (two statements: rows that may have
    moved are dropped, missing ones summed)."""
    now = timezone.now()
    names = tables()
    # What the rows are summed from, read by the figure that reads them (the statements
    # below write, so the freshness watch does not note what they read).
    freshness.note_read([ActionItem._meta.db_table, ProcessActionPlan._meta.db_table])
    with connection.cursor() as cursor:
        cursor.execute(_OUTDATED.format(**names), [now - RECOUNT_AFTER, now])
        cursor.execute(_COUNT.format(**names), [now])


def by_improvement_sql(scope: str, params: Any) -> tuple[str, list[Any]]:
    """The statement (and its parameters) that lists ``(improvement_id, hours)`` of the
    improvements whose pks ``scope`` selects, from the kept sums (:func:`count_missing`
    first)."""
    return _BY_IMPROVEMENT.format(scope=scope, **tables()), [CANCELLED, *params]


def spent_hours(improvements: QuerySet, counted: bool = False) -> dict[int, Decimal]:
    """``ImprovementQuerySet.spent_hours`` of ``improvements`` from the kept sums: by
    pk, those without items left out. Three statements, whatever the number of items
    (one if ``counted``: :func:`count_missing` was called just before)."""
    if not counted:
        count_missing()
    sql, params = by_improvement_sql(*improvements.order_by().values("pk").query.sql_with_params())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: _hours(total) for pk, total in cursor.fetchall()}


TENTH = Decimal("0.1")


def _hours(total: Any) -> Decimal:
    """A sum as the database gives it (SQLite: a float) as exact hours: the items'
    effort has one decimal, so their sum too."""
    return Decimal(str(total)).quantize(TENTH)


def forget(plan_ids: Iterable[int | None] | None = None) -> None:
    """Sum these plans again when next read (every plan's, when None): now, and again
    once the transaction under way has committed (a read in between may have summed
    what was not committed yet)."""
    rows = PlanSpentHours.objects.all()
    if plan_ids is not None:
        ids = {pk for pk in plan_ids if pk is not None}
        if not ids:
            return
        rows = rows.filter(plan_id__in=ids)
    freshness.forget_rows(rows)


def _item_saving(sender: type, instance: ActionItem, raw: bool = False, **kwargs: Any) -> None:
    """An item moved to another plan: the plan it leaves is summed again too (the plan
    it is in, after the save)."""
    if instance.pk is not None:
        before = ActionItem.objects.filter(pk=instance.pk).values_list("plan_id", flat=True)
        forget([pk for pk in before if pk != instance.plan_id])


def _item_written(sender: type, instance: ActionItem, **kwargs: Any) -> None:
    forget([instance.plan_id])


def keep_spent_hours() -> None:
    """Connect the signals (``LessonsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save, pre_save

    freshness.derived_table(PlanSpentHours._meta.db_table)
    pre_save.connect(_item_saving, sender=ActionItem, dispatch_uid="spent-item-pre-save")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_item_written, sender=ActionItem, dispatch_uid=f"spent-item-{name}")
