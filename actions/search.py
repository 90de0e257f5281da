"""Improvements, plans and their parts in the global search (``opf.core.search``)."""

from actions.models import (
    ActionItem,
    Commitment,
    Improvement,
    Pilot,
    PlanIssue,
    PrioritizationCriterion,
    ProcessActionPlan,
)
from opf.core.search import Searchable

KINDS = [
    Searchable(Improvement, text=("title", "description")),
    Searchable(
        ProcessActionPlan,
        text=("title", "strategy"),
        detail=lambda plan: plan.get_state_display(),
    ),
    Searchable(
        ActionItem,
        text=("title",),
        select_related=("plan",),
        detail=lambda item: str(item.plan),
    ),
    Searchable(Commitment, text=("what", "from_party", "to_party")),
    Searchable(PlanIssue, text=("title", "description")),
    Searchable(Pilot, text=("title", "objective")),
    Searchable(PrioritizationCriterion, text=("name", "description")),
]
