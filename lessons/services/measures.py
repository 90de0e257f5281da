"""The measurement repository: CSV import (all or nothing, row by row errors)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from lessons.models import Measure, Measurement
from opf.core.csvimport import CsvImport, ImportPreview, ImportRow
from opf.core.csvimport import ImportFailed as ImportFailed  # the pages and API catch it here
from opf.core.permissions import can
from opf.organization.models import Project

if TYPE_CHECKING:
    from opf.core.accounts import User

IMPORT_COLUMNS = ("measure", "project", "period", "value", "note")
MAX_IMPORT_ROWS = 20_000


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


def parse_number(text: str) -> Decimal | None:
    """A finite number below 10^10 in size; a decimal comma is allowed."""
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e10") else None


class MeasurementsImport(CsvImport[Measurement]):
    """Measure by name, project by code, period YYYY-MM, a number; a row for a
    month already measured updates its value."""

    columns = IMPORT_COLUMNS
    required = ("measure", "project", "period", "value")
    max_rows = MAX_IMPORT_ROWS

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.seen: dict[tuple[int, int, date], int] = {}  # line of each measure, project, month

    def prepare(self) -> None:
        self.measures = {m.name.lower(): m for m in Measure.objects.all()}
        self.projects = {p.code.lower(): p for p in Project.objects.select_related("manager")}
        self.existing = {
            (m.measure_id, m.project_id, m.period): m
            for m in Measurement.objects.filter(project__in=self.projects.values())
        }

    def parse_row(self, row: ImportRow[Measurement]) -> Measurement | None:
        v, errors = row.values, row.errors
        measure = self.measures.get(v["measure"].lower())
        if measure is None:
            errors.append(_("measure %(value)r not found") % {"value": v["measure"]})
        project = self.projects.get(v["project"].lower())
        if project is None:
            errors.append(_("project %(value)r not found") % {"value": v["project"]})
        period = parse_period(v["period"])
        if period is None:
            errors.append(_("period %(value)r is not a month (YYYY-MM)") % {"value": v["period"]})
        number = parse_number(v["value"])
        if number is None:
            errors.append(_("value %(value)r is not a number") % {"value": v["value"]})
        if len(v["note"]) > 200:
            errors.append(_("note is longer than 200 characters"))
        if not (measure and project and period):
            return None
        key = (measure.pk, project.pk, period)
        if key in self.seen:
            errors.append(
                _("same measure, project and month as line %(line)d") % {"line": self.seen[key]}
            )
        self.seen[key] = row.line
        measurement = self.existing.get(key) or Measurement(
            measure=measure, project=project, period=period
        )
        if not can(self.actor, "change" if measurement.pk else "add", measurement):
            errors.append(
                _("you may not enter measurements for %(project)s") % {"project": project}
            )
            return None
        if errors:
            return None
        measurement.value = number
        measurement.note = v["note"]
        return measurement


def preview_measurements_csv(content: str, *, actor: User) -> ImportPreview[Measurement]:
    """Check every row; a row that updates an existing value is allowed; nothing is saved."""
    return MeasurementsImport(actor).preview(content)


def import_measurements_csv(content: str, *, actor: User) -> list[Measurement]:
    """Save every row, or nothing if any row has an error (``ImportFailed``)."""
    return MeasurementsImport(actor).run(content, actor=actor)
