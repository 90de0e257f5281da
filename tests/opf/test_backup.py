"""Backup and restore (#9): the whole program survives a round trip."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command

from opf import backup as backups

pytestmark = pytest.mark.django_db

REFERENCE_MIGRATION = "0003_cmmi_dev"
REFERENCE = Path(__file__).resolve().parents[2] / "opf" / "reference_data" / "cmmi_dev_v1_2.json"


@pytest.fixture
def content_type_cache():
    """Flushing re-creates content types with new ids: forget the cached ones after."""
    from django.contrib.contenttypes.models import ContentType

    yield
    ContentType.objects.clear_cache()


def fresh_database() -> None:
    """What ``migrate`` leaves in a new database: roles, schedules and CMMI-DEV,
    loaded by its data migration with the models as they were then (no history)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from opf.reference.services import create_from_spec, parse_json

    if connection.vendor == "postgresql":  # TRUNCATE needs the test's pending FK checks done
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", "--no-input", stdout=StringIO())  # also re-emits post_migrate
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # The old migrations' graph: a new database runs their squashed replacement.
    loader = MigrationLoader(connection, replace_migrations=False)
    state = loader.project_state(("opf", REFERENCE_MIGRATION))
    create_from_spec(parse_json(REFERENCE.read_bytes()), models=state.apps, builtin=True)


@pytest.mark.heavy
def test_a_backup_restores_every_record_and_file(tmp_path, settings, content_type_cache):
    from deployment.models import AssetVersion

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_data", stdout=StringIO())
    version = AssetVersion.objects.order_by("pk").first()
    version.file.save("estimation-guide.txt", ContentFile(b"Estimate from history."), save=True)
    before = backups.records_by_model(backups.dump())
    assert before["appraisals.finding"] and before["actions.historicalprocessactionplan"]

    archive = tmp_path / "opf-backup.zip"
    counts = backups.backup(archive)
    assert counts["files"] == 1 and counts["records"] == sum(len(r) for r in before.values())

    fresh_database()
    (tmp_path / "media").rename(tmp_path / "media-old")  # the files must come from the ZIP
    restored = backups.restore(archive)
    assert restored["records"] == counts["records"] and restored["files"] == 1

    after = backups.records_by_model(backups.dump())
    assert sorted(after) == sorted(before)
    for model, rows in before.items():
        assert after[model] == rows, model
    version.refresh_from_db()
    assert version.file.read() == b"Estimate from history."


def test_restore_refuses_a_database_that_holds_records(tmp_path, people):
    archive = tmp_path / "opf-backup.zip"
    backups.backup(archive)
    with pytest.raises(ValidationError, match="empty database"):
        backups.restore(archive)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    import zipfile

    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(ValidationError, match="Not an OPF backup"):
        backups.restore(archive)
