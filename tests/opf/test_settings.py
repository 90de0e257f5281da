"""Settings come from the environment and production values pass Django's deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "OPF_VAR_DIR": "/tmp/opf-settings-test",
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": "prod-like-" + "k3y-" * 15,
    "ALLOWED_HOSTS": "opf.example.com",
    "DATABASE_URL": "sqlite:////tmp/opf-settings-test/db.sqlite3",
}


def test_deploy_check_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = manage("check", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked(settings):
    assert os.environ.get("DEBUG") in (None, "", "false", "False", "0")
    assert settings.DEBUG is False


def test_csp_header_is_sent(client_as, people):
    response = client_as(people.member).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_no_model_changes_without_migrations():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_stores_passwords_with_argon2id_and_upgrades_older_ones():
    """New passwords are hashed with Argon2id; a password stored with PBKDF2 (before
    the change) still signs in and is stored again with Argon2id."""
    script = (
        "from django.contrib.auth.hashers import check_password, make_password\n"
        "new = make_password('s3cret-pass')\n"
        "old = make_password('s3cret-pass', hasher='pbkdf2_sha256')\n"
        "upgraded = []\n"
        "ok = check_password('s3cret-pass', old, setter=upgraded.append)\n"
        "print(new.split('$')[1], ok, len(upgraded))\n"
    )
    result = manage("shell", "-c", script, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["argon2id", "True", "1"]
