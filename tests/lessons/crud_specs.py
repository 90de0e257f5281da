"""Generic page and API guarantees (tests/test_crud.py) for this app's models.

Lessons and proposals are also *submitted* by anyone (``/lessons/submit/``,
``POST /api/v1/lessons/submit/``); the generic add stays the process group's,
and the submission paths are tested in test_learning.py."""

from __future__ import annotations

from deployment.models import ProcessAsset
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    QuantitativeObjective,
    RecurrenceRule,
)
from tests.crud import Spec
from tests.deployment.factories import ProcessAssetFactory
from tests.factories import ProjectFactory, UserFactory
from tests.lessons.factories import (
    AuditItemFactory,
    ComplianceAuditFactory,
    EffectivenessReviewFactory,
    ImprovementProposalFactory,
    LessonFactory,
    MeasureFactory,
    MeasurementFactory,
    NonComplianceFactory,
    QuantitativeObjectiveFactory,
    RecurrenceRuleFactory,
)

assert ProcessAsset  # the proposals' asset comes from the deployment app

SPECS = [
    Spec(
        ComplianceAudit,
        ComplianceAuditFactory,
        "audits",
        "compliance-audits",
        valid=lambda: {
            "project": ProjectFactory().pk,
            "auditor": UserFactory().pk,
            "planned_date": "2026-09-01",
            "scope": "Peer reviews",
        },
        invalid=lambda: {"project": ProjectFactory().pk, "planned_date": "not a date"},
        invalid_fields={"planned_date"},
        change={"scope": "Peer reviews and risk"},
        label=lambda a: a.project.name,
    ),
    Spec(
        AuditItem,
        AuditItemFactory,
        "audit-items",
        "audit-items",
        valid=lambda: {
            "audit": ComplianceAuditFactory().pk,
            "work_product": "Project plan",
            "result": "pending",
        },
        invalid=lambda: {
            "audit": ComplianceAuditFactory().pk,
            "work_product": "",
            "result": "pending",
        },
        invalid_fields={"work_product"},
        change={"evidence": "Plan v3 sampled."},
        label=lambda i: i.work_product,
    ),
    Spec(
        NonCompliance,
        NonComplianceFactory,
        "non-compliances",
        "non-compliances",
        valid=lambda: {
            "title": "Reviews skipped",
            "project": ProjectFactory().pk,
            "severity": "major",
            "due_date": "2026-10-01",
        },
        invalid=lambda: {"title": "", "project": ProjectFactory().pk, "severity": "major"},
        invalid_fields={"title"},
        change={"corrective_action": "Hold the reviews."},
        label=lambda nc: nc.title,
    ),
    Spec(
        RecurrenceRule,
        RecurrenceRuleFactory,
        "recurrence-rules",
        "recurrence-rules",
        valid=lambda: {"name": "Three in six", "min_projects": 3, "months": 6, "active": True},
        invalid=lambda: {"name": "", "min_projects": 1, "months": 0},
        invalid_fields={"name", "min_projects", "months"},
        change={"months": 9},
    ),
    Spec(
        Lesson,
        LessonFactory,
        "lessons",
        "lessons",
        valid=lambda: {
            "title": "Estimate early",
            "what_happened": "Late estimate.",
            "next_time": "Estimate at start-up.",
            "tags": "estimation",
        },
        invalid=lambda: {"title": "", "what_happened": "", "next_time": "x"},
        invalid_fields={"title", "what_happened"},
        change={"tags": "estimation, planning"},
        label=lambda lesson: lesson.title,
    ),
    Spec(
        ImprovementProposal,
        ImprovementProposalFactory,
        "proposals",
        "proposals",
        valid=lambda: {
            "title": "Shorter checklist",
            "asset": ProcessAssetFactory().pk,
            "problem": "Too long.",
            "proposed_change": "Cut it.",
        },
        invalid=lambda: {"title": "", "problem": "Too long.", "proposed_change": "Cut it."},
        invalid_fields={"title"},
        change={"expected_benefit": "Reviews done."},
        label=lambda p: p.title,
    ),
    Spec(
        EffectivenessReview,
        EffectivenessReviewFactory,
        "effectiveness-reviews",
        "effectiveness-reviews",
        valid=lambda: {
            "title": "Review 2026",
            "review_date": "2026-04-01",
            "next_review_due": "2027-04-01",
        },
        invalid=lambda: {"title": "", "review_date": "2026-04-01"},
        invalid_fields={"title"},
        change={"findings": "Reviews uneven."},
        label=lambda r: r.title,
    ),
    Spec(
        Measure,
        MeasureFactory,
        "measures",
        "measures",
        valid=lambda: {
            "name": "Defect density",
            "unit": "defects/KLOC",
            "counted": "Defects per KLOC",
            "direction": "lower",
        },
        invalid=lambda: {"name": "", "unit": "", "counted": "x", "direction": "lower"},
        invalid_fields={"name", "unit"},
        change={"unit": "defects/kLOC"},
    ),
    Spec(
        Measurement,
        MeasurementFactory,
        "measurements",
        "measurements",
        valid=lambda: {
            "measure": MeasureFactory().pk,
            "project": ProjectFactory().pk,
            "period": "2026-03-01",
            "value": "12.5000",
        },
        invalid=lambda: {
            "measure": MeasureFactory().pk,
            "project": ProjectFactory().pk,
            "period": "2026-03-01",
            "value": "many",
        },
        invalid_fields={"value"},
        change={"note": "Recounted."},
        label=lambda m: m.project.name,
    ),
    Spec(
        QuantitativeObjective,
        QuantitativeObjectiveFactory,
        "quantitative-objectives",
        "quantitative-objectives",
        valid=lambda: {
            "name": "Defects under 1",
            "measure": MeasureFactory().pk,
            "target": "0.8000",
            "lower_limit": "0.0000",
            "upper_limit": "1.0000",
        },
        invalid=lambda: {
            "name": "",
            "measure": MeasureFactory().pk,
            "target": "2.0000",
        },
        invalid_fields={"name"},
        change={"name": "Defects below one"},
    ),
]
