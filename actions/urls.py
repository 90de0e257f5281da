from __future__ import annotations

from django.urls import URLPattern, path

from actions import plan_views, views

app_name = "actions"

urlpatterns: list[URLPattern] = [
    path(
        "improvements/from-findings/",
        views.improvement_from_findings,
        name="improvement_from_findings",
    ),
    path(
        "improvements/from-need/<int:pk>/",
        views.improvement_from_need,
        name="improvement_from_need",
    ),
    path(
        "improvements/<int:pk>/scores/<int:criterion>/",
        views.improvement_score,
        name="improvement_score",
    ),
    path("improvements/<int:pk>/rank/", views.improvement_rank, name="improvement_rank"),
    *views.ImprovementViews.urls(),
    *views.PrioritizationCriterionViews.urls(),
    *views.CostRateViews.urls(),
    path(
        "action-plans/<int:pk>/board/",
        plan_views.plan_board,
        name="processactionplan_board",
    ),
    path(
        "action-plans/<int:pk>/complete/",
        plan_views.plan_complete,
        name="processactionplan_complete",
    ),
    path(
        "action-plans/<int:pk>/carry-over/",
        plan_views.plan_carry_over,
        name="processactionplan_carry_over",
    ),
    path("action-items/<int:pk>/move/", plan_views.action_item_move, name="actionitem_move"),
    path(
        "plan-meetings/<int:pk>/follow-ups/",
        plan_views.meeting_follow_up,
        name="planmeeting_follow_up",
    ),
    path("pilots/<int:pk>/results/", plan_views.pilot_results, name="pilot_results"),
    path("pilots/<int:pk>/decide/", plan_views.pilot_decide, name="pilot_decide"),
    *plan_views.ProcessActionPlanViews.urls(),
    *plan_views.PlanTeamMemberViews.urls(),
    *plan_views.PlanReviewViews.urls(),
    *plan_views.MilestoneViews.urls(),
    *plan_views.ActionItemViews.urls(),
    *plan_views.CommitmentViews.urls(),
    *plan_views.PlanIssueViews.urls(),
    *plan_views.PlanMeetingViews.urls(),
    *plan_views.PilotViews.urls(),
    *plan_views.SuccessCriterionViews.urls(),
]
