"""Generic page and API tests (tests/test_crud.py) for this app's editable models.

Process needs are not here: they are retired, never deleted (tests/appraisals/test_needs.py).
"""

from __future__ import annotations

from typing import Any

from appraisals.models import Appraisal, Evidence, Finding, Recommendation
from tests.appraisals.factories import (
    AppraisalFactory,
    EvidenceFactory,
    FindingFactory,
    RecommendationFactory,
)
from tests.crud import Spec
from tests.factories import ProcessAreaFactory, ReferenceModelFactory


def _appraisal_valid() -> dict[str, Any]:
    model = ReferenceModelFactory()
    return {
        "title": "SCAMPI B 2026",
        "method": "scampi_b",
        "reference_model": model.pk,
        "planned_start": "2026-04-01",
        "planned_end": "2026-04-10",
    }


def _appraisal_invalid() -> dict[str, Any]:
    return {**_appraisal_valid(), "process_areas": [ProcessAreaFactory().pk]}  # another model


def _finding_valid() -> dict[str, Any]:
    appraisal = AppraisalFactory(conducting=True)
    return {
        "appraisal": appraisal.pk,
        "process_area": appraisal.process_areas.first().pk,
        "kind": "weakness",
        "severity": "high",
        "statement": "Estimates are not based on historical data.",
    }


def _finding_invalid() -> dict[str, Any]:
    planned = AppraisalFactory()
    return {
        "appraisal": planned.pk,
        "process_area": planned.process_areas.first().pk,
        "kind": "weakness",
        "severity": "high",
        "statement": "Recorded before the appraisal started.",
    }


def _evidence_valid() -> dict[str, Any]:
    appraisal = AppraisalFactory(conducting=True)
    return {
        "appraisal": appraisal.pk,
        "kind": "direct",
        "title": "Project plan v3",
        "link": "https://intranet.example/plans/3",
        "org_unit": appraisal.org_units.first().pk,
    }


def _evidence_invalid() -> dict[str, Any]:
    appraisal = AppraisalFactory(conducting=True)
    return {"appraisal": appraisal.pk, "kind": "direct", "title": "", "link": "not a url"}


def _recommendation_valid() -> dict[str, Any]:
    appraisal = AppraisalFactory(conducting=True)
    return {
        "appraisal": appraisal.pk,
        "process_area": appraisal.process_areas.first().pk,
        "statement": "Set up a measurement repository.",
        "priority": 1,
    }


SPECS = [
    Spec(
        Appraisal,
        AppraisalFactory,
        "appraisals",
        "appraisals",
        valid=_appraisal_valid,
        invalid=_appraisal_invalid,
        invalid_fields={"process_areas"},
        change={"title": "SCAMPI B 2026 (renamed)"},
        label=lambda obj: obj.title,
    ),
    Spec(
        Finding,
        FindingFactory,
        "findings",
        "findings",
        valid=_finding_valid,
        invalid=_finding_invalid,
        invalid_fields={"appraisal"},
        change={"severity": "low"},
        label=lambda obj: obj.statement,
    ),
    Spec(
        Evidence,
        EvidenceFactory,
        "evidence",
        "evidence",
        valid=_evidence_valid,
        invalid=_evidence_invalid,
        invalid_fields={"title", "link"},
        change={"title": "Project plan v4"},
        label=lambda obj: obj.title,
    ),
    Spec(
        Recommendation,
        RecommendationFactory,
        "recommendations",
        "recommendations",
        valid=_recommendation_valid,
        invalid=lambda: {**_recommendation_valid(), "statement": "", "priority": 7},
        invalid_fields={"statement", "priority"},
        change={"priority": 3},
        label=lambda obj: obj.statement,
    ),
]
