"""OPF benchmark: build the enterprise dataset at two scales on PostgreSQL and
measure the key pages and API lists (queries, median and p95 latency, ratio to
a trivial view). One command:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opf .venv/bin/python bench/run.py

It prints one table and writes it to bench/results.md. ``--scales 0.05 0.1``
and ``--repeat 5`` make a quick run; ``--check`` exits non-zero when a query
count grows with the data or, at the largest scale on PostgreSQL, EXPLAIN finds
a sequential scan over a large table on a filtered page (CI runs a quick
version: tests/gates/test_bench_quick.py). Each scale gets its own database,
``<db>_bench_<scale>``, dropped and rebuilt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
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
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", nargs=2, type=float, default=[0.1, 1.0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--check", action="store_true", help="exit 1 if query counts grow")
    options = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opf")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "BENCH_REPEAT": str(options.repeat),
    }
    measured: dict[float, list[dict]] = {}
    build_seconds: dict[float, float] = {}
    plans: dict[float, dict] = {}
    urls = {s: database_url(base, str(s).replace(".", "_")) for s in options.scales}
    migrated = None
    for scale in options.scales:
        env["BENCH_EXPLAIN"] = "1" if scale == max(options.scales) else "0"
        url = urls[scale]
        env["DATABASE_URL"] = url
        if migrated is None:
            migrated_database(url, env)
            for other in options.scales[1:]:  # the same schema, migrated once
                clone(url, urls[other])
            migrated = url
        started = time.perf_counter()
        run(["manage.py", "build_dataset", "--scale", str(scale)], env)
        build_seconds[scale] = time.perf_counter() - started
        measured[scale] = json.loads(run(["bench/measure.py"], env).strip().splitlines()[-1])
        plans[scale] = json.loads(run(["bench/pdf.py"], env).strip().splitlines()[-1])
    small, large = options.scales
    table, failures = report(measured[small], measured[large], small, large)
    table += "\n\nProcess improvement plan PDF: " + ", ".join(
        f"{plans[s]['pages']} pages in {plans[s]['seconds']:.1f}s at scale {s}"
        for s in options.scales
    )
    if plans[large]["seconds"] > TARGET_PLAN_SECONDS:
        failures.append(f"plan PDF: {plans[large]['seconds']:.1f}s over {TARGET_PLAN_SECONDS:.0f}s")
    if build_seconds[large] > TARGET_BUILD_SECONDS:
        failures.append(f"dataset: {build_seconds[large]:.0f}s over {TARGET_BUILD_SECONDS:.0f}s")
    header = (
        f"# OPF benchmark\n\nMachine: {machine()}; database: {urlparse(base).scheme}; "
        f"{options.repeat} requests per target; dataset built in "
        + ", ".join(f"{build_seconds[s]:.1f}s at scale {s}" for s in options.scales)
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
    checked = [f for f in failures if "queries grow" in f or "sequential scan" in f]
    return 1 if options.check and checked else 0


def report(small: list[dict], large: list[dict], lo: float, hi: float) -> tuple[str, list[str]]:
    trivial = {row["name"]: row for row in large if row["kind"] == "trivial"}
    base_ms = next(iter(trivial.values()))["median_ms"] if trivial else 1.0
    rows = [
        f"| target | queries @{lo} | queries @{hi} | median @{lo} ms | median @{hi} ms "
        f"| p95 @{hi} ms | × trivial | growth | seq scans |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    failures = []
    for a, b in zip(small, large, strict=True):
        growth = b["median_ms"] / a["median_ms"] if a["median_ms"] else 0
        rows.append(
            f"| {b['name']} | {a['queries']} | {b['queries']} | {a['median_ms']:.1f} "
            f"| {b['median_ms']:.1f} | {b['p95_ms']:.1f} | {b['median_ms'] / base_ms:.1f} "
            f"| {growth:.2f}× | {', '.join(b['seq_scans']) or '—'} |"
        )
        if b["kind"] == "trivial":
            continue
        if b["kind"] == "export":  # its queries grow by design: a prefetch per chunk read
            limit = TARGET_XLSX_MS if "XLSX" in b["name"] else TARGET_CSV_MS
            if b["median_ms"] > limit:
                failures.append(f"{b['name']}: median {b['median_ms']:.0f} ms over {limit:.0f} ms")
            continue
        if a["queries"] != b["queries"]:
            failures.append(
                f"{b['name']}: queries grow with the data ({a['queries']} → {b['queries']})"
            )
        if growth >= 2:
            failures.append(f"{b['name']}: median grows {growth:.1f}× for 10× data")
        limit = b.get("limit_ms") or (TARGET_API_MS if b["kind"] == "api" else TARGET_PAGE_MS)
        if b["median_ms"] > limit:
            failures.append(f"{b['name']}: median {b['median_ms']:.0f} ms over {limit:.0f} ms")
        if b["seq_scans"] and b.get("filtered"):
            failures.append(
                f"{b['name']}: sequential scan on {', '.join(b['seq_scans'])} on a filtered page"
            )
    return "\n".join(rows) + export_section(small, large, lo, hi) + explain_section(large), failures


def export_section(small: list[dict], large: list[dict], lo: float, hi: float) -> str:
    """The exports: rows (CSV lines less the header) and how far the process's
    resident memory rose while one was read, at both scales: flat when streamed."""
    lines = []
    for a, b in zip(small, large, strict=True):
        if b["kind"] != "export":
            continue
        size = (
            f"{a['lines'] - 1:,} / {b['lines'] - 1:,} rows"
            if "CSV" in b["name"]
            else f"{a['bytes'] / 1e6:.1f} / {b['bytes'] / 1e6:.1f} MB"
        )
        lines.append(f"| {b['name']} | {size} | {a['peak_rss_mb']:.1f} | {b['peak_rss_mb']:.1f} |")
    if not lines:
        return ""
    return (
        f"\n\nExports (whole list; queries: one per joined table per {2000:,} rows read):\n\n"
        f"| export | size @{lo} / @{hi} | peak RSS rise @{lo} MB | peak RSS rise @{hi} MB |\n"
        "|---|---:|---:|---:|\n" + "\n".join(lines)
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
