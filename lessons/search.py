"""Audits, lessons, proposals and measures in the global search (``opf.core.search``)."""

from lessons.models import (
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    Measure,
    NonCompliance,
    QuantitativeObjective,
)
from opf.core.search import Searchable

KINDS = [
    Searchable(NonCompliance, text=("title", "description")),
    Searchable(Lesson, text=("title", "context", "what_happened", "next_time", "tags")),
    Searchable(ImprovementProposal, text=("title", "problem", "proposed_change")),
    Searchable(EffectivenessReview, text=("title", "findings")),
    Searchable(Measure, text=("name", "counted")),
    Searchable(QuantitativeObjective, text=("name",)),
]
