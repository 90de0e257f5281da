"""The reference models in the global search (``opf.core.search``)."""

from opf.core.search import Searchable
from opf.reference.models import Practice, ProcessArea, ReferenceModel

KINDS = [
    Searchable(ReferenceModel, text=("name",), codes=("abbreviation",)),
    Searchable(
        ProcessArea,
        text=("name", "purpose"),
        codes=("abbreviation",),
        select_related=("reference_model",),
        detail=lambda area: str(area.reference_model),
    ),
    Searchable(
        Practice,
        text=("name", "statement"),
        codes=("code", "process_area__abbreviation"),
        select_related=("process_area",),
        detail=lambda practice: practice.process_area.name,
    ),
]
