"""Base table: every list page's table renders with our template and links rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_tables2 as tables
from django.db import models
from django.utils import timezone
from django_tables2.columns import library


@library.register
class IsoDateColumn(tables.Column):
    """Dates as YYYY-MM-DD: unambiguous, and rendered in Python (tables2's own
    date column compiles a template for every cell)."""

    @classmethod
    def from_field(cls, field: models.Field, **kwargs: Any) -> IsoDateColumn | None:
        if isinstance(field, models.DateField):
            return cls(**kwargs)
        return None

    def render(self, value: date) -> str:
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        return value.isoformat()

    def value(self, value: date | None, **kwargs: Any) -> str:
        return "" if value is None else self.render(value)


class ObjectTable(tables.Table):
    """Subclass per model; the first linked column opens the record."""

    class Meta:
        template_name = "ui/table.html"
        attrs = {"class": "table"}
        per_page = 25
