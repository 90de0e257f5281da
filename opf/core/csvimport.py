"""Every CSV import, one way: decoding, size, header, rows and their errors.

A feature describes its file with a ``CsvImport`` subclass (the columns it
reads, those a file must have, how one row becomes an unsaved object) and gets

- ``preview(content)``: the text decoded (UTF-8, a byte-order mark dropped),
  its size checked against the import limit (``OPF_IMPORT_MAX_BYTES``, read by
  ``opf.core.uploads.import_max_bytes``), the header checked, then every row
  read with its line number and *all* its problems collected; nothing is saved;
- ``run(content, actor=...)``: every row saved, or none and ``ImportFailed``.

An import that builds something other than one object per row (a reference
model) reads its file with the same ``decode``, ``read_csv`` and ``row_where``
and fails with the same ``ImportFailed``. Pages show ``failure.preview`` (the
rows and their problems), the API answers ``failure.as_dict()``, commands
print ``failure.errors``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from opf.core.services import save_object
from opf.core.uploads import TEXT_ENCODING, import_max_bytes, too_large

if TYPE_CHECKING:
    from opf.core.accounts import User

T = TypeVar("T", bound=Model)


@dataclass
class RowError:
    """One problem and where it is: ``row 5``, ``header``, ``file``, ``model``."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def row_where(line: int) -> str:
    """Where a problem of the file's line ``line`` is (the header is line 1)."""
    return _("row %(line)d") % {"line": line}


@dataclass
class ImportRow(Generic[T]):
    line: int
    values: dict[str, str]  # the import's columns, in order, trimmed
    errors: list[str] = field(default_factory=list)
    obj: T | None = None  # what the row saves; only when it has no errors


@dataclass
class ImportPreview(Generic[T]):
    rows: list[ImportRow[T]]
    errors: list[str] = field(default_factory=list)  # problems of the whole file

    @property
    def ok(self) -> bool:
        return not self.errors and all(not row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors) + sum(len(row.errors) for row in self.rows)

    def row_errors(self) -> list[RowError]:
        """Every problem with its place: the file's, then each row's."""
        return [RowError(_("file"), str(error)) for error in self.errors] + [
            RowError(row_where(row.line), str(error)) for row in self.rows for error in row.errors
        ]

    def as_dict(self) -> dict[str, Any]:
        """The API's answer: the file's problems and, per bad row, its line and problems."""
        return {
            "errors": [str(e) for e in self.errors],
            "rows": [
                {"line": r.line, "errors": [str(e) for e in r.errors]}
                for r in self.rows
                if r.errors
            ],
        }


class ImportFailed(Exception):
    """Nothing was imported. ``errors`` lists every problem with its place;
    ``preview`` shows them row by row (an import without one gets a preview
    with its errors as the file's problems)."""

    def __init__(self, errors: Sequence[RowError], preview: ImportPreview[Any] | None = None):
        self.errors = list(errors)
        self.preview: ImportPreview[Any] = preview or ImportPreview(
            [], [str(e) for e in self.errors]
        )
        super().__init__("; ".join(str(e) for e in self.errors[:5]))

    @classmethod
    def of(cls, preview: ImportPreview[Any]) -> ImportFailed:
        return cls(preview.row_errors(), preview)

    def as_dict(self) -> dict[str, Any]:
        return self.preview.as_dict()


def decode(raw: bytes | str) -> str:
    """The text of a CSV file: UTF-8, a byte-order mark dropped."""
    if isinstance(raw, str):
        return raw.lstrip("\ufeff")
    try:
        return raw.decode(TEXT_ENCODING)
    except UnicodeDecodeError as error:
        raise ImportFailed([RowError(_("file"), _("not UTF-8 text."))]) from error


def size_error(content: bytes | str) -> str | None:
    """Why ``content`` is too large to import, or None."""
    size = len(content.encode() if isinstance(content, str) else content)
    limit = import_max_bytes()
    return too_large(size, limit) if size > limit else None


def read_csv(
    text: str, required: Sequence[str]
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The ``required`` columns the header lacks, and the rows as (line, values
    by column); column names are trimmed and in lower case, values trimmed."""
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in required if column not in header]
    rows = (
        (
            line,
            {
                (key or "").strip().lower(): (value or "").strip()
                for key, value in raw.items()
                if isinstance(value, str | None)  # not the list of extra cells
            },
        )
        for line, raw in enumerate(reader, start=2)
    )
    return missing, rows


class CsvImport(Generic[T]):
    """A feature's CSV import: set ``columns`` and ``required``, write
    ``parse_row`` (and ``prepare`` to load what rows are checked against)."""

    columns: tuple[str, ...] = ()  # every column read, in the preview's order
    required: tuple[str, ...] = ()  # the columns a file must have
    max_rows: int | None = None

    def prepare(self) -> None:
        """Load what the rows are checked against; called once the header is right."""

    def parse_row(self, row: ImportRow[T]) -> T | None:
        """The unsaved object ``row`` describes; each problem goes to ``row.errors``."""
        raise NotImplementedError

    def preview(self, content: str) -> ImportPreview[T]:
        """Every row checked, every problem listed; nothing is saved."""
        problem = size_error(content)
        if problem:
            return ImportPreview([], [problem])
        missing, lines = read_csv(decode(content), self.required)
        if missing:
            message = _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}
            return ImportPreview([], [message])
        self.prepare()
        rows: list[ImportRow[T]] = []
        for line, values in lines:
            if self.max_rows is not None and len(rows) >= self.max_rows:
                message = _("At most %(max)d rows per file.") % {"max": self.max_rows}
                return ImportPreview(rows, [message])
            row: ImportRow[T] = ImportRow(line, {c: values.get(c, "") for c in self.columns})
            obj = self.parse_row(row)
            row.obj = None if row.errors else obj
            rows.append(row)
        return ImportPreview(rows, [] if rows else [_("The file has no rows.")])

    @transaction.atomic
    def run(self, content: str, *, actor: User) -> list[T]:
        """Save every row as ``actor``, or nothing if any row has a problem."""
        preview = self.preview(content)
        if not preview.ok:
            raise ImportFailed.of(preview)
        saved: list[T] = []
        for row in preview.rows:
            assert row.obj is not None
            try:
                saved.append(save_object(row.obj, actor=actor, reason=_("Imported from CSV")))
            except ValidationError as error:
                row.errors.extend(error.messages)
        if not preview.ok:
            raise ImportFailed.of(preview)  # leaving the transaction with an error saves nothing
        return saved
