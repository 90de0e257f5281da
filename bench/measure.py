"""Measure every target against the database in DATABASE_URL (run by bench/run.py)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.pages import TARGETS  # noqa: E402
from opf.models import User  # noqa: E402
from opf.roles import PROCESS_GROUP  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
LARGE_TABLE_ROWS = 10_000


def large_tables() -> set[str]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [LARGE_TABLE_ROWS],
        )
        return {row[0] for row in cursor.fetchall()}


def seq_scans(sql: str, large: set[str]) -> list[str]:
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return []
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return sorted({t for t in large if f"Seq Scan on {t} " in plan + " "})


def main() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    client = Client()
    client.force_login(user)
    token = Token.objects.get_or_create(user=user)[0].key
    large = large_tables()
    results = []
    for target in TARGETS:
        url = target.url()
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if target.kind == "api" else {}
        for _ in range(2):  # warm up caches and connections
            client.get(url, **headers)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **headers)
        queries = list(ctx.captured_queries)  # read now: each request resets the log
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        results.append(
            {
                "name": target.name,
                "kind": target.kind,
                "url": url,
                "queries": len(queries),
                "median_ms": statistics.median(timings),
                "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
                "seq_scans": seq_scans(slowest["sql"], large) if slowest else [],
            }
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
