"""SG 1 of OPF: process needs (SP 1.1, ``needs``) and appraisals (SP 1.2): the
appraisal itself (``appraisal``) and what its team records (``results``)."""

from appraisals.models.appraisal import Appraisal, TeamOwned
from appraisals.models.needs import ProcessNeed
from appraisals.models.qualification import LeadAppraiserQualification
from appraisals.models.results import (
    Characterization,
    Evidence,
    Finding,
    GoalRating,
    Instance,
    PracticeCharacterization,
    Rating,
    Recommendation,
)
from appraisals.models.validation import FindingFeedback, FindingsValidation

__all__ = [
    "Appraisal",
    "Characterization",
    "Evidence",
    "Finding",
    "FindingFeedback",
    "FindingsValidation",
    "GoalRating",
    "Instance",
    "LeadAppraiserQualification",
    "PracticeCharacterization",
    "ProcessNeed",
    "Rating",
    "Recommendation",
    "TeamOwned",
]
