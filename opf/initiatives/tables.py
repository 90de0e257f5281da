"""The initiatives list."""

from __future__ import annotations

import django_tables2 as tables

from opf.core.ui.tables import ObjectTable
from opf.initiatives.models import Initiative


class InitiativeTable(ObjectTable):
    name = tables.Column(linkify=True)
    owning_unit = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Initiative
        fields = ("name", "method", "owning_unit", "owner", "sponsor", "start", "end", "state")
