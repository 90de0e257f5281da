"""Audits, lessons, proposals and measures in the global search (``opf.core.search``)."""

from django.utils.translation import gettext as _

from lessons.models import (
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    Measure,
    NonCompliance,
    Process,
    QuantitativeObjective,
)
from opf.core.search import Searchable

KINDS = [
    Searchable(
        Process,
        text=("name", "description"),
        codes=("code",),
        select_related=("owning_unit",),
        detail=lambda p: f"{p.get_kind_display()} · {p.owning_unit or _('enterprise-wide')}",
    ),
    Searchable(NonCompliance, text=("title", "description")),
    Searchable(Lesson, text=("title", "context", "what_happened", "next_time", "tags")),
    Searchable(ImprovementProposal, text=("title", "problem", "proposed_change")),
    Searchable(EffectivenessReview, text=("title", "findings")),
    Searchable(Measure, text=("name", "counted")),
    Searchable(QuantitativeObjective, text=("name",)),
]
