"""Streamed CSV and XLSX exports of a list page: what the filter shows, in the
order the table shows it, never built whole in memory.

The filtered, sorted queryset is read in chunks of ``CHUNK`` rows; each chunk
becomes a table of its own (so column rendering and ``value_*`` methods are
the page's), and its rows go out as soon as they are formatted. CSV streams
straight to the client; XLSX is written row by row by openpyxl's write-only
workbook into a temporary file, which is then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CHUNK = 2000
FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
            yield header
            first = False
        yield from values
        if len(rows) < chunk:
            return
        start += chunk


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(rows: Iterator[list], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows: Iterator[list], filename: str, title: str) -> FileResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Export")
    for row in rows:
        sheet.append([_cell(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


def _cell(value: Any) -> Any:
    """A value XLSX can hold: control characters (legal in our text fields, not
    in the file format) become U+FFFD instead of failing the whole export."""
    if value is None or isinstance(value, int | float):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
