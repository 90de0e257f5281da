"""Real processes for the fault tests: a gunicorn web server and a Celery worker,
both on the test database, started with their own environment (e.g. a dead Redis)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent
ROOT = Path(settings.BASE_DIR)
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


def database_url() -> str:
    """The test database (not the development one) as a URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def process_env(**overrides: str | None) -> dict[str, str]:
    """This process's environment pointed at the test database; None removes a key."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url(),
        OPF_VAR_DIR=str(settings.VAR_DIR),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def wait_for(predicate: Callable[[], Any], timeout: float, step: float = 0.05) -> Any:
    """Poll until ``predicate()`` is truthy; its value, or None at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child process in its own session, its output kept in a log file."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.log = Path(tempfile.mkstemp(prefix=f"opf-{name}-", suffix=".log")[1])
        with self.log.open("wb") as out:
            self.popen = subprocess.Popen(  # noqa: S603 (our own command line)
                args,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def children(self) -> list[int]:
        """Direct child processes (a prefork worker's pool)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL the process and everything it started: no clean-up runs."""
        if self.alive():
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


@contextmanager
def worker(name: str, **env: str | None) -> Iterator[Process]:
    """``celery -A opf worker --pool prefork -c 1`` on the test database."""
    process = Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "opf",
            "worker",
            "--pool",
            "prefork",
            "-c",
            "1",
            "-l",
            "INFO",
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        process_env(**env),
    )
    try:
        yield process
    finally:
        process.stop()
        process.log.unlink(missing_ok=True)


@contextmanager
def web_server(
    name: str, *, threads: int = 1, workers: int = 1, **env: str | None
) -> Iterator[str]:
    """gunicorn serving opf.wsgi on the test database; yields its base URL."""
    port = free_port()
    process = Process(
        name,
        [
            str(BIN / "gunicorn"),
            "opf.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
        ],
        process_env(**env),
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            requests.get(f"{url}/", timeout=5, allow_redirects=False)
        except requests.RequestException:
            return False
        return True

    try:
        if not wait_for(answers, timeout=45, step=0.2):
            raise AssertionError(f"gunicorn did not start:\n{process.output()}")
        yield url
    finally:
        process.stop()
        if process.popen.returncode not in (0, -signal.SIGTERM):
            print(process.output())  # the test's captured output shows why
        process.log.unlink(missing_ok=True)
