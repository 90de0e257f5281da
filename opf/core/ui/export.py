"""Streamed CSV and XLSX exports of a list page: what the filter shows, in the
order the table shows it, never built whole in memory.

The filtered, sorted queryset is read through one server-side cursor (on
PostgreSQL; ``QuerySet.iterator``), ``OPF_EXPORT_CHUNK`` rows at a time, with its
joined records prefetched once per chunk; each row's cells are the page table's
columns (``Cell``: django-tables2's rules, the per-cell work done once). CSV
streams to the client in pieces of a few hundred rows; XLSX is written row by
row by openpyxl's write-only workbook (inline strings, through lxml) into a
temporary file, which is then streamed. Memory holds a chunk, never the table
(``tests/opf/test_exports.py`` measures it); 20,000 rows take about 0.7 s in
CSV (``bench/``).

An export holds values, never markup or live formulas (OWASP "CSV injection"):

- a cell a table renders as markup (a ``render_*`` method's ``format_html``, with
  no ``value_*`` beside it) goes out as its text (``plain``);
- a text value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return would be a formula to a spreadsheet: in CSV it gets a leading ``'``
  (``csv_cell``), in XLSX it is written as a text cell, never a formula
  (``xlsx_cell``). Numbers stay numbers: a negative number is not text.
"""

from __future__ import annotations

import csv
import html
import io
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.http import FileResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django_tables2 import Column, ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow
from django_tables2.utils import Accessor, signature
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


def export_rows(
    table: Any, *, exclude: tuple[str, ...] = (), chunk: int | None = None
) -> Iterator[list]:
    """The header, then every row of ``table``'s data: the filtered, ordered queryset
    read through one server-side cursor, ``chunk`` rows at a time (``iterator``),
    each row's cells read by ``Cell`` (the page table's own column rules)."""
    columns = [
        column
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in exclude)
    ]
    yield [force_str(column.header, strings_only=True) for column in columns]
    rows = BoundRows(table)
    cells = [Cell(table, column, rows) for column in columns]
    data = table.data.data  # the filtered queryset, ordered as the table is
    records = (
        with_relations(in_full_order(data), chunk or settings.OPF_EXPORT_CHUNK)
        if isinstance(data, QuerySet)
        else data
    )
    for record in records:
        values = [cell.value(record) for cell in cells]
        yield [plain(value) if isinstance(value, SafeData) else value for value in values]


def in_full_order(queryset: QuerySet) -> QuerySet:
    """The table's order with the primary key last: rows that tie on the sort keys
    (or a list in no order at all: an aggregate drops the model's ``ordering``) come
    out in the same order every time, whatever plan the cursor gets."""
    query = queryset.query
    keys = list(query.order_by)
    if not keys and query.default_ordering and not query.group_by:
        keys = list(query.get_meta().ordering or ())
    if not {"pk", "-pk", "id", "-id"} & {str(key) for key in keys}:
        keys.append("pk")
    return queryset.order_by(*keys)


def prefetched(queryset: QuerySet) -> QuerySet:
    """The queryset with its ``select_related`` joins read as ``prefetch_related``
    instead, a chunk at a time: a join builds every related record again for every
    row (five models a row for a finding), a prefetch builds each one once per chunk.
    On the 19,500 findings that is half the time of reading them."""
    joined = queryset.query.select_related
    if not isinstance(joined, dict) or not joined or queryset.query.deferred_loading[0]:
        return queryset  # none, ``select_related()`` with no names, or only()/defer()

    return queryset.select_related(None).prefetch_related(*_paths(joined))


def with_relations(queryset: QuerySet, chunk: int) -> Iterator[Any]:
    """The rows of ``queryset`` through one server-side cursor, ``chunk`` at a time,
    each chunk's ``select_related`` records read once per chunk (``load_joined``): as
    ``prefetched(queryset).iterator(chunk)``, the same queries in the same order, with
    less Python per row (Django's prefetch is generic: a third of a 20,000-row export)."""
    joined = queryset.query.select_related
    if (
        not isinstance(joined, dict)
        or not joined
        or queryset.query.deferred_loading[0]
        or getattr(queryset, "_prefetch_related_lookups", None)  # its own may join
    ):
        yield from prefetched(queryset).iterator(chunk_size=chunk)
        return
    batch: list[Any] = []
    for record in queryset.select_related(None).iterator(chunk_size=chunk):
        batch.append(record)
        if len(batch) == chunk:
            load_joined(batch, joined)
            yield from batch
            batch = []
    if batch:
        load_joined(batch, joined)
        yield from batch


def load_joined(records: list[Any], tree: dict) -> None:
    """Read the records ``tree`` (a ``select_related`` tree) names for ``records``: per
    relation one query for the keys the records hold, each related record made once
    and cached on every record naming it (as Django's prefetch does for a foreign
    key). A relation other than a single-column foreign key is left to Django."""
    model = type(records[0])
    using = records[0]._state.db
    for name, below in tree.items():
        field = model._meta.get_field(name)
        if not (
            field.concrete
            and (field.many_to_one or field.one_to_one)
            and len(field.foreign_related_fields) == 1
        ):
            paths = [name, *(f"{name}__{path}" for path in _paths(below))]
            prefetch_related_objects(records, *paths)
            continue
        attname, target = field.attname, field.target_field
        keys = {getattr(record, attname) for record in records} - {None}
        found: dict[Any, Any] = {}
        if keys:
            manager = field.remote_field.model._base_manager.db_manager(using)
            rows = manager.filter(**{f"{target.name}__in": keys}).order_by()  # as Django's
            found = {getattr(row, target.attname): row for row in rows}
        reverse = field.one_to_one and not field.remote_field.multiple
        for record in records:
            related = found.get(getattr(record, attname))
            field.set_cached_value(record, related)
            if reverse and related is not None:
                field.remote_field.set_cached_value(related, record)
        if below and found:
            load_joined(list(found.values()), below)


def _paths(tree: dict, prefix: str = "") -> Iterator[str]:
    for name, below in tree.items():
        yield prefix + name
        yield from _paths(below, f"{prefix}{name}__")


class BoundRows:
    """The ``BoundRow`` of the record being exported, made once for all its cells
    (django-tables2 makes one per cell that names ``bound_row`` or ``**kwargs``)."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.record: Any = None
        self.row: BoundRow | None = None

    def of(self, record: Any) -> BoundRow:
        if self.row is None or self.record is not record:
            self.record, self.row = record, BoundRow(record, self.table)
        return self.row


class Cell:
    """One column's export value of a record, by django-tables2's rules (as
    ``Table.as_values``): a choice field's display text, ``value_<name>`` or else
    ``render_<name>`` or else the column's ``value``, called with the arguments it
    names; an empty value is ``None``. What django-tables2 works out again for every
    cell (the method's signature, the model field behind the accessor, a choice's
    translated label) is worked out once per export here: on a 20,000-row table that
    is most of the time. ``tests/gates/test_exports.py`` compares the two on every
    export page."""

    def __init__(self, table: Any, bound_column: Any, rows: BoundRows | None = None) -> None:
        self.table = table
        self.rows = rows or BoundRows(table)
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        bits: list[str] = list(self.accessor.bits) or [""]
        self.path, self.name = bits[:-1], bits[-1]
        function = bound_column.value
        if getattr(function, "__func__", None) is Column.value:
            function = self.column.render  # what Column.value would call, every cell
        self.function = function
        # django-tables2's own ``Column.render`` gives the value back: no call needed
        self.as_is = getattr(function, "__func__", None) is Column.render
        empty = tuple(self.column.empty_values)
        self.empty = empty
        # a record is never equal to None or "" (``Model.__eq__`` compares records only):
        # skip the comparisons, each a Python call, unless an empty value is a record
        self.records_never_empty = not any(isinstance(e, Model) for e in empty)
        self.many = isinstance(self.column, ManyToManyColumn)
        arguments, catch_all = signature(function)
        given = {"column": self.column, "bound_column": bound_column, "table": table}
        names = {"value", "record", "bound_row", *given}
        self.never = not catch_all and any(name not in names for name in arguments)
        self.fixed = {k: v for k, v in given.items() if catch_all or k in arguments}
        self.wants = {k for k in ("value", "record", "bound_row") if catch_all or k in arguments}
        self.fields: dict[type, Any] = {}  # model class -> field behind the accessor
        self.labels: dict[Any, Any] = {}  # raw choice value -> its label

    def value(self, record: Any) -> Any:
        owner = record
        for name in self.path:  # the fast way for a chain of model attributes
            if owner is None:
                break
            if not isinstance(owner, Model):
                return self.slow_value(record)
            try:
                owner = getattr(owner, name)
            except AttributeError:
                return self.slow_value(record)
            if callable(owner):
                return self.slow_value(record)
        if owner is None:
            value = None
        elif not isinstance(owner, Model):
            return self.slow_value(record)
        else:
            field = self.field(record)
            if field is not None and getattr(field, "choices", None):
                value = self.label(owner, self.name)
            else:
                try:
                    value = getattr(owner, self.name)
                except AttributeError:
                    return self.slow_value(record)
                if callable(value):
                    return self.slow_value(record)
        return self.out(record, value)

    def slow_value(self, record: Any) -> Any:
        """As django-tables2's ``BoundRow._get_and_render_with``: dictionaries, list
        indexes, callables and failed lookups on the way."""
        value = None
        penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, Model):
            field = self.field(record)
            if field is not None and getattr(field, "choices", None):
                value = self.label(penultimate, remainder)
                remainder = None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:  # a column not backed by a field (django-tables2 #257)
                if isinstance(self.column, BaseLinkColumn) and self.column.text is not None:
                    return force_str(self.call(record, None), strings_only=True)
        return self.out(record, value)

    def out(self, record: Any, value: Any) -> Any:
        if not (self.records_never_empty and isinstance(value, Model)) and (
            value in self.empty or (self.many and not value.exists())
        ):
            return None
        result = value if self.as_is else self.call(record, value)
        return result if type(result) is str else force_str(result, strings_only=True)

    def field(self, record: Any) -> Any:
        kind = type(record)
        if kind not in self.fields:
            try:
                self.fields[kind] = self.accessor.get_field(record)
            except FieldDoesNotExist:
                self.fields[kind] = None
        return self.fields[kind]

    def label(self, owner: Model, name: str) -> Any:
        raw = getattr(owner, name)
        key = make_hashable(raw)
        if key not in self.labels:
            display = getattr(owner, f"get_{name}_display", None)
            self.labels[key] = force_str(display(), strings_only=True) if display else raw
        return self.labels[key]

    def call(self, record: Any, value: Any) -> Any:
        if self.never:  # it names an argument no cell has: django-tables2 gives None
            return None
        given = dict(self.fixed)
        if "value" in self.wants:
            given["value"] = value
        if "record" in self.wants:
            given["record"] = record
        if "bound_row" in self.wants:
            given["bound_row"] = self.rows.of(record)
        return self.function(**given)


def plain(value: Any) -> Any:
    """The value, or the text of markup a table rendered for the page (a badge)."""
    if isinstance(value, SafeData):
        return html.unescape(strip_tags(str(value)))
    return value


def is_formula(value: Any) -> bool:
    """Would a spreadsheet read this text as a formula? (Only text: numbers are numbers.)"""
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def csv_response(rows: Iterator[list], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(rows: Iterator[list], batch: int = 500) -> Iterator[str]:
    """The CSV, ``batch`` rows per piece: a piece per row would cost the server a
    write (a system call) per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    leads = FORMULA_LEADS
    for n, row in enumerate(rows, start=1):
        # csv_cell, inline: a call per cell is a tenth of the export
        writer.writerow([f"'{v}" if isinstance(v, str) and v.startswith(leads) else v for v in row])
        if n % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_cell(value: Any) -> Any:
    """A CSV value: formula-leading text gets a ``'`` so it stays text."""
    return f"'{value}" if is_formula(value) else value


def xlsx_response(rows: Iterator[list], filename: str, title: str) -> FileResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Export")
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A value XLSX can hold: numbers as numbers; text with control characters
    (legal in our text fields, not in the file format) turned to U+FFFD instead of
    failing the whole export; formula-leading text as a text cell, never a formula."""
    if value is None or isinstance(value, NUMBERS):  # bool too: a boolean cell
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    if not is_formula(text):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl made "=..." a formula: make it text again
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell
