"""``manage.py demo_data --if-empty --migrate``, what ``./dev start`` runs: the
database migrated and the demo loaded by one process (Django starts once)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


def test_migrate_runs_first_then_an_existing_organization_is_kept() -> None:
    OrgUnitFactory(name="Existing unit")
    out = StringIO()
    call_command("demo_data", "--if-empty", "--migrate", stdout=out)
    text = out.getvalue()
    assert "No migrations to apply." in text  # migrate ran, and found the test database current
    assert text.index("No migrations to apply.") < text.index("Demo data already loaded.")
    assert "Sign in as" in text


def test_without_migrate_nothing_is_migrated() -> None:
    OrgUnitFactory(name="Existing unit")
    out = StringIO()
    call_command("demo_data", "--if-empty", stdout=out)
    assert "migrations" not in out.getvalue().lower()
    assert "Demo data already loaded." in out.getvalue()
