"""Pages of audits and lessons: the generic record pages (``ObjectViews``) plus the
audit checklist, submissions, compliance over time, control charts, the
measurement import and the trace. The package holds them by subject (``audits``,
``learning``, ``measures``, ``tracing``); ``lessons.urls`` and the template tags
import them from here."""

from lessons.views.architecture import (
    HandoffViews,
    ProcessDetailView,
    ProcessViews,
    process_architecture,
)
from lessons.views.audits import (
    AuditItemViews,
    ComplianceAuditDetailView,
    ComplianceAuditViews,
    NonComplianceDetailView,
    NonComplianceViews,
    RecurrenceRuleViews,
    audit_build_checklist,
    audit_item_result,
    compliance,
)
from lessons.views.baselines import (
    BaselineExclusionViews,
    ProcessPerformanceBaselineViews,
    baseline_revise,
)
from lessons.views.learning import (
    LESSON_TARGETS,
    EffectivenessReviewViews,
    ImprovementProposalViews,
    LessonSubmitView,
    LessonViews,
    ProposalDetailView,
    ProposalSubmitView,
    SubmitView,
    lessons_for,
    my_project_lessons,
)
from lessons.views.measures import (
    MeasureDetailView,
    MeasurementViews,
    MeasureViews,
    QuantitativeObjectiveViews,
    measurements_import,
)
from lessons.views.tracing import trace_page

__all__ = [
    "LESSON_TARGETS",
    "AuditItemViews",
    "BaselineExclusionViews",
    "ComplianceAuditDetailView",
    "ComplianceAuditViews",
    "EffectivenessReviewViews",
    "HandoffViews",
    "ImprovementProposalViews",
    "LessonSubmitView",
    "LessonViews",
    "MeasureDetailView",
    "MeasureViews",
    "MeasurementViews",
    "NonComplianceDetailView",
    "NonComplianceViews",
    "ProcessDetailView",
    "ProcessPerformanceBaselineViews",
    "ProcessViews",
    "ProposalDetailView",
    "ProposalSubmitView",
    "QuantitativeObjectiveViews",
    "RecurrenceRuleViews",
    "SubmitView",
    "audit_build_checklist",
    "audit_item_result",
    "baseline_revise",
    "compliance",
    "lessons_for",
    "measurements_import",
    "my_project_lessons",
    "process_architecture",
    "trace_page",
]
