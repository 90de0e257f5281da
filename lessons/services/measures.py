"""The measurement repository: CSV import (all or nothing, row by row errors)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lessons.models import Measure, Measurement
from opf.core.permissions import can
from opf.core.services import save_object
from opf.organization.models import Project

if TYPE_CHECKING:
    from opf.core.accounts import User

IMPORT_COLUMNS = ("measure", "project", "period", "value", "note")
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    measurement: Measurement | None = None


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and all(not row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "errors": [str(e) for e in self.errors],
            "rows": [
                {"line": r.line, "errors": [str(e) for e in r.errors]}
                for r in self.rows
                if r.errors
            ],
        }


class ImportFailed(Exception):
    def __init__(self, preview: ImportPreview) -> None:
        super().__init__(f"{preview.error_count} problems")
        self.preview = preview


def parse_period(text: str) -> date | None:
    """``2026-03`` or ``2026-03-01`` -> the month's first day."""
    parts = text.strip().split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    try:
        day = date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        return None
    return day if day.day == 1 else None


def preview_measurements_csv(content: str, *, actor: User) -> ImportPreview:
    """Check every row (measure by name, project by code, period YYYY-MM, a number);
    a row that updates an existing value is allowed; nothing is saved."""
    if len(content.encode()) > MAX_IMPORT_BYTES:
        return ImportPreview([], [_("The file is larger than 2 MB.")])
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("measure", "project", "period", "value") if c not in header]
    if missing:
        return ImportPreview([], [_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}])
    measures = {m.name.lower(): m for m in Measure.objects.all()}
    projects = {p.code.lower(): p for p in Project.objects.select_related("manager")}
    existing = {
        (m.measure_id, m.project_id, m.period): m
        for m in Measurement.objects.filter(project__in=projects.values())
    }
    rows: list[ImportRow] = []
    seen: dict[tuple[int, int, date], int] = {}
    for index, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_IMPORT_ROWS:
            return ImportPreview(
                rows, [_("At most %(max)d rows per file.") % {"max": MAX_IMPORT_ROWS}]
            )
        values = {
            (k or "").strip().lower(): (v or "").strip()
            for k, v in raw.items()
            if isinstance(v, str | type(None))
        }
        row = ImportRow(index, {c: values.get(c, "") for c in IMPORT_COLUMNS})
        v = row.values
        measure = measures.get(v["measure"].lower())
        if measure is None:
            row.errors.append(_("measure %(value)r not found") % {"value": v["measure"]})
        project = projects.get(v["project"].lower())
        if project is None:
            row.errors.append(_("project %(value)r not found") % {"value": v["project"]})
        period = parse_period(v["period"])
        if period is None:
            row.errors.append(
                _("period %(value)r is not a month (YYYY-MM)") % {"value": v["period"]}
            )
        try:
            number = Decimal(v["value"].replace(",", "."))
            if not number.is_finite() or abs(number) >= Decimal("1e10"):
                raise InvalidOperation
        except InvalidOperation:
            number = None
            row.errors.append(_("value %(value)r is not a number") % {"value": v["value"]})
        if len(v["note"]) > 200:
            row.errors.append(_("note is longer than 200 characters"))
        if measure and project and period:
            key = (measure.pk, project.pk, period)
            if key in seen:
                row.errors.append(
                    _("same measure, project and month as line %(line)d") % {"line": seen[key]}
                )
            seen[key] = index
            measurement = existing.get(key) or Measurement(
                measure=measure, project=project, period=period
            )
            if not can(actor, "change" if measurement.pk else "add", measurement):
                row.errors.append(
                    _("you may not enter measurements for %(project)s") % {"project": project}
                )
            elif not row.errors:
                measurement.value = number
                measurement.note = v["note"]
                row.measurement = measurement
        rows.append(row)
    errors = [] if rows else [_("The file has no rows.")]
    return ImportPreview(rows, errors)


@transaction.atomic
def import_measurements_csv(content: str, *, actor: User) -> list[Measurement]:
    """Save every row, or nothing if any row has an error."""
    preview = preview_measurements_csv(content, actor=actor)
    if not preview.ok:
        raise ImportFailed(preview)
    saved = []
    for row in preview.rows:
        assert row.measurement is not None
        try:
            saved.append(save_object(row.measurement, actor=actor, reason=_("Imported from CSV")))
        except ValidationError as error:
            row.errors.extend(error.messages)
    if not preview.ok:
        transaction.set_rollback(True)
        raise ImportFailed(preview)
    return saved
