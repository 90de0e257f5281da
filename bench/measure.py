"""Measure every target against the database in DATABASE_URL (run by bench/run.py)."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
# what a server answers, without the test suite's schema check (tests/settings.py)
os.environ.setdefault("OPF_CHECK_CONFORMANCE", "0")

import django  # noqa: E402

django.setup()

from django.db import DatabaseError, connection  # noqa: E402
from django.http.response import HttpResponseBase  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.explain import as_json, large_tables, review  # noqa: E402
from bench.pages import TARGETS  # noqa: E402
from opf.core.accounts import User  # noqa: E402
from opf.core.freshness import bump  # noqa: E402
from opf.core.roles import PROCESS_GROUP  # noqa: E402
from opf.gunicorn_config import collect_between_requests, settle_collector  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
EXPORT_REPEAT = int(os.environ.get("BENCH_EXPORT_REPEAT", str(min(REPEAT, 5))))
EXPLAIN = os.environ.get("BENCH_EXPLAIN", "1") == "1"
# "tuned": the collector as gunicorn's workers have it (opf.gunicorn_config); "python":
# Python's own thresholds, nothing frozen (the before of the before/after).
GC = os.environ.get("BENCH_GC", "tuned")
ONLY = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
EXPORTS = os.environ.get("BENCH_EXPORTS", "1") == "1"  # 0: the exports left out


def fetch(client: Client, url: str, **headers: str) -> HttpResponseBase:
    """The whole response: a streamed one (an export) read to its last byte."""
    response = client.get(url, **headers)
    if response.streaming:
        response.body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response


class CollectorClock:
    """The collector's time inside the timed request (``gc.callbacks``): zero when
    every collection ran between requests, as gunicorn's workers run them."""

    def __init__(self) -> None:
        self.timing = False
        self.spent_ms = 0.0
        self._started = 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict) -> None:
        if not self.timing:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.spent_ms += (time.perf_counter() - self._started) * 1000

    @contextlib.contextmanager
    def timed(self) -> Iterator[None]:
        self.spent_ms, self.timing = 0.0, True
        try:
            yield
        finally:
            self.timing = False


def spin(turns: int) -> int:
    """The machine's yardstick: arithmetic only, no allocation that lives, no I/O, no
    collection. What its time varies by is the machine's (the CPU shared with other
    machines' work), not ours."""
    total = 0
    for i in range(turns):
        total += i * i % 7
    return total


def turns_per_ms() -> float:
    """How many turns of ``spin`` one millisecond holds at the machine's usual speed
    (the median of a few tries)."""
    return 20_000 / statistics.median(timed_ms(lambda: spin(20_000)) for _ in range(31))


def timed_ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def between_requests() -> None:
    """What a gunicorn worker does once a response has gone (``post_request``), not
    timed: no request is waiting for it."""
    if GC == "tuned":
        collect_between_requests()


def peak_rss_growth(url: str) -> tuple[float, int]:
    """How far resident memory rose (MB) while ``url`` was fetched, in a fresh
    process (one that has served a page first), and how many lines it sent: in a
    process that has exported before, freed memory is reused and nothing shows."""
    result = subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, "--rss", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    growth, lines = result.stdout.split()[-2:]
    return float(growth), int(lines)


def rss(url: str) -> None:
    """``--rss URL``: print the resident memory rise (MB) of one fetch, and its lines.
    Linux: the high-water mark is reset through /proc/self/clear_refs, then read."""
    status = Path("/proc/self/status")

    def read(field: str) -> float:
        line = next(x for x in status.read_text().splitlines() if x.startswith(field))
        return int(line.split()[1]) / 1024

    client = signed_in()
    fetch(client, "/")  # imports, URL conf, templates: not the export's
    fetch(client, url.replace("_export=", "_no_export="))
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = read("VmRSS:")
    response = client.get(url)
    # Each piece counted and dropped, as a server sends it on (joined, the body alone
    # would be a rise as large as the export).
    lines = sum(piece.count(b"\n") for piece in response.streaming_content)
    print(f"peak {read('VmHWM:'):.1f} MB; rise {read('VmHWM:') - before:.1f} {lines}")


def signed_in() -> Client:
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    if connection.vendor == "postgresql":  # as autovacuum leaves a live database
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            # The pages the build, the vacuum and the last scale's exports dirtied are
            # written now, not by the checkpointer while this scale's requests are timed
            # (a whole round ran 1.5-2x slower after the largest scale's exports).
            # (not a superuser nor pg_checkpoint: the checkpointer's, as before)
            with contextlib.suppress(DatabaseError):
                cursor.execute("CHECKPOINT")
    # The scales share one Redis: figures another scale's run kept must not answer here.
    bump()
    client = signed_in()
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    token = Token.objects.get_or_create(user=user)[0].key
    large = large_tables() if EXPLAIN else {}
    results = []
    if GC == "tuned":
        settle_collector()
    clock = CollectorClock()
    per_ms = turns_per_ms()
    for target in TARGETS:
        if ONLY and not any(part in target.name for part in ONLY):
            continue
        if target.kind == "export" and not EXPORTS:
            continue
        url = target.url()
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if target.kind == "api" else {}
        before = target.before or (lambda: None)
        request = functools.partial(fetch, client, url, **headers)
        untimed = []
        for _ in range(2):  # warm up caches and connections
            before()
            untimed.append(timed_ms(request))
            between_requests()
        before()
        with CaptureQueriesContext(connection) as ctx:
            response = request()
        between_requests()
        queries = list(ctx.captured_queries)  # read now: each request resets the log
        assert response.status_code == 200, (url, response.status_code)
        # The yardstick, timed after each request and kept as long as the requests
        # (their median so far): the tail the machine alone gives work of that length.
        turns = max(1, round(min(untimed) * per_ms))
        timings, collector, machine, rates = [], [], [], [per_ms]
        for _ in range(EXPORT_REPEAT if target.kind == "export" else REPEAT):
            before()
            with clock.timed():
                timings.append(timed_ms(request))
            collector.append(clock.spent_ms)
            between_requests()
            if target.kind != "export":
                machine.append(timed_ms(functools.partial(spin, turns)))
                rates.append(turns / machine[-1])
                turns = max(1, round(statistics.median(timings) * statistics.median(rates)))
        extra = {}
        if target.kind == "export":
            growth, lines = peak_rss_growth(url)
            extra = {"peak_rss_mb": growth, "lines": lines, "bytes": len(response.body)}
        reviews = review(queries, large) if EXPLAIN else []
        results.append(
            {
                "name": target.name,
                "kind": target.kind,
                "filtered": target.filtered,
                "url": url,
                "queries": len(queries),
                "timings_ms": timings,  # bench/run.py pools them over its rounds
                "collector_ms": collector,  # the collector's time inside each request
                "machine_ms": machine,  # the yardstick's time after each request
                "limit_ms": target.limit_ms,
                "seq_scans": sorted({t for r in reviews for t in r.seq_scans}),
                "explain": as_json(reviews),
                **extra,
            }
        )
    print(json.dumps(results))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rss"]:
        rss(sys.argv[2])
    else:
        main()
