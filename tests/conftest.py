"""Shared fixtures: the pinned clock, personas for every role, clients signed in as them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse, urlunparse

import pytest
import time_machine
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opf.core.accounts import User
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER
from tests.conformance import take_mismatches
from tests.factories import personas

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run "inside" one unless told it is safe (it is: one thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Every test starts at this instant and the clock runs on from there
# (time-machine, ``tick=True``), in the test's thread and in the live server's
# and Celery worker's threads alike: no test depends on the day it runs.
# Set OPF_TEST_NOW (ISO 8601 with offset) to run the suite on another day, e.g.
# a year ahead, to show that no test depends on this one either.
TEST_NOW = datetime.fromisoformat(os.environ.get("OPF_TEST_NOW") or "2026-06-15T09:30:00+00:00")


def pytest_report_header() -> str:
    return f"clock: every test starts at {TEST_NOW.isoformat()} (OPF_TEST_NOW)"


@pytest.fixture(autouse=True)
def _pinned_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("real_clock"):
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture
def uncached_figures(settings) -> None:
    """A query-count test counts a page's own reads: nothing comes from the figures
    cache (the navigation's counts, the dashboard's panels), warm or cold."""
    settings.OPF_FIGURES_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_figures(request: pytest.FixtureRequest) -> None:
    """Figures cached by an earlier test (whose rows were rolled back) are not this
    test's: every test starts a new data generation (opf.core.freshness). A test that
    counts queries (``django_assert_*num_queries``) counts with the cache off."""
    from opf.core.freshness import bump

    bump()
    counting = {"django_assert_num_queries", "django_assert_max_num_queries"}
    if counting & set(request.fixturenames):
        request.getfixturevalue("uncached_figures")


@pytest.fixture(autouse=True)
def _responses_conform() -> Iterator[None]:
    """Fail the test whose API calls got an answer that does not conform to the
    served schema (recorded by ``tests.conformance.ConformanceMiddleware``, in the
    test's thread or the live server's)."""
    take_mismatches()
    yield
    found = take_mismatches()
    if found:
        listed = "\n".join(dict.fromkeys(found))
        pytest.fail(f"API answers that do not conform to the schema:\n{listed}", pytrace=False)


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle and pytest-django's grouping
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the migrated data (serialized rollback).
    One that doesn't leaves the database flushed and then re-seeded by Django's
    post-migrate signal, whose rows then clash with the next test's restore
    (``UNIQUE constraint failed: auth_group.name``), depending on test order."""
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            raise pytest.UsageError(
                f"{item.nodeid}: 'page' is Playwright's browser page; a test that is not a "
                "browser test must name its argument otherwise (it would share the browser "
                "tests' event loop and database connection)"
            )
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        if transactional and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.django_db(transaction=True, "
                "serialized_rollback=True)"
            )
    items[:] = heavy_first(items)


def _database_group(item: pytest.Item) -> int:
    """pytest-django's order: 0 database tests in a transaction, 1 transactional
    ones (they flush the database at their end, so they come after), 2 the rest."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = (
        marker is not None
        and bool(marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or bool({"transactional_db", "live_server"} & set(fixtures))
    if transactional:
        return 1
    return 0 if marker is not None or "db" in fixtures else 2


def heavy_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """Tests marked ``heavy`` (tens of seconds each) start first among the tests of
    their database group, and those that need no test database start the run: on
    two workers a heavy test handed out last ends the run alone, minutes after the
    other worker has finished. The rest keep their random order and grouping."""

    def rank(item: pytest.Item) -> int:
        group = _database_group(item)
        heavy = item.get_closest_marker("heavy") is not None
        return {(2, True): 0, (0, True): 1, (0, False): 2, (1, True): 3, (1, False): 4}.get(
            (group, heavy), 5
        )

    return sorted(items, key=rank)  # stable: the shuffled order within each rank


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, django_db_modify_db_settings: None) -> bool:
    """On PostgreSQL the test database starts as a copy of the migrated template
    (``bench/migrated.py``: migrated once per migration set, a second to copy) and
    Django is told to keep it, so it only checks that nothing is left to migrate.
    ``--reuse-db`` and ``--create-db`` keep their meaning; SQLite migrates."""
    from django.conf import settings

    reuse: bool = request.config.getvalue("reuse_db")
    database = settings.DATABASES["default"]
    url = os.environ.get("DATABASE_URL", "")
    if reuse or request.config.getvalue("create_db") or not url.startswith("postgres"):
        return reuse
    from bench.migrated import migrated_database

    name = database["TEST"]["NAME"]
    migrated_database(urlunparse(urlparse(url)._replace(path=f"/{name}")))
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """Make the migrated data that Django serialized when it created the test
    database reach every connection object. Django's connections are
    context-local (asgiref): once Playwright's event loop runs in this thread a
    test gets another connection object, one without the serialized data, and
    its serialized rollback restored nothing (a browser test run after another
    transactional test found no CMMI-DEV). A class attribute reaches them all."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _role_groups_in_transactional_tests(request: pytest.FixtureRequest) -> None:
    """A transactional test starts from a flushed database whose post-migrate
    data (content types, permissions, role groups, schedules) Django does not
    recreate when serialized rollback is on; recreate it before the test, and
    put the id sequences after the restored rows."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from django.apps import apps
        from django.core.management.color import no_style
        from django.core.management.sql import emit_post_migrate_signal
        from django.db import connection

        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        # The restore writes rows with their ids but leaves the id sequences where
        # they were (a test with reset_sequences set them back to 1): move every
        # sequence past the restored rows, or the next insert collides with them.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        if statements:
            with connection.cursor() as cursor:
                cursor.execute(";".join(statements))


@dataclass
class People:
    epg: User
    pm: User
    other_pm: User
    executive: User
    appraiser: User
    member: User

    def by_role(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


ROLES = ["epg", "pm", "other_pm", "executive", "appraiser", "member", "anonymous"]


@pytest.fixture
def people(db: None) -> People:
    made = personas(
        {
            "epg": [PROCESS_GROUP],
            "pm": [PROJECT_MANAGER],
            "other_pm": [PROJECT_MANAGER],
            "executive": [EXECUTIVE],
            "appraiser": [APPRAISER],
            "member": [],
        }
    )
    return People(**made)


@pytest.fixture
def client_as(client):
    """``client_as(user)``: the Django test client signed in as ``user`` (None: anonymous)."""

    def sign_in(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_as():
    """``api_as(user)``: a DRF client authenticated with the user's token (None: anonymous)."""

    def authenticate(user: User | None) -> APIClient:
        api = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return authenticate
