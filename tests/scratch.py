"""Databases that tests build for subprocesses of their own (the quick benchmark,
the load test) are named after this checkout and pytest-xdist worker, like the
test database, so two clones or two workers never drop each other's."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from tests.settings import CHECKOUT_ID, WORKER


def scratch_database_url(folder: Path) -> str:
    """The suite's database server with a database name of this run's own; on
    SQLite, a file in ``folder``."""
    base = os.environ.get("DATABASE_URL", "")
    if not base or base.startswith("sqlite"):
        return f"sqlite:///{folder / 'opf.sqlite3'}"
    return urlunparse(urlparse(base)._replace(path=f"/opf_{CHECKOUT_ID}_{WORKER}"))
