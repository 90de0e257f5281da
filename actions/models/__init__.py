"""SG 1.3: the improvement pipeline (candidates, weighted prioritization, selection);
SG 2: process action plans built from the selected improvements (team, reviews,
milestones, action items, commitments, issues, meetings) and pilots. The package
holds them by subject (``improvements``, ``plans``, ``items``, ``pilots``); other
code imports them from here.
"""

from actions.models.figures import (
    ImprovementStay,
    PlanItemFigures,
    PlanItemMonth,
    PlanLateSpan,
)
from actions.models.improvements import (
    RANKING,
    RANKING_REVERSED,
    SCORE_MAX,
    SCORE_MIN,
    CostRate,
    Improvement,
    ImprovementQuerySet,
    ImprovementScore,
    PrioritizationCriterion,
)
from actions.models.items import ActionItem, Commitment, Milestone, PlanIssue, PlanMeeting
from actions.models.pilots import Pilot, SuccessCriterion
from actions.models.plans import PlanReview, PlanTeamMember, ProcessActionPlan

__all__ = [
    "RANKING",
    "RANKING_REVERSED",
    "SCORE_MAX",
    "SCORE_MIN",
    "ActionItem",
    "Commitment",
    "CostRate",
    "Improvement",
    "ImprovementQuerySet",
    "ImprovementScore",
    "ImprovementStay",
    "Milestone",
    "Pilot",
    "PlanIssue",
    "PlanItemFigures",
    "PlanItemMonth",
    "PlanLateSpan",
    "PlanMeeting",
    "PlanReview",
    "PlanTeamMember",
    "PrioritizationCriterion",
    "ProcessActionPlan",
    "SuccessCriterion",
]
