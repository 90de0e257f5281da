"""Base table: every list page's table renders with our template and links rows."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

import django_tables2 as tables
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django_tables2.columns import library

from opf.core.display import STATE_FIELDS, format_date, state_badge
from opf.core.limits import max_page_size

PAGE_SIZES = (25, 100, 500)  # offered under every list; none over OPF_MAX_PAGE_SIZE


@library.register
class IsoDateColumn(tables.Column):
    """Dates the one way pages write them (``opf.core.display.format_date``: "15 Dec
    2026"), rendered in Python (tables2's own date column compiles a template for
    every cell); exports keep ISO 8601 (YYYY-MM-DD), which spreadsheets read."""

    @classmethod
    def from_field(cls, field: models.Field, **kwargs: Any) -> IsoDateColumn | None:
        if isinstance(field, models.DateField):
            return cls(**kwargs)
        return None

    def render(self, value: date) -> str:
        return format_date(value)

    # Only the arguments it reads: with ``**kwargs`` django-tables2 (and the export)
    # would build a ``BoundRow`` for every cell to pass along.
    def value(self, value: date | None, table: Any = None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            zone = table.time_zone if isinstance(table, ObjectTable) else None
            return timezone.localtime(value, zone).strftime("%Y-%m-%d %H:%M")
        return value.isoformat()


@library.register
class StateColumn(tables.Column):
    """A record's state (a ``state`` or ``status`` field with choices) as the same
    badge its page shows (``opf.core.display.state_badge``)."""

    @classmethod
    def from_field(cls, field: models.Field, **kwargs: Any) -> StateColumn | None:
        if field.name in STATE_FIELDS and field.choices:
            return cls(**kwargs)
        return None

    def render(self, value: Any, record: Any, bound_column: Any) -> SafeString:
        name = bound_column.accessor
        raw = getattr(record, str(name), value) if "__" not in str(name) else value
        return state_badge(str(raw), value)

    def value(self, value: Any) -> str:  # no ``**kwargs``: see ``IsoDateColumn.value``
        return str(value)


class ObjectTable(tables.Table):
    """Subclass per model; the first linked column opens the record.

    ``?per_page=`` chooses the page size, from 1 to ``OPF_MAX_PAGE_SIZE``
    (``opf.core.limits``, as the API's ``page_size``): a page asked for more
    shows that many and says so (``per_page_capped``)."""

    per_page_capped = False

    def __init__(self, *args: Any, row_count: int | None = None, **kwargs: Any) -> None:
        self.row_count = row_count  # counted by the list (``ObjectListView.lean_count``)
        super().__init__(*args, **kwargs)

    @cached_property
    def time_zone(self) -> tzinfo:
        """The request's time zone, looked up once for the table (a lookup per date
        cell is a tenth of a 20,000-row export)."""
        return timezone.get_current_timezone()

    class Meta:
        template_name = "ui/table.html"
        attrs = {"class": "table"}
        per_page = 25

    def paginate(self, *args: Any, per_page: int | None = None, **kwargs: Any) -> ObjectTable:
        if self.row_count is not None:
            self.data._length = self.row_count  # what the paginator reads as the length
        limit = max_page_size()
        wanted = per_page or self._meta.per_page
        self.per_page_capped = wanted > limit
        return super().paginate(*args, per_page=min(max(wanted, 1), limit), **kwargs)

    @property
    def page_sizes(self) -> list[int]:
        """The page sizes offered: the usual ones up to the limit, and the limit."""
        limit = max_page_size()
        return sorted({size for size in PAGE_SIZES if size < limit} | {limit})

    @property
    def max_per_page(self) -> int:
        return max_page_size()
