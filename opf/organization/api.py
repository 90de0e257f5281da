"""REST endpoints of the program core (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opf.core.accounts import User
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.viewsets import ObjectViewSet, ReadOnlyObjectViewSet
from opf.core.roles import role_labels
from opf.organization import filters, forms
from opf.organization.models import OrgUnit, Project


class OrgUnitSerializer(ObjectSerializer):
    class Meta:
        model = OrgUnit
        fields = [*ObjectSerializer.Meta.fields, *forms.OrgUnitForm.Meta.fields]


class ProjectSerializer(ObjectSerializer):
    class Meta:
        model = Project
        fields = [*ObjectSerializer.Meta.fields, *forms.ProjectForm.Meta.fields]


class UserSerializer(ObjectSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "url",
            "web_url",
            "display",
            "username",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "org_unit",
            "roles",
            "is_active",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: User) -> list[str]:
        return role_labels(user)


class OrgUnitViewSet(ObjectViewSet):
    queryset = OrgUnit.objects.select_related("parent", "head")
    serializer_class = OrgUnitSerializer
    filterset_class = filters.OrgUnitFilterSet
    ordering_fields = ["name", "code", "path"]
    ordering = ["path"]


class ProjectViewSet(ObjectViewSet):
    queryset = Project.objects.select_related("org_unit", "manager")
    serializer_class = ProjectSerializer
    filterset_class = filters.ProjectFilterSet
    ordering_fields = ["name", "code", "start_date", "phase"]
    ordering = ["name"]


class UserViewSet(ReadOnlyObjectViewSet):
    queryset = User.objects.select_related("org_unit").prefetch_related("groups")
    serializer_class = UserSerializer
    filterset_class = filters.UserFilterSet
    ordering_fields = ["username", "last_name"]
    ordering = ["username"]


def register(router: Any) -> None:
    router.register("org-units", OrgUnitViewSet, basename="org-unit")
    router.register("projects", ProjectViewSet, basename="project")
    router.register("users", UserViewSet, basename="user")
