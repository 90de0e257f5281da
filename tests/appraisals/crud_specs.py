"""Generic page and API tests (tests/test_crud.py) for this app's editable models.

Process needs are not here: they are retired, never deleted (tests/appraisals/test_needs.py).
"""

from __future__ import annotations

from typing import Any

from appraisals.models import (
    Appraisal,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    LeadAppraiserQualification,
    Recommendation,
)
from opf.core.roles import APPRAISER
from tests.appraisals.factories import (
    AppraisalFactory,
    EvidenceFactory,
    FindingFactory,
    FindingFeedbackFactory,
    FindingsValidationFactory,
    LeadAppraiserQualificationFactory,
    RecommendationFactory,
)
from tests.crud import Spec
from tests.factories import ProcessAreaFactory, ReferenceModelFactory, UserFactory


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


def _qualification_valid() -> dict[str, Any]:
    return {
        "person": UserFactory(roles=[APPRAISER]).pk,
        "certificate_id": "LA-2026-017",
        "issued_on": "2025-01-15",
        "expires_on": "2028-01-14",
    }


def _validation_valid() -> dict[str, Any]:
    return {"appraisal": AppraisalFactory(conducting=True).pk, "held_on": "2026-03-05"}


def _feedback_valid() -> dict[str, Any]:
    session = FindingsValidationFactory()
    finding = FindingFactory(appraisal=session.appraisal)
    return {
        "appraisal": session.appraisal_id,
        "validation": session.pk,
        "finding": finding.pk,
        "participant": UserFactory().pk,
        "response": "comment",
        "comment": "The weakness holds for the older projects only.",
    }


SPECS = [
    Spec(
        FindingsValidation,
        FindingsValidationFactory,
        "findings-validations",
        "findings-validations",
        valid=_validation_valid,
        invalid=lambda: {**_validation_valid(), "held_on": "yesterday"},
        invalid_fields={"held_on"},
        change={"summary": "Presented to the Avionics project managers."},
        label=lambda obj: obj.summary,
    ),
    Spec(
        FindingFeedback,
        FindingFeedbackFactory,
        "finding-feedback",
        "finding-feedback",
        valid=_feedback_valid,
        invalid=lambda: {**_feedback_valid(), "response": "disagree", "comment": ""},
        invalid_fields={"comment"},
        change={"resolution": "Reworded to name the older projects."},
        label=lambda obj: obj.comment,
    ),
    Spec(
        LeadAppraiserQualification,
        LeadAppraiserQualificationFactory,
        "lead-appraisers",
        "lead-appraiser-qualifications",
        valid=_qualification_valid,
        invalid=lambda: {**_qualification_valid(), "certificate_id": "", "expires_on": "soon"},
        invalid_fields={"certificate_id", "expires_on"},
        change={"note": "Renewed after the 2026 upgrade training."},
        label=lambda obj: obj.certificate_id,
    ),
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
