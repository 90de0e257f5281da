from __future__ import annotations

from django.urls import URLPattern, path

from . import views

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
]
