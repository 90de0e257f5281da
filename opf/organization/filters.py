from __future__ import annotations

import django_filters
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opf.core.accounts import User
from opf.core.ui.filters import SearchFilterSet, users_with
from opf.organization.models import OrgUnit, Project


class OrgUnitFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "description")
    within = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_within", label=_("Within unit")
    )

    class Meta:
        model = OrgUnit
        fields = ["q", "parent", "within", "active"]

    def filter_within(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(path__startswith=value.path)


class ProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "description")
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_org_unit", label=_("Org unit (and below)")
    )
    manager = django_filters.ModelChoiceFilter(queryset=users_with("managed_projects"))
    started_after = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="gte",
        label=_("Started on or after"),
        input_formats=["%Y-%m-%d"],
    )
    started_before = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        label=_("Started on or before"),
        input_formats=["%Y-%m-%d"],
    )

    class Meta:
        model = Project
        fields = [
            "q",
            "org_unit",
            "manager",
            "phase",
            "project_type",
            "size_class",
            "active",
            "started_after",
            "started_before",
        ]

    def filter_org_unit(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(org_unit__path__startswith=value.path)


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email", "job_title")
    role = django_filters.ModelChoiceFilter(
        field_name="groups", queryset=Group.objects.all(), label=_("Role")
    )

    class Meta:
        model = User
        fields = ["q", "role", "org_unit", "is_active"]
