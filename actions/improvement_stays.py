"""Each improvement's stays in its states, counted in the database from its history
rows and kept (#24: 46,665 history rows at scale 10), so the dashboard's improvement
funnel (``deployment.dashboard``) reads a row per stay instead of every history row.

A stay (``ImprovementStay``) is a run of an improvement's history rows in one state,
in the order of ``history_date`` then ``history_id``: it is entered by the first row of
the run and ended by the first row of the next run; the last run (the state it is in
now) has no end. Its length is kept in exact microseconds (what
``timedelta.total_seconds()`` gives, times a million). The funnel's rules stay the
dashboard's: which stays count, the median, "deployed" (a release after an implemented
improvement's stay began), read when the figures are read.

An improvement is counted again, in SQL, whenever one of its history rows is written:
saved, deleted or its members changed (simple-history's
``post_create_historical_record``) or moved along its workflow (``transitioned``: the
workflow writes its row itself). Whoever writes history rows in bulk or re-dates them
calls :func:`recount` (the dataset builder, the demo, a restore). A recount first locks
the improvements' rows (PostgreSQL), in a statement of its own, so two writers of one
improvement each count what the other committed; a deleted improvement's stays go with
it (``CASCADE``) and a recount of it finds none.

Worked example: an improvement recorded on 1 March at 09:00 (candidate), edited on 2
March (still candidate), selected on 5 March at 21:00 and deferred on 10 March at 09:00
keeps three stays: candidate 1 March 09:00 .. 5 March 21:00 (4.5 days), selected 5 March
21:00 .. 10 March 09:00 (4.5 days), deferred from 10 March 09:00 (open).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

from actions.models import Improvement, ImprovementStay
from opf.core import freshness

# The improvements' rows locked: a writer of the same improvements waits here until
# this transaction ends, then counts what it committed.
_LOCK = "SELECT i.id FROM {improvement} i WHERE {improvements} ORDER BY i.id FOR UPDATE"

_FORGET = "DELETE FROM {stays} WHERE {kept}"

# The history rows in order, those that change the state kept (a run each): a stay from
# its row to the next run's. Only for improvements that still exist.
_RUNS = """
INSERT INTO {stays} (improvement_id, state, entered, ended, spent)
SELECT id, state, entered, ended, {spent} FROM (
  SELECT id, state, history_date AS entered,
    LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS ended
  FROM (
    SELECT h.id, h.state, h.history_date, h.history_id,
      LAG(h.state) OVER (PARTITION BY h.id ORDER BY h.history_date, h.history_id) AS was
    FROM {history} h
    WHERE {rows} AND EXISTS (SELECT 1 FROM {improvement} i WHERE i.id = h.id)
  ) h WHERE was IS NULL OR was <> state
) runs
"""


def tables() -> dict[str, str]:
    return freshness.table_names(
        stays=ImprovementStay,
        improvement=Improvement,
        history=Improvement.history.model,
    )


def microseconds(later: str, earlier: str, vendor: str) -> str:
    """SQL for ``later - earlier`` in exact microseconds (both timestamps)."""
    if vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000000 AS bigint)"

    # SQLite keeps a moment as text, 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC
    def at(moment: str) -> str:
        return (
            f"(CAST(strftime('%%s', {moment}) AS INTEGER) * 1000000"
            f" + CAST(substr({moment} || '.000000', 21, 6) AS INTEGER))"
        )

    return f"({at(later)} - {at(earlier)})"


def recount(improvement_ids: Iterable[int | None] | None = None, connection: Any = None) -> None:
    """Count these improvements' stays again from their history rows (every
    improvement's when None), at once: their rows locked, their stays forgotten and
    counted again (three statements)."""
    connection = connection or default_connection
    keys = freshness.Keys.of(improvement_ids)
    if not keys:
        return
    where = keys.where

    names = tables()
    improvements, params = where("i.id")
    kept, _ = where("improvement_id")
    rows, _ = where("h.id")
    spent = microseconds("ended", "entered", connection.vendor)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # SQLite: one writer at a time anyway
            cursor.execute(_LOCK.format(improvements=improvements, **names), params)
        cursor.execute(_FORGET.format(kept=kept, **names), params)
        cursor.execute(_RUNS.format(rows=rows, spent=spent, **names), params)


def _history_written(sender: type, history_instance: Any, **kwargs: Any) -> None:
    """A history row of an improvement written (saved, deleted, members changed)."""
    recount([history_instance.id])


def _moved(sender: type, instance: Improvement, **kwargs: Any) -> None:
    recount([instance.pk])


def keep_improvement_stays() -> None:
    """Connect the signals (``ActionsConfig.ready``)."""
    from simple_history.signals import post_create_historical_record

    from opf.core.workflow import transitioned

    freshness.derived_table(ImprovementStay._meta.db_table)
    post_create_historical_record.connect(
        _history_written,
        sender=Improvement.history.model,
        dispatch_uid="improvement-stays-history",
    )
    transitioned.connect(_moved, sender=Improvement, dispatch_uid="improvement-stays-moved")
