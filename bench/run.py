"""OPF benchmark: build the enterprise dataset at several scales on PostgreSQL
and measure the key pages and API lists (queries, median and p95 latency, ratio
to a trivial view). One command:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opf .venv/bin/python bench/run.py --check

builds scales 0.1, 1 and 10 (``--scales`` takes any number, two at least), prints
one table and writes it to bench/results.md. Each scale gets its own database,
``<db>_bench_<scale>``, dropped and rebuilt. The targets (issue #24):

- queries: every target's query count is the same at every scale (the exports
  excepted: they read a whole list, one prefetch per chunk, by design);
- growth: no median grows more than 1.5 times from the second-largest scale to the
  largest (scale 1 to 10 by default; the exports, whole lists, excepted);
- tail: every target's p95 is within 1.5 times its median (or 5 ms over it at most),
  each request set against the median of its own round (``tail_within_rounds``: the
  machine's speed moves between rounds, its arithmetic-only yardstick, timed after
  each request and shown beside, with it), the requests of every scale together (60
  by default: with 20, two slow ones make the p95, and about 1% of requests, of the
  yardstick too, are slowed 1.5 times by the machine alone);
- collector: at no scale does a request spend more than half the median inside the
  garbage collector (``gc.callbacks``; opf/gunicorn_config.py collects between
  requests), so the collector alone never makes a request 1.5 times as long;
- speed: at the reference scale every median is within its limit (a page
  100 ms, an API list 50 ms, or the target's own, bench/pages.py);
- plans: at the largest scale EXPLAIN finds no sequential scan over a large
  table on a filtered page;
- the dataset of the largest scale builds in under 5 minutes; the improvement
  plan PDF renders in under 20 s at the reference scale.

The reference scale is 1 (the issue's targets are "at scale 1"), or the largest
one measured when 1 is not. The trivial view is measured as the yardstick, never
judged. ``--check`` exits 1 on any target not met, so it passes only when all
are. ``--queries-only`` judges only what does not depend on the machine's load
(query counts and sequential scans): the quick CI gate,
tests/gates/test_bench_quick.py, runs it at two small scales with one request
per target. ``--repeat 5`` makes a quicker, noisier run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.migrated import admin_connection, migrated_database

ROOT = Path(__file__).resolve().parent.parent
TARGET_PAGE_MS, TARGET_API_MS = 100.0, 50.0  # a target may set its own (bench/pages.py)
TARGET_PLAN_SECONDS, TARGET_BUILD_SECONDS = 20.0, 300.0
MAX_GROWTH = 1.5  # median, second-largest scale to the largest (1 to 10)
MAX_TAIL = 1.5  # p95 over the round's median, the requests of every scale together
# ...and more than this over it: a step of a few milliseconds is the machine's (a
# 6 ms arithmetic loop took 30 ms once, the 2 ms trivial view 4), not a collection
# (10-300 ms) nor any work of ours; it only decides for requests under 10 ms.
TAIL_FLOOR_MS = 5.0
REFERENCE_SCALE = 1.0
# A whole list exported (about 20,000 rows at scale 1), read to the last byte.
TARGET_CSV_MS, TARGET_XLSX_MS = 1000.0, 3000.0


def database_url(base: str, tag: str) -> str:
    parsed = urlparse(base)
    if parsed.scheme.startswith("sqlite"):  # next to the base file: <name>_bench_<tag>.sqlite3
        name = parsed.path.lstrip("/")
        path = (
            Path("/" + name) if name and name != ":memory:" else Path(tempfile.gettempdir(), "opf")
        )
        return f"sqlite:///{path.with_name(f'{path.stem}_bench_{tag}.sqlite3')}"
    return urlunparse(parsed._replace(path=f"/{parsed.path.lstrip('/') or 'opf'}_bench_{tag}"))


def recreate(url: str, *, create: bool = True) -> None:
    """Drop the database of ``url`` and (unless ``create`` is false) create it empty."""
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path("/" + parsed.path.lstrip("/") + suffix).unlink(missing_ok=True)
        return
    name = parsed.path.lstrip("/")
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def clone(source: str, target: str) -> None:
    """Copy the freshly migrated (still empty of bench data) database."""
    parsed = urlparse(target)
    if parsed.scheme.startswith("sqlite"):
        recreate(target)
        shutil.copyfile("/" + urlparse(source).path.lstrip("/"), "/" + parsed.path.lstrip("/"))
        return
    admin = admin_connection(target)
    with admin.cursor() as cursor:
        name, template = parsed.path.lstrip("/"), urlparse(source).path.lstrip("/")
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    admin.close()


def run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", type=float, default=[0.1, 1.0, 10.0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="measure the scales in turn, this many times (the repeats shared among them)",
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--check", action="store_true", help="exit 1 on any target not met")
    parser.add_argument(
        "--timings",
        help="also write every request's time, per scale, target and round, with the "
        "yardstick's and the collector's, to this JSON file (to see where a p95 comes from)",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="judge only query counts and sequential scans, not timings (the CI gate)",
    )
    options = parser.parse_args()
    scales = sorted(set(options.scales))
    if len(scales) < 2:
        parser.error("--scales needs two scales at least (query counts are compared)")
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opf")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "BENCH_REPEAT": str(options.repeat),
    }
    rounds = 1 if options.queries_only else max(1, min(options.rounds, options.repeat))
    build_seconds: dict[float, float] = {}
    plans: dict[float, dict] = {}
    urls = {s: database_url(base, tag(s)) for s in scales}
    migrated_database(urls[scales[0]], env)
    for other in scales[1:]:  # the same schema, migrated once
        clone(urls[scales[0]], urls[other])
    for scale in scales:
        env["DATABASE_URL"] = urls[scale]
        started = time.perf_counter()
        run(["manage.py", "build_dataset", "--scale", str(scale)], env)
        build_seconds[scale] = time.perf_counter() - started
        plans[scale] = json.loads(run(["bench/pdf.py"], env).strip().splitlines()[-1])
        print(f"scale {scale}: built in {build_seconds[scale]:.1f}s", file=sys.stderr)
    measured = measure_interleaved(scales, urls, env, options.repeat, rounds)
    reference = REFERENCE_SCALE if REFERENCE_SCALE in scales else scales[-1]
    table, failures = report(measured, scales, reference, timed=not options.queries_only)
    table += "\n\nProcess improvement plan PDF: " + ", ".join(
        f"{plans[s]['pages']} pages in {plans[s]['seconds']:.1f}s at scale {s:g}" for s in scales
    )
    if not options.queries_only:
        if plans[reference]["seconds"] > TARGET_PLAN_SECONDS:
            failures.append(
                f"plan PDF: {plans[reference]['seconds']:.1f}s over {TARGET_PLAN_SECONDS:.0f}s"
                f" at scale {reference:g}"
            )
        if build_seconds[scales[-1]] > TARGET_BUILD_SECONDS:
            failures.append(
                f"dataset: {build_seconds[scales[-1]]:.0f}s over {TARGET_BUILD_SECONDS:.0f}s"
                f" at scale {scales[-1]:g}"
            )
    header = (
        f"# OPF benchmark\n\nMachine: {machine()}; load average {load_average()} at the end; "
        f"database: {urlparse(base).scheme}; {options.repeat} requests per target"
        + (f" in {rounds} rounds, the scales measured in turn" if rounds > 1 else "")
        + "; "
        "dataset built in "
        + ", ".join(f"{build_seconds[s]:.1f}s at scale {s:g}" for s in scales)
        + f". Limits judged at scale {reference:g}, tails at every scale"
        + (
            " (query counts and sequential scans only: --queries-only)"
            if options.queries_only
            else ""
        )
        + ".\n\n"
    )
    text = (
        header
        + table
        + (
            "\n\nTargets not met:\n" + "\n".join(f"- {f}" for f in failures)
            if failures
            else "\n\nAll targets met."
        )
        + "\n"
    )
    print(text)
    Path(options.output).write_text(text)
    if options.timings:
        Path(options.timings).write_text(
            json.dumps(
                {
                    f"{scale:g}": {
                        row["name"]: {
                            "rounds_ms": row["rounds_ms"],
                            "machine_rounds_ms": row["machine_rounds_ms"],
                            "collector_ms": row["collector_ms"],
                        }
                        for row in rows
                    }
                    for scale, rows in measured.items()
                },
                indent=1,
            )
        )
    return 1 if options.check and failures else 0


def measure_interleaved(
    scales: list[float], urls: dict[float, str], env: dict[str, str], repeat: int, rounds: int
) -> dict[float, list[dict]]:
    """Every target at every scale, the scales taking turns: ``rounds`` rounds, each
    measuring every scale (in a rotated order) with its share of the ``repeat``
    requests, pooled per target. A machine that slows for a while (another process, a
    noisy neighbour) then slows every scale alike, not the one measured at that moment:
    the growth from one scale to the next is the data's, not the minute's. The query
    counts, the EXPLAIN review (at the largest scale) and the exports (whole lists, not
    judged on growth) come from the first round."""
    measured: dict[float, list[dict]] = {}
    share = [repeat // rounds + (1 if r < repeat % rounds else 0) for r in range(rounds)]
    for r in range(rounds):
        order = scales[r % len(scales) :] + scales[: r % len(scales)]
        for scale in order:
            env = {
                **env,
                "DATABASE_URL": urls[scale],
                "BENCH_REPEAT": str(share[r]),
                "BENCH_EXPLAIN": "1" if r == 0 and scale == scales[-1] else "0",
                "BENCH_EXPORTS": "1" if r == 0 else "0",
            }
            if r == 0:
                env["BENCH_EXPORT_REPEAT"] = str(min(repeat, 5))
            rows = json.loads(run(["bench/measure.py"], env).strip().splitlines()[-1])
            for row in rows:
                row["rounds_ms"] = [row.pop("timings_ms")]
                row["machine_rounds_ms"] = [row.pop("machine_ms")]
            if r == 0:
                measured[scale] = rows
                continue
            by_name = {row["name"]: row for row in rows}
            for row in measured[scale]:
                if row["name"] in by_name:
                    other = by_name[row["name"]]
                    row["rounds_ms"] += other["rounds_ms"]
                    row["machine_rounds_ms"] += other["machine_rounds_ms"]
                    row["collector_ms"] += other["collector_ms"]
        print(f"round {r + 1} of {rounds} measured", file=sys.stderr)
    for rows in measured.values():
        for row in rows:
            row["timings_ms"] = [t for timings in row["rounds_ms"] for t in timings]
            row.update(spread(row["timings_ms"]))
            row["collector_max_ms"] = max(row["collector_ms"], default=0.0)
    return measured


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank: the 19th of 20, the slowest of 5."""
    ordered = sorted(values)
    return ordered[(95 * len(ordered) + 99) // 100 - 1]


def spread(timings: list[float]) -> dict[str, float]:
    """The median and the p95 of every request, the rounds pooled."""
    return {"median_ms": statistics.median(timings), "p95_ms": p95(timings)}


def tail_within_rounds(rounds: list[list[float]]) -> tuple[float, float]:
    """The p95 of each request's time over the median of its own round, and of how
    many milliseconds it was over it (0, 0 without requests). One measuring process
    runs for some seconds, and this machine's speed moves by up to 1.5-2x from one such
    stretch to the next (its arithmetic-only yardstick too: another machine's work on
    the same CPU), which the pooled p95 mixes in. A pause inside some requests (a
    collection, a cache filled every n-th request) still shows in full here, beside
    requests of the same minute."""
    medians = [(statistics.median(ts), ts) for ts in rounds if ts]
    ratios = [t / m for m, ts in medians for t in ts]
    over = [t - m for m, ts in medians for t in ts]
    return (p95(ratios), p95(over)) if ratios else (0.0, 0.0)


def tag(scale: float) -> str:
    """The scale in a database name: 0.1 -> ``0_1``, 10 -> ``10_0`` (as before)."""
    return str(float(scale)).replace(".", "_")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def report(
    measured: dict[float, list[dict]], scales: list[float], reference: float, *, timed: bool
) -> tuple[str, list[str]]:
    """The table (a row per target: queries, median and p95 at each scale) and the
    targets not met; ``timed`` false judges query counts and plans only."""
    lo, hi = scales[-2], scales[-1]
    largest, ref = measured[hi], measured[reference]
    trivial = [row for row in ref if row["kind"] == "trivial"]
    base_ms = trivial[0]["median_ms"] if trivial else 1.0
    head = (
        ["target"]
        + [f"queries @{s:g}" for s in scales]
        + [f"{k} @{s:g} ms" for s in scales for k in ("median", "p95")]
        + [f"× trivial @{reference:g}", f"growth {lo:g}→{hi:g}"]
        + ["tail (ms over)", "machine's tail", "collector in a request ms", "seq scans"]
    )
    rows = [
        "| " + " | ".join(head) + " |",
        "|---|" + "---:|" * (len(head) - 2) + "---|",
    ]
    failures: list[str] = []
    by_scale = [measured[s] for s in scales]
    for per_scale in zip(*by_scale, strict=True):
        row = dict(zip(scales, per_scale, strict=True))
        a, b, r = row[lo], row[hi], row[reference]
        name, kind = b["name"], b["kind"]
        growth = b["median_ms"] / a["median_ms"] if a["median_ms"] else 0.0
        # The tail of every request at every scale, each against its own round's median.
        tail, tail_ms = tail_within_rounds([ts for s in scales for ts in row[s]["rounds_ms"]])
        machine_tail = tail_within_rounds(
            [ts for s in scales for ts in row[s]["machine_rounds_ms"]]
        )[0]
        # The request that spent the most of its scale's median inside the collector.
        collected = max(
            scales, key=lambda s: row[s]["collector_max_ms"] / (row[s]["median_ms"] or 1)
        )
        collector_ms = row[collected]["collector_max_ms"]
        collected_median = row[collected]["median_ms"]
        rows.append(
            "| "
            + " | ".join(
                [name]
                + [str(row[s]["queries"]) for s in scales]
                + [f"{row[s][k]:.1f}" for s in scales for k in ("median_ms", "p95_ms")]
                + [
                    f"{r['median_ms'] / base_ms:.1f}",
                    f"{growth:.2f}×",
                    f"{tail:.2f}× (+{tail_ms:.1f})",
                    f"{machine_tail:.2f}×" if machine_tail else "—",
                    f"{collector_ms:.1f}" + (f" @{collected:g}" if collector_ms else ""),
                    ", ".join(b["seq_scans"]) or "—",
                ]
            )
            + " |"
        )
        if kind == "trivial":
            continue
        counts = [row[s]["queries"] for s in scales]
        if kind != "export" and len(set(counts)) > 1:  # an export's grow by design
            failures.append(
                f"{name}: queries grow with the data ("
                + " → ".join(f"{c} @{s:g}" for c, s in zip(counts, scales, strict=True))
                + ")"
            )
        if b["seq_scans"] and b.get("filtered"):
            failures.append(
                f"{name}: sequential scan on {', '.join(b['seq_scans'])} on a filtered page"
            )
        if not timed:
            continue
        if kind != "export" and growth > MAX_GROWTH:  # an export reads the whole list
            failures.append(
                f"{name}: median grows {growth:.2f}× from scale {lo:g} to {hi:g}"
                f" (at most {MAX_GROWTH:g}×)"
            )
        if tail > MAX_TAIL and tail_ms > TAIL_FLOOR_MS:
            failures.append(
                f"{name}: p95 {tail:.2f}× the median of its round (+{tail_ms:.0f} ms)"
                f" (at most {MAX_TAIL:g}×, or {TAIL_FLOOR_MS:g} ms over)"
            )
        if collector_ms > (MAX_TAIL - 1) * collected_median:
            failures.append(
                f"{name}: the collector ran {collector_ms:.0f} ms inside one request at scale"
                f" {collected:g} (median {collected_median:.0f} ms): a tail of its own"
            )
        limit = limit_ms(r)
        if r["median_ms"] > limit:
            failures.append(
                f"{name}: median {r['median_ms']:.0f} ms over {limit:.0f} ms at scale {reference:g}"
            )
    return "\n".join(rows) + export_section(measured, scales) + explain_section(largest), failures


def limit_ms(row: dict) -> float:
    if row["kind"] == "export":
        return TARGET_XLSX_MS if "XLSX" in row["name"] else TARGET_CSV_MS
    return row.get("limit_ms") or (TARGET_API_MS if row["kind"] == "api" else TARGET_PAGE_MS)


def export_section(measured: dict[float, list[dict]], scales: list[float]) -> str:
    """The exports: rows (CSV lines less the header) or size, and how far the
    process's resident memory rose while one was read, at each scale: flat when
    streamed."""
    lines = []
    for per_scale in zip(*(measured[s] for s in scales), strict=True):
        if per_scale[-1]["kind"] != "export":
            continue
        name = per_scale[-1]["name"]
        size = " / ".join(
            f"{r['lines'] - 1:,}" if "CSV" in name else f"{r['bytes'] / 1e6:.1f} MB"
            for r in per_scale
        )
        rss = " / ".join(f"{r['peak_rss_mb']:.1f}" for r in per_scale)
        lines.append(f"| {name} | {size} | {rss} |")
    if not lines:
        return ""
    at = " / ".join(f"@{s:g}" for s in scales)
    return (
        f"\n\nExports (whole list; queries: one per joined table per {2000:,} rows read):\n\n"
        f"| export | rows or size {at} | peak RSS rise MB {at} |\n"
        "|---|---:|---:|\n" + "\n".join(lines)
    )


def explain_section(large: list[dict]) -> str:
    """The EXPLAIN review of the largest scale: each filtered page's heaviest
    queries (planner cost) and any page reading a large table sequentially."""
    lines = []
    for row in large:
        reviews = row.get("explain") or []
        if not reviews or not (row.get("filtered") or row["seq_scans"]):
            continue
        for r in reviews:
            scans = ", ".join(r["seq_scans"]) or "no seq scan on a large table"
            lines.append(f"- {row['name']}: cost {r['cost']:.0f}, {scans}: `{r['sql'][:140]}…`")
    if not lines:
        return ""
    return (
        "\n\nEXPLAIN review (largest scale; heaviest queries of the filtered pages, and of"
        " any page that scans a large table):\n" + "\n".join(lines)
    )


if __name__ == "__main__":
    sys.exit(main())
