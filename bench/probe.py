"""Profile one page against the database in DATABASE_URL: its queries (count,
the slowest ones, repeated shapes) and its median time. A developer's tool:

    DATABASE_URL=postgres://... .venv/bin/python bench/probe.py /projects/ [--api] [--top 8]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
# what a server answers, without the test suite's schema check (tests/settings.py)
os.environ.setdefault("OPF_CHECK_CONFORMANCE", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from opf.core.accounts import User  # noqa: E402
from opf.core.roles import PROCESS_GROUP  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--api", action="store_true")
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    parser.add_argument("--cprofile", type=int, default=0, help="show N hot functions")
    options = parser.parse_args()
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    client = Client()
    client.force_login(user)
    headers = {}
    if options.api:
        headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    client.get(options.url, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(options.url, **headers)
    queries = list(ctx.captured_queries)
    timings = []
    for _ in range(options.repeat):
        started = time.perf_counter()
        client.get(options.url, **headers)
        timings.append((time.perf_counter() - started) * 1000)
    total_sql = sum(float(q["time"]) for q in queries) * 1000
    print(
        f"{options.url}: {response.status_code}, {len(queries)} queries ({total_sql:.1f} ms SQL), "
        f"median {statistics.median(timings):.1f} ms"
    )
    shapes = Counter(re.sub(r"\b\d+\b", "N", q["sql"])[:160] for q in queries)
    for shape, n in shapes.most_common(3):
        if n > 1:
            print(f"  repeated {n}x: {shape}")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[: options.top]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:600]}")
    if options.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(client.get, options.url, **headers)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(options.cprofile)
    if options.explain and queries and connection.vendor == "postgresql":
        slowest = max(queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
