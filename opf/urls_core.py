from django.urls import path

from . import views

app_name = "opf"

urlpatterns = [
    path("reference-models/import/", views.reference_import, name="referencemodel_import"),
    path("profile/", views.profile, name="profile"),
    *views.OrgUnitViews.urls(),
    *views.ProjectViews.urls(),
    *views.ReferenceModelViews.urls(),
    *views.ProcessAreaViews.urls(),
    *views.PracticeViews.urls(),
    *views.UserViews.urls(),
]
