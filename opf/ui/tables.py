"""Base table: every list page's table renders with our template and links rows."""

from __future__ import annotations

import django_tables2 as tables


class ObjectTable(tables.Table):
    """Subclass per model; the first linked column opens the record."""

    class Meta:
        template_name = "ui/table.html"
        attrs = {"class": "table"}
        per_page = 25
