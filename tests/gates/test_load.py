"""Load held (#9): 20 users against gunicorn on a dataset, zero failed requests.

This is the short version of ``bench/load.py`` (scale 0.02, 20 seconds) on the
database server the suite runs on (PostgreSQL in CI; a file of its own on
SQLite), in a database of its own. The full run is documented in
README: scale 1 for 60 seconds, figures in bench/load-results.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import database_url, recreate
from tests.scratch import scratch_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.heavy
def test_twenty_users_for_twenty_seconds_without_a_failed_request(tmp_path):
    output = tmp_path / "load.md"
    base = scratch_database_url(tmp_path)
    try:
        result = run_load(base, output)
    finally:  # the load database is scratch: drop it
        recreate(database_url(base, "load"), create=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    text = output.read_text()
    assert "0 failed" in text
    requests = int(text.split("**", 1)[1].split(" requests", 1)[0])
    # Every user got through several requests (sign-in page, sign-in, pages); the
    # count itself depends on how busy the machine is (the other test worker).
    assert requests >= 60, text


def run_load(base: str, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own benchmark script
        [
            sys.executable,
            "bench/load.py",
            "--scale=0.02",
            "--users=20",
            "--seconds=20",
            "--workers=2",
            f"--output={output}",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": base},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
