from __future__ import annotations

from django.urls import URLPattern, path

from appraisals import disclosure, views

app_name = "appraisals"

urlpatterns: list[URLPattern] = [
    *views.ProcessNeedViews.urls(),
    *views.AppraisalViews.urls(),
    path("appraisals/<int:pk>/grid/", views.appraisal_grid, name="appraisal_grid"),
    path(
        "appraisals/<int:pk>/grid/<int:practice>/<str:place>/",
        views.grid_cell,
        name="appraisal_grid_cell",
    ),
    path("appraisals/<int:pk>/findings/", views.finding_record, name="finding_record"),
    path("appraisals/<int:pk>/copy/", views.appraisal_copy, name="appraisal_copy"),
    path("appraisals/<int:pk>/ratings/refresh/", views.ratings_refresh, name="ratings_refresh"),
    path("appraisals/<int:pk>/import/", views.findings_import, name="findings_import"),
    path("appraisals/<int:pk>/report/", views.appraisal_report, name="appraisal_report"),
    path(
        "appraisals/<int:pk>/disclosure/",
        disclosure.appraisal_disclosure,
        name="appraisal_disclosure",
    ),
    path(
        "appraisals/<int:pk>/unit-characterizations/",
        views.unit_characterizations,
        name="unit_characterizations",
    ),
    path(
        "appraisals/<int:pk>/unit-characterizations/refresh/",
        views.unit_characterizations_refresh,
        name="unit_characterizations_refresh",
    ),
    path(
        "unit-characterizations/<int:pk>/confirm/",
        views.unit_characterization_confirm,
        name="unit_characterization_confirm",
    ),
    path("appraisals/<int:pk>/goal-ratings/", views.goal_ratings, name="goal_ratings"),
    path("goal-ratings/<int:pk>/judge/", views.goal_judge, name="goal_judge"),
    path("maturity/", views.maturity, name="maturity"),
    path("ratings/<int:pk>/confirm/", views.rating_confirm, name="rating_confirm"),
    *views.FindingViews.urls(),
    *views.EvidenceViews.urls(),
    *views.RecommendationViews.urls(),
    *views.RatingViews.urls(),
    *views.LeadAppraiserQualificationViews.urls(),
    *views.FindingsValidationViews.urls(),
    *views.FindingFeedbackViews.urls(),
]
