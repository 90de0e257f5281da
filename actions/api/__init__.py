"""REST endpoints of the improvement pipeline (``/api/v1/``), one module per part:
improvements and their prioritization (``improvements``), process action plans and
what hangs off them (``plans``), pilots (``pilots``); ``register`` adds them all."""

from __future__ import annotations

from typing import Any

from actions.api.improvements import (
    CostRateViewSet,
    ImprovementViewSet,
    PrioritizationCriterionViewSet,
)
from actions.api.pilots import PilotViewSet, SuccessCriterionViewSet
from actions.api.plans import (
    ActionItemViewSet,
    CommitmentViewSet,
    MilestoneViewSet,
    PlanIssueViewSet,
    PlanMeetingViewSet,
    PlanReviewViewSet,
    PlanTeamMemberViewSet,
    ProcessActionPlanViewSet,
)


def register(router: Any) -> None:
    for prefix, viewset, basename in (
        ("action-plans", ProcessActionPlanViewSet, "action-plan"),
        ("plan-team-members", PlanTeamMemberViewSet, "plan-team-member"),
        ("plan-reviews", PlanReviewViewSet, "plan-review"),
        ("milestones", MilestoneViewSet, "milestone"),
        ("action-items", ActionItemViewSet, "action-item"),
        ("commitments", CommitmentViewSet, "commitment"),
        ("plan-issues", PlanIssueViewSet, "plan-issue"),
        ("plan-meetings", PlanMeetingViewSet, "plan-meeting"),
        ("pilots", PilotViewSet, "pilot"),
        ("success-criteria", SuccessCriterionViewSet, "success-criterion"),
    ):
        router.register(prefix, viewset, basename=basename)
    router.register("improvements", ImprovementViewSet, basename="improvement")
    router.register("cost-rates", CostRateViewSet, basename="cost-rate")
    router.register(
        "prioritization-criteria",
        PrioritizationCriterionViewSet,
        basename="prioritization-criterion",
    )
