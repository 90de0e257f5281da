"""Backup and restore of the whole program: every record (with its history) as
JSON, and every uploaded file, in one ZIP.

``backup`` writes ``data.json`` (Django's serializer, natural keys for users,
groups and permissions) and ``media/...``; ``restore`` loads such a ZIP into a
freshly migrated database (one with no program records yet) in one transaction,
after putting the files back. What the database can rebuild by itself is left
out: content types, permissions, sessions, the admin log, Celery's task
results, beat's change marker, the per-project coverage counts (counted again
when read), and API tokens (credentials are not copied; people create new ones).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _

from actions import improvement_stays, item_figures
from deployment.milestones import refresh_milestones
from lessons import compliance_counts

DATA = "data.json"
MEDIA = "media/"
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "authtoken",
    "django_celery_results",
    "django_celery_beat.periodictasks",  # beat's "schedules changed" marker, set on restore
    "deployment.projectcoverage",  # counts derived from the deployments, counted when read
    "lessons.planspenthours",  # sums derived from the action items, summed when read
    "actions.planitemfigures",  # figures derived from the action items, counted on write
    "actions.planitemmonth",
    "actions.planlatespan",
    "actions.improvementstay",  # stays derived from the improvements' history, on write
]


def dump() -> str:
    """Every record, as the JSON ``restore`` loads."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDED,
        stdout=out,
    )
    return out.getvalue()


def stored_files(folder: str = "") -> Iterator[str]:
    """The name of every file in the default storage (the media folder, or the S3
    bucket), under ``folder``."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # a media folder not made yet: no files
        return
    for name in sorted(files):
        yield f"{folder}{name}"
    for name in sorted(folders):
        yield from stored_files(f"{folder}{name}/")


def backup(path: Path) -> dict[str, int]:
    data = dump()
    files = list(stored_files())
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA, data)
        for name in files:
            with default_storage.open(name, "rb") as source, archive.open(MEDIA + name, "w") as out:
                shutil.copyfileobj(source, out)
    return {"records": len(json.loads(data)), "files": len(files)}


def program_is_empty() -> bool:
    from opf.core.accounts import User
    from opf.organization.models import OrgUnit, Project

    return not (
        OrgUnit.objects.exists()
        or Project.objects.exists()
        or User.objects.filter(is_superuser=False).exists()
    )


def restore(path: Path) -> dict[str, int]:
    """Load a backup into an empty, migrated database; refuses anything else."""
    if not program_is_empty():
        raise ValidationError(_("Restore needs an empty database: this one holds records."))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if DATA not in names:
            raise ValidationError(_("Not an OPF backup: %(name)s is missing.") % {"name": DATA})
        data = archive.read(DATA).decode()
        files = [n for n in names if n.startswith(MEDIA) and not n.endswith("/")]
        for name in files:
            stored = PurePosixPath(name[len(MEDIA) :])
            if stored.is_absolute() or ".." in stored.parts:
                # no escape from the media folder (or the bucket's prefix)
                raise ValidationError(
                    _("Unsafe file name in the backup: %(name)s") % {"name": name}
                )
        for name in files:
            stored_name = name[len(MEDIA) :]
            if default_storage.exists(stored_name):  # the same name, as the records say
                default_storage.delete(stored_name)
            with archive.open(name) as source:
                default_storage.save(stored_name, File(source, name=stored_name))
    count = 0
    with transaction.atomic():
        _clear_derived_schedules()
        for record in serializers.deserialize("json", data, handle_forward_references=True):
            # The backup holds the history rows: restoring a record's many-to-many
            # must not write one more (simple-history listens to m2m_changed).
            record.object.skip_history_when_saving = True  # type: ignore[attr-defined]
            record.save()
            count += 1
        # Loaded without signals: each audit's item counts are counted from the items
        # restored (a backup made before the counts were kept has none).
        compliance_counts.recount()
        item_figures.recount()  # each plan's item figures, likewise
        improvement_stays.recount()  # each improvement's stays, from its history rows
        refresh_milestones()  # its milestones (a backup made before some were kept)
    return {"records": count, "files": len(files)}


def _clear_derived_schedules() -> None:
    """Migrating made the default beat schedules; the backup's (as staff edited
    them) replace them."""
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        PeriodicTasks,
        SolarSchedule,
    )

    PeriodicTask.objects.all().delete()
    for model in (CrontabSchedule, IntervalSchedule, SolarSchedule, ClockedSchedule, PeriodicTasks):
        model.objects.all().delete()


def records_by_model(data: str) -> dict[str, list[Any]]:
    """Records of a dump grouped by model, in a comparable form (for checks).

    Django's JSON keeps times to the millisecond: a time with fewer than 1,000
    microseconds is written "…:08.000Z" before a round trip and "…:08Z" after.
    """
    data = re.sub(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"', r'\1\2"', data)
    grouped: dict[str, list[Any]] = {}
    for row in json.loads(data):
        grouped.setdefault(row["model"], []).append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
    return grouped
