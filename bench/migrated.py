"""Migrated databases without migrating each one: on PostgreSQL the first caller
migrates a template database, ``opf_migrated_<digest>``, and every database after
it (the test databases of each pytest-xdist worker, the quick benchmark's, the
load test's) is a copy of it (``CREATE DATABASE … TEMPLATE``), which takes a
second where migrating takes about ten.

The digest covers everything that decides the migrated result: the content of
every migration file in this checkout and the version of every installed
distribution (third-party apps bring migrations of their own). A change to
either names another template, so a copy is never of a stale schema. Callers on
one server take turns under an advisory lock; the template is built under a
temporary name and renamed when complete, so a run that dies while migrating
leaves no half-built template behind. On SQLite the database is migrated.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
LOCK = 0x0F0F_2026  # pg_advisory_lock key shared by every caller on the server
SKIPPED = {".venv", "var", "node_modules", ".git"}


def digest() -> str:
    """A short hash of this checkout's migration files and the installed versions."""
    found = hashlib.sha256()
    folders = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in SKIPPED]
    files = sorted(path for folder in folders for path in folder.rglob("migrations/*.py"))
    for path in files:
        found.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    # Only the environment's distributions: a checkout on sys.path (``python -m``
    # from ROOT, pytest's rootdir) may hold an egg-info of its own, which would give
    # the same environment two digests.
    paths = [p for p in sys.path if p and Path(p).resolve() != ROOT]
    versions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in metadata.distributions(path=paths)
    )
    found.update("\n".join(versions).encode())
    return found.hexdigest()[:12]


def admin_connection(url: str) -> Any:
    """An autocommit connection to the server's ``postgres`` database."""
    import psycopg2

    parsed = urlparse(url)
    admin = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname="postgres",
    )
    admin.autocommit = True
    return admin


def migrate(url: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")


def migrated_database(url: str, env: dict[str, str] | None = None) -> None:
    """Make the database of ``url`` a freshly migrated one (dropped first if it
    exists)."""
    env = dict(os.environ if env is None else env)
    env.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    parsed = urlparse(url)
    if parsed.scheme.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path("/" + parsed.path.lstrip("/") + suffix).unlink(missing_ok=True)
        migrate(url, env)
        return
    name = parsed.path.lstrip("/")
    template = f"opf_migrated_{digest()}"
    admin = admin_connection(url)
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
            if cursor.fetchone() is None:
                building = f"{template}_building"
                cursor.execute(f'DROP DATABASE IF EXISTS "{building}"')
                cursor.execute(f'CREATE DATABASE "{building}"')
                migrate(urlunparse(parsed._replace(path=f"/{building}")), env)
                cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    finally:
        admin.close()


if __name__ == "__main__":
    # ``python -m bench.migrated``: build the template now (CI does it while the
    # checks run), so that the test workers only copy it. Nothing to do on SQLite.
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parsed = urlparse(url)
        scratch = urlunparse(parsed._replace(path=f"/{parsed.path.lstrip('/')}_template_check"))
        migrated_database(scratch)
        admin = admin_connection(url)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{urlparse(scratch).path.lstrip("/")}"')
        admin.close()
