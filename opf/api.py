"""REST endpoints of the program core (``/api/v1/``)."""

from __future__ import annotations

from rest_framework import serializers

from opf.rest.serializers import ObjectSerializer
from opf.rest.viewsets import ObjectViewSet, ReadOnlyObjectViewSet

from . import filters, forms
from .models import OrgUnit, Practice, ProcessArea, Project, ReferenceModel, User


class OrgUnitSerializer(ObjectSerializer):
    class Meta:
        model = OrgUnit
        fields = [*ObjectSerializer.Meta.fields, *forms.OrgUnitForm.Meta.fields]


class ProjectSerializer(ObjectSerializer):
    class Meta:
        model = Project
        fields = [*ObjectSerializer.Meta.fields, *forms.ProjectForm.Meta.fields]


class UserSerializer(ObjectSerializer):
    roles = serializers.ListField(
        source="role_names", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = User
        fields = [
            "id",
            "url",
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


class ReferenceModelSerializer(ObjectSerializer):
    class Meta:
        model = ReferenceModel
        fields = [*ObjectSerializer.Meta.fields, *forms.ReferenceModelForm.Meta.fields, "builtin"]
        read_only_fields = ["builtin"]


class ProcessAreaSerializer(ObjectSerializer):
    class Meta:
        model = ProcessArea
        fields = [*ObjectSerializer.Meta.fields, *forms.ProcessAreaForm.Meta.fields]


class PracticeSerializer(ObjectSerializer):
    goal_code = serializers.CharField(source="goal.code", read_only=True, default=None)
    goal_kind = serializers.CharField(source="goal.kind", read_only=True, default=None)

    class Meta:
        model = Practice
        fields = [
            "id",
            "url",
            "display",
            "process_area",
            "goal",
            "goal_code",
            "goal_kind",
            "code",
            "name",
            "statement",
            "description",
            "work_products",
            "subpractices",
            "order",
        ]


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


class ReferenceModelViewSet(ObjectViewSet):
    queryset = ReferenceModel.objects.all()
    serializer_class = ReferenceModelSerializer
    filterset_class = filters.ReferenceModelFilterSet
    ordering_fields = ["abbreviation", "version", "name"]
    ordering = ["abbreviation", "version"]


class ProcessAreaViewSet(ObjectViewSet):
    queryset = ProcessArea.objects.select_related("reference_model")
    serializer_class = ProcessAreaSerializer
    filterset_class = filters.ProcessAreaFilterSet
    ordering_fields = ["order", "abbreviation", "maturity_level"]
    ordering = ["reference_model", "order"]


class PracticeViewSet(ObjectViewSet):
    queryset = Practice.objects.select_related("goal", "process_area")
    serializer_class = PracticeSerializer
    filterset_class = filters.PracticeFilterSet
    ordering_fields = ["order", "code"]
    ordering = ["process_area", "order"]
