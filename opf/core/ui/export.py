"""Streamed CSV and XLSX exports of a list page: what the filter shows, in the
order the table shows it, never built whole in memory.

The filtered, sorted queryset is read in chunks of ``CHUNK`` rows; each chunk
becomes a table of its own (so column rendering and ``value_*`` methods are
the page's), and its rows go out as soon as they are formatted. CSV streams
straight to the client; XLSX is written row by row by openpyxl's write-only
workbook into a temporary file, which is then streamed.

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
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CHUNK = 2000
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
NUMBERS = (int, float, Decimal)


def export_rows(
    table: Any, *, exclude: tuple[str, ...] = (), chunk: int | None = None
) -> Iterator[list]:
    """The header, then every row of ``table``'s data, ``chunk`` rows at a time."""
    chunk = chunk or CHUNK
    data = table.data.data  # the filtered queryset, ordered as the table is
    table_class = type(table)
    first = True
    start = 0
    while True:
        rows = list(data[start : start + chunk])
        part = table_class(rows, order_by=(), request=getattr(table, "request", None))
        values = part.as_values(exclude_columns=exclude)
        header = next(values)
        if first:
            yield [plain(value) for value in header]
            first = False
        for row in values:
            yield [plain(value) for value in row]
        if len(rows) < chunk:
            return
        start += chunk


def plain(value: Any) -> Any:
    """The value, or the text of markup a table rendered for the page (a badge)."""
    if isinstance(value, SafeData):
        return html.unescape(strip_tags(str(value)))
    return value


def is_formula(value: Any) -> bool:
    """Would a spreadsheet read this text as a formula? (Only text: numbers are numbers.)"""
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterator[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_cell(value) for value in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
