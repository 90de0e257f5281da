"""Generic page and API tests (tests/test_crud.py) for the improvement pipeline."""

from __future__ import annotations

from actions.models import Improvement, PrioritizationCriterion
from tests.crud import Spec
from tests.factories import ProcessAreaFactory

from .factories import ImprovementFactory, PrioritizationCriterionFactory

SPECS = [
    Spec(
        PrioritizationCriterion,
        PrioritizationCriterionFactory,
        "prioritization-criteria",
        "prioritization-criteria",
        valid=lambda: {
            "name": "Benefit",
            "weight": 3,
            "higher_is_better": True,
            "active": True,
            "order": 1,
        },
        invalid=lambda: {"name": "", "weight": 500},
        invalid_fields={"name", "weight"},
        change={"weight": 5},
    ),
    Spec(
        Improvement,
        ImprovementFactory,
        "improvements",
        "improvements",
        valid=lambda: {
            "title": "Estimation guideline",
            "description": "Base estimates on history.",
            "process_areas": [ProcessAreaFactory().pk],
        },
        invalid=lambda: {"title": "", "process_areas": [999999]},
        invalid_fields={"title", "process_areas"},
        change={"title": "Estimation guideline v2"},
        label=lambda obj: obj.title,
    ),
]
