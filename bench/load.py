"""Load test: 50 users for 60 s against gunicorn on the enterprise dataset.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opf .venv/bin/python bench/load.py

builds the dataset (scale 1 by default) in its own database, starts gunicorn on
loopback with the settings docker-compose.yml runs (``-c python:opf.gunicorn_config``:
workers, threads, the garbage collector's settling; ``--workers`` and ``--threads``
reach it as WEB_CONCURRENCY and GUNICORN_THREADS, and default to what those say,
else the config's own), prepares the personas (tokens, their projects and
deployments), runs locust headless (bench/locustfile.py) and prints requests/s
and p50/p95/p99. It exits non-zero on any failed request, and with ``--check``
also when the p95 is over 500 ms (issue #24). The figures go to
bench/load-results.md (``--output``); CI runs a short version
(tests/gates/test_load.py).
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.migrated import migrated_database
from bench.run import ROOT, database_url, machine, run
from opf import gunicorn_config

TARGET_P95_MS = 500.0

PERSONAS = """
import json
from deployment.models import ProjectDeployment
from opf.core.accounts import User
from opf.organization.models import Project
from rest_framework.authtoken.models import Token

mix = {"executive": 4, "process_group": 4, "project_manager": 8, "member": 4}
personas = []
for role, n in mix.items():
    users = User.objects.filter(username__startswith=role + "-").order_by("pk")
    for user in users[:n]:
        projects = list(Project.objects.filter(manager=user).values_list("pk", flat=True)[:20])
        deployments = list(
            ProjectDeployment.objects.filter(project__manager=user)
            .order_by("pk")
            .values_list("pk", flat=True)[:20]
        )
        personas.append({
            "username": user.username,
            "password": "opf-bench",
            "role": role,
            "token": Token.objects.get_or_create(user=user)[0].key,
            "projects": projects or list(Project.objects.values_list("pk", flat=True)[:20]),
            "deployments": deployments,
        })
print(json.dumps(personas))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url}")


def server_env(url: str) -> dict[str, str]:
    """Production settings (DEBUG off) for plain HTTP on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opf.settings",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-only-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "OPF_PLAIN_STATIC": "true",
        # The test measures the app, not the rate limits (which have their own tests).
        "OPF_API_RATE_PER_MINUTE": "1000000",
        "LOG_LEVEL": "WARNING",
    }


def summary(stats_csv: Path) -> dict[str, float]:
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "rows": [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
            }
            for row in rows
            if row["Name"] != "Aggregated"
        ],
    }


def report(figures: dict, options: argparse.Namespace, database: str) -> str:
    lines = [
        "# OPF load test",
        "",
        f"Machine: {machine()}; database: {database}; gunicorn -c opf/gunicorn_config.py, "
        f"{options.workers} workers x {options.threads} threads; dataset scale "
        f"{options.scale}; {options.users} users "
        f"for {options.seconds} s, {options.spawn_rate:g} started per second "
        f"(think time {options.think.replace(',', '-')} s; each signs in first).",
        "",
        f"**{figures['requests']} requests, {figures['failures']} failed, "
        f"{figures['rps']:.1f} requests/s; p50 {figures['p50']:.0f} ms, "
        f"p95 {figures['p95']:.0f} ms, p99 {figures['p99']:.0f} ms.**",
        "",
        "| request | count | failed | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {row['name']} | {row['requests']} | {row['failures']} | {row['p50']:.0f} "
        f"| {row['p95']:.0f} |"
        for row in sorted(figures["rows"], key=lambda r: -r["requests"])
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--think",
        default="2,6",
        help="seconds each user waits between clicks, low,high (0.2,1 finds the ceiling)",
    )
    parser.add_argument("--spawn-rate", type=float, default=4, help="users started per second")
    # The config reads WEB_CONCURRENCY and GUNICORN_THREADS: its values are the defaults.
    parser.add_argument("--workers", type=int, default=gunicorn_config.workers)
    parser.add_argument("--threads", type=int, default=gunicorn_config.threads)
    parser.add_argument("--output", default=str(ROOT / "bench" / "load-results.md"))
    parser.add_argument("--reuse", action="store_true", help="keep an already built database")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 when the p95 is over {TARGET_P95_MS:.0f} ms"
    )
    options = parser.parse_args()

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opf")
    url = database_url(base, "load")
    env = server_env(url)
    if not options.reuse:
        migrated_database(url, env)
        run(["manage.py", "build_dataset", "--scale", str(options.scale)], env)
    workdir = Path(tempfile.mkdtemp(prefix="opf-load-"))
    personas = workdir / "personas.json"
    personas.write_text(run(["manage.py", "shell", "-c", PERSONAS], env).strip().splitlines()[-1])

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    # As docker-compose.yml starts it: the config file, its knobs from the environment.
    server = subprocess.Popen(  # noqa: S603 - our own server on loopback
        [str(bin_dir / "gunicorn"), "-c", "python:opf.gunicorn_config", "opf.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(options.workers),
            "GUNICORN_THREADS": str(options.threads),
            "GUNICORN_CMD_ARGS": "",  # nothing from the caller's shell over the config
        },
        stdout=(workdir / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(f"{host}/health/")
        load = subprocess.run(  # noqa: S603 - locust from our venv, fixed arguments
            [
                str(bin_dir / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                f"--users={options.users}",
                f"--spawn-rate={options.spawn_rate}",
                f"--run-time={options.seconds}s",
                f"--host={host}",
                f"--csv={workdir / 'load'}",
                "--only-summary",
                "--stop-timeout=10",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "OPF_LOAD_PERSONAS": str(personas), "OPF_LOAD_THINK": options.think},
            capture_output=True,
            text=True,
            timeout=options.seconds + 120,
            check=False,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = summary(workdir / "load_stats.csv")
    text = report(figures, options, urlparse(base).scheme)
    print(text)
    if figures["failures"] or load.returncode != 0:
        failures = workdir / "load_failures.csv"
        print(failures.read_text() if failures.exists() else "", load.stderr[-3000:], sep="\n")
        log = (workdir / "gunicorn.log").read_text().splitlines()
        # The access log (the config's, as in production) left out: the errors show.
        print("\n".join(line for line in log if not line.startswith("127.0.0.1 - "))[-3000:])
        return 1
    Path(options.output).write_text(text)
    if options.check and figures["p95"] > TARGET_P95_MS:
        print(f"p95 {figures['p95']:.0f} ms over {TARGET_P95_MS:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
