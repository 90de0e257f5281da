"""REST endpoints of audits and lessons (``/api/v1/``), one module per part of the
area: compliance audits (``audits``), lessons and proposals (``learning``), the
measurement repository (``measures``), the trace (``trace``) and the measured
effect of improvements (``effect``); ``register`` adds
them all to the router."""

from __future__ import annotations

from typing import Any

from lessons.api.architecture import HandoffViewSet, ProcessViewSet
from lessons.api.audits import (
    AuditItemViewSet,
    ComplianceAuditViewSet,
    NonComplianceViewSet,
    RecurrenceRuleViewSet,
)
from lessons.api.baselines import BaselineExclusionViewSet, ProcessPerformanceBaselineViewSet
from lessons.api.effect import ImprovementEffectViewSet
from lessons.api.learning import (
    EffectivenessReviewViewSet,
    ImprovementProposalViewSet,
    LessonViewSet,
)
from lessons.api.measures import MeasurementViewSet, MeasureViewSet, QuantitativeObjectiveViewSet
from lessons.api.trace import TraceViewSet


def register(router: Any) -> None:
    router.register("compliance-audits", ComplianceAuditViewSet, basename="compliance-audit")
    router.register("audit-items", AuditItemViewSet, basename="audit-item")
    router.register("non-compliances", NonComplianceViewSet, basename="non-compliance")
    router.register("recurrence-rules", RecurrenceRuleViewSet, basename="recurrence-rule")
    router.register("lessons", LessonViewSet, basename="lesson")
    router.register("proposals", ImprovementProposalViewSet, basename="proposal")
    router.register(
        "effectiveness-reviews", EffectivenessReviewViewSet, basename="effectiveness-review"
    )
    router.register("measures", MeasureViewSet, basename="measure")
    router.register("measurements", MeasurementViewSet, basename="measurement")
    router.register(
        "quantitative-objectives", QuantitativeObjectiveViewSet, basename="quantitative-objective"
    )
    router.register("baselines", ProcessPerformanceBaselineViewSet, basename="baseline")
    router.register("baseline-exclusions", BaselineExclusionViewSet, basename="baseline-exclusion")
    router.register("processes", ProcessViewSet, basename="process")
    router.register("handoffs", HandoffViewSet, basename="handoff")
    router.register("trace", TraceViewSet, basename="trace")
    router.register(
        r"improvements/(?P<id>[0-9]+)", ImprovementEffectViewSet, basename="improvement-effect"
    )
