"""SP 3.3 and SP 3.4: compliance audits and non-compliances, lessons and
proposals, the measurement repository and effectiveness reviews."""

from lessons.models.architecture import Handoff, Process
from lessons.models.audits import AuditItem, ComplianceAudit, NonCompliance, RecurrenceRule
from lessons.models.baselines import BaselineExclusion, ProcessPerformanceBaseline
from lessons.models.learning import EffectivenessReview, ImprovementProposal, Lesson
from lessons.models.measures import Measure, Measurement, QuantitativeObjective
from lessons.models.spent import PlanSpentHours

__all__ = [
    "AuditItem",
    "BaselineExclusion",
    "ComplianceAudit",
    "EffectivenessReview",
    "Handoff",
    "ImprovementProposal",
    "Lesson",
    "Measure",
    "Measurement",
    "NonCompliance",
    "PlanSpentHours",
    "Process",
    "ProcessPerformanceBaseline",
    "QuantitativeObjective",
    "RecurrenceRule",
]
