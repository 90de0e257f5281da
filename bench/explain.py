"""EXPLAIN review (PostgreSQL): the heaviest queries of a page by the planner's
estimated cost, and the large tables they read with a needless sequential scan
(see ``needless_scans``).

``measure.py`` runs it on every target at the largest scale; ``run.py``
reports the findings and, with ``--check``, fails on a sequential scan over a
large table on a filtered page (a filter or an ordering without its index).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction

LARGE_TABLE_ROWS = 10_000  # "large": more rows than this (pg_class.reltuples)
HEAVIEST = 3  # queries reviewed per page
SELECTIVE = 0.2  # a filter keeping fewer rows than this share wants an index


@dataclass
class Review:
    cost: float
    sql: str
    seq_scans: list[str] = field(default_factory=list)  # large tables scanned


def large_tables(rows: int = LARGE_TABLE_ROWS) -> dict[str, float]:
    """Tables with more than ``rows`` rows (the planner's estimate), with it."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [rows],
        )
        return {name: float(n) for name, n in cursor.fetchall()}


def needless_scans(plan: dict[str, Any], large: dict[str, float]) -> set[str]:
    """Large tables the plan reads in full where an index would do: a selective
    filter (under ``SELECTIVE`` of the rows kept), or the rows sorted for a
    LIMIT (an ordering without its index: the first page costs the whole
    table). Reading a whole table for a count or an aggregate of all of it is
    not flagged: no index avoids that."""
    found: set[str] = set()

    def walk(node: dict[str, Any], top_n: bool) -> None:
        kind = node.get("Node Type")
        top_n = top_n or kind == "Limit"
        sorting = top_n and kind in ("Sort", "Incremental Sort")
        table = node.get("Relation Name")
        if kind == "Seq Scan" and table in large:
            selective = "Filter" in node and node.get("Plan Rows", 0) < SELECTIVE * large[table]
            if selective or node.get("_under_sort"):
                found.add(table)
        for child in node.get("Plans", []):
            if sorting or node.get("_under_sort"):
                child["_under_sort"] = True
            walk(child, top_n)

    walk(plan, False)
    return found


def plan_of(sql: str) -> dict[str, Any] | None:
    """The JSON plan of a captured query (its parameters are inlined by Django's
    debug log; a server-side cursor's SELECT is explained), or None when it
    cannot be explained (not a SELECT)."""
    text = re.sub(r'^\s*DECLARE\s+"?[\w]+"?\s+NO SCROLL CURSOR WITH(OUT)? HOLD FOR\s+', "", sql)
    if not text.lstrip().upper().startswith(("SELECT", "WITH")):
        return None
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + text)
            raw = cursor.fetchone()[0]
    except DatabaseError:  # a query the log cannot replay is skipped
        return None
    plan = raw if isinstance(raw, list) else json.loads(raw)
    return plan[0]["Plan"]


def review(
    queries: list[dict[str, str]], large: dict[str, float], top: int = HEAVIEST
) -> list[Review]:
    """The ``top`` most expensive SELECTs of ``queries`` (Django's captured
    queries), each with the large tables its plan scans needlessly."""
    if connection.vendor != "postgresql":
        return []
    reviews = []
    for query in queries:
        plan = plan_of(query["sql"])
        if plan is None:
            continue
        scans = sorted(needless_scans(plan, large))
        reviews.append(Review(float(plan.get("Total Cost", 0)), query["sql"][:300], scans))
    reviews.sort(key=lambda r: -r.cost)
    return reviews[:top]


def as_json(reviews: list[Review]) -> list[dict[str, Any]]:
    return [asdict(r) for r in reviews]
