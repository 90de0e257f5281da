"""The quick benchmark (issue #10): ``bench/run.py --check --queries-only`` at
two small scales against the test database server fails when a page's query
count grows with the data (or, on PostgreSQL, when EXPLAIN finds a sequential
scan over a large table on a filtered page). Timings are not judged here (one
request per target on a shared CI machine says nothing about them): the full
run (scales 0.1, 1 and 10) judges them. It builds its own databases
(``<db>_bench_<scale>``) and writes its table to a temporary file, never to
bench/results.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import database_url, recreate
from tests.scratch import scratch_database_url

ROOT = Path(__file__).resolve().parents[2]
SCALES = ("0.02", "0.05")


@pytest.mark.heavy
def test_query_counts_do_not_grow_with_the_data(tmp_path: Path) -> None:
    base = scratch_database_url(tmp_path)
    output = tmp_path / "results.md"
    results = ROOT / "bench" / "results.md"
    before = results.read_bytes() if results.exists() else None
    env = {**os.environ, "DATABASE_URL": base}
    try:
        result = run_bench(env, output)
    finally:  # the bench databases are scratch: drop them
        for scale in SCALES:
            recreate(database_url(base, scale.replace(".", "_")), create=False)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    table = output.read_text()
    assert (
        f"queries @{SCALES[0]}" in table and "| dashboard |" in table and "| home page |" in table
    )
    assert "queries grow" not in table
    assert "query counts and sequential scans only" in table  # no timing judged
    assert (results.read_bytes() if results.exists() else None) == before


def run_bench(env: dict[str, str], output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [
            sys.executable,
            "bench/run.py",
            "--scales",
            *SCALES,
            "--repeat",
            "1",
            "--check",
            "--queries-only",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
