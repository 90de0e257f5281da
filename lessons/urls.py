from __future__ import annotations

from django.urls import URLPattern, path

from lessons import views

app_name = "lessons"

urlpatterns: list[URLPattern] = [
    path("audits/compliance/", views.compliance, name="compliance"),
    path("audits/<int:pk>/checklist/", views.audit_build_checklist, name="audit_checklist"),
    path("audit-items/<int:pk>/result/", views.audit_item_result, name="audititem_result"),
    path("lessons/submit/", views.LessonSubmitView.as_view(), name="lesson_submit"),
    path("lessons/mine/", views.my_project_lessons, name="my_project_lessons"),
    path("lessons/for/<str:model>/<int:pk>/", views.lessons_for, name="lessons_for"),
    path(
        "proposals/submit/",
        views.ProposalSubmitView.as_view(),
        name="improvementproposal_submit",
    ),
    path("measurements/import/", views.measurements_import, name="measurements_import"),
    path(
        "baselines/<int:pk>/revise/",
        views.baseline_revise,
        name="processperformancebaseline_revise",
    ),
    path("process-architecture/", views.process_architecture, name="process_architecture"),
    path("trace/<str:app>/<str:model>/<int:pk>/", views.trace_page, name="trace"),
    *views.ComplianceAuditViews.urls(),
    *views.AuditItemViews.urls(),
    *views.NonComplianceViews.urls(),
    *views.RecurrenceRuleViews.urls(),
    *views.LessonViews.urls(),
    *views.ImprovementProposalViews.urls(),
    *views.EffectivenessReviewViews.urls(),
    *views.MeasureViews.urls(),
    *views.MeasurementViews.urls(),
    *views.QuantitativeObjectiveViews.urls(),
    *views.ProcessPerformanceBaselineViews.urls(),
    *views.BaselineExclusionViews.urls(),
    *views.ProcessViews.urls(),
    *views.HandoffViews.urls(),
]
