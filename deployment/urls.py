from __future__ import annotations

from django.urls import path

from deployment import views

app_name = "deployment"

urlpatterns = [
    path("asset-versions/<int:pk>/file/", views.version_file, name="assetversion_file"),
    path("assets/<int:pk>/compare/", views.compare_versions, name="processasset_compare"),
    path(
        "project-deployments/<int:pk>/update/",
        views.deployment_update,
        name="projectdeployment_update",
    ),
    path("my-projects/", views.my_projects, name="my_projects"),
    path("coverage/", views.coverage, name="coverage"),
    path("deployment-attention/", views.attention, name="attention"),
    *views.ProcessAssetViews.urls(),
    *views.AssetVersionViews.urls(),
    *views.StandardProcessSetViews.urls(),
    *views.DeploymentPlanViews.urls(),
    *views.ProjectDeploymentViews.urls(),
    *views.TailoringRecordViews.urls(),
    *views.TrainingRecordViews.urls(),
]
