"""Initiatives in the global search (``opf.core.search``)."""

from opf.core.search import Searchable
from opf.initiatives.models import Initiative

KINDS = [
    Searchable(
        Initiative,
        text=("name", "description", "outcome"),
        select_related=("owning_unit",),
        detail=lambda i: f"{i.get_method_display()} · {i.owning_unit}",
    ),
]
