from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from opf.core.ui.filters import SearchFilterSet
from opf.core.ui.forms import set_queryset, typed_field
from opf.organization.models import OrgUnit, Project
from opf.reference.models import ProcessArea


class ProcessAssetFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "tags", "description")
    process_area = django_filters.ModelChoiceFilter(
        field_name="process_areas",
        queryset=ProcessArea.objects.select_related("reference_model"),
        label=_("Process area"),
    )
    tag = django_filters.CharFilter(field_name="tags", lookup_expr="icontains", label=_("Tag"))

    class Meta:
        model = ProcessAsset
        fields = ["q", "kind", "owner", "process_area", "tag", "requires_training"]


class AssetVersionFilterSet(SearchFilterSet):
    search_fields = ("asset__name", "number", "change_summary", "origin")

    class Meta:
        model = AssetVersion
        fields = ["q", "asset", "state"]


class StandardProcessSetFilterSet(SearchFilterSet):
    search_fields = ("name", "baseline", "description")

    class Meta:
        model = StandardProcessSet
        fields = ["q", "state"]


class DeploymentPlanFilterSet(SearchFilterSet):
    search_fields = ("name", "training_notes", "support_notes")

    class Meta:
        model = DeploymentPlan
        fields = ["q", "state", "standard_set"]


class ProjectDeploymentFilterSet(SearchFilterSet):
    search_fields = ("project__name", "project__code", "asset_version__asset__name", "notes")
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_org_unit", label=_("Org unit (and below)")
    )
    asset = django_filters.ModelChoiceFilter(
        field_name="asset_version__asset",
        queryset=ProcessAsset.objects.all(),
        label=_("Asset"),
    )

    class Meta:
        model = ProjectDeployment
        fields = ["q", "state", "org_unit", "asset", "project", "plan"]

    def filter_org_unit(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(project__org_unit__path__startswith=value.path)


class TailoringRecordFilterSet(SearchFilterSet):
    search_fields = ("what", "why", "deployment__project__name")
    asset = django_filters.ModelChoiceFilter(
        field_name="deployment__asset_version__asset",
        queryset=ProcessAsset.objects.all(),
        label=_("Asset"),
    )
    project = django_filters.ModelChoiceFilter(
        field_name="deployment__project", queryset=Project.objects.all(), label=_("Project")
    )

    class Meta:
        model = TailoringRecord
        fields = ["q", "state", "asset", "project"]


class TrainingRecordFilterSet(SearchFilterSet):
    search_fields = (
        "person__username",
        "person__first_name",
        "person__last_name",
        "asset_version__asset__name",
        "notes",
    )

    asset_version = django_filters.ModelChoiceFilter(
        queryset=AssetVersion.objects.select_related("asset"), label=_("Asset version")
    )

    class Meta:
        model = TrainingRecord
        fields = ["q", "status", "person", "asset_version"]


class MyProjectsFilter(forms.Form):
    """ "My projects" filters, as GET parameters: one of the user's projects, a status,
    only the deployments that need an update."""

    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Project"), empty_label=_("All my projects")
    )
    status = forms.ChoiceField(required=False, label=_("Status"))
    needs_update = forms.BooleanField(required=False, label=_("Needs an update"))

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields, "project", projects)
        typed_field(self.fields, "status", forms.ChoiceField).choices = [
            ("", _("Any status")),
            *ProjectDeployment.State.choices,
        ]
