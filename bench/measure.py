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

from bench.explain import as_json, large_tables, review  # noqa: E402
from bench.pages import TARGETS  # noqa: E402
from opf.core.accounts import User  # noqa: E402
from opf.core.roles import PROCESS_GROUP  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN", "1") == "1"


def main() -> None:
    if connection.vendor == "postgresql":  # as autovacuum leaves a live database
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    client = Client()
    client.force_login(user)
    token = Token.objects.get_or_create(user=user)[0].key
    large = large_tables() if EXPLAIN else {}
    results = []
    for target in TARGETS:
        url = target.url()
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if target.kind == "api" else {}
        before = target.before or (lambda: None)
        for _ in range(2):  # warm up caches and connections
            before()
            client.get(url, **headers)
        before()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **headers)
        queries = list(ctx.captured_queries)  # read now: each request resets the log
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(REPEAT):
            before()
            started = time.perf_counter()
            client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        reviews = review(queries, large) if EXPLAIN else []
        results.append(
            {
                "name": target.name,
                "kind": target.kind,
                "filtered": target.filtered,
                "url": url,
                "queries": len(queries),
                "median_ms": statistics.median(timings),
                "p95_ms": timings[max(0, int(len(timings) * 0.95) - 1)],
                "limit_ms": target.limit_ms,
                "seq_scans": sorted({t for r in reviews for t in r.seq_scans}),
                "explain": as_json(reviews),
            }
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
