"""Test runs use the one settings module (opf.settings) with test values in the
environment: a fixed secret, plain HTTP for the test client and live server,
and static files served without a collectstatic manifest.

Every checkout, and every pytest-xdist worker in it, tests on its own: its
files (SQLite database, filesystem broker, media) under ``var/tests/<worker>``
in the checkout, its PostgreSQL test database named after the checkout's path,
and its Redis keys (cache and broker) under a prefix of the same name. Two
clones on one machine, or two workers of one run, never share state."""

import hashlib
import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
CHECKOUT_ID = hashlib.sha256(str(CHECKOUT).encode()).hexdigest()[:8]
RUN_ID = f"opf-tests-{CHECKOUT_ID}-{WORKER}"

for key, value in {
    "SECRET_KEY": "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "OPF_PLAIN_STATIC": "true",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "EMAIL_URL": "consolemail://",
    # Rate limits have their own tests (tests/opf/test_sign_in.py); the rest of
    # the suite makes thousands of API calls as a handful of users.
    "OPF_API_RATE_PER_MINUTE": "1000000",
    "OPF_API_ANON_RATE_PER_MINUTE": "1000000",
    # Apart from a development server running from the same folder (var/), from
    # other checkouts and from the other workers of this run.
    "OPF_VAR_DIR": str(CHECKOUT / "var" / "tests" / WORKER),
}.items():
    os.environ.setdefault(key, value)

from opf.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only

# Every /api/v1/ answer the suite gets is checked against the served schema
# (tests/conformance.py; the ``_responses_conform`` fixture fails the test). Outermost:
# it sees the answer as the client gets it. The benchmark (bench/) turns it off with
# OPF_CHECK_CONFORMANCE=0: validating a page of 50 records against the schema took
# about half of an API list's time, which no server spends.
if os.environ.get("OPF_CHECK_CONFORMANCE", "1") != "0":
    MIDDLEWARE = ["tests.conformance.ConformanceMiddleware", *MIDDLEWARE]  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not Django's shared-cache in-memory database: the live server's
    # thread and the test's thread then wait on each other (WAL, busy timeout)
    # instead of failing with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
else:
    # pytest-xdist workers get "_gw0", "_gw1"… appended by pytest-django. The
    # database named in DATABASE_URL is part of the name: two runs in one checkout
    # against different databases do not share a test database.
    _BASE = DATABASES["default"]["NAME"] or "opf"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_{_BASE}_{CHECKOUT_ID}"[:50]}  # noqa: F405

if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = RUN_ID  # noqa: F405
if CELERY_BROKER_URL.startswith("redis"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = f"{RUN_ID}:"  # noqa: F405
