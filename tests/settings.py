"""Test runs use the one settings module (opf.settings) with test values in the
environment: a fixed secret, plain HTTP for the test client and live server,
and static files served without a collectstatic manifest."""

import os
import tempfile

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
    # Keep the test run's files (and the filesystem broker's queue) apart from
    # a development server that may be running from the same folder.
    "OPF_VAR_DIR": os.path.join(tempfile.gettempdir(), f"opf-tests-{os.getuid()}"),
}.items():
    os.environ.setdefault(key, value)

from opf.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not Django's shared-cache in-memory database: the live server's
    # thread and the test's thread then wait on each other (WAL, busy timeout)
    # instead of failing with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
