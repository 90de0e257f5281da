"""REST endpoints of the program core (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.accounts import User
from opf.core.permissions import signed_in_user
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.viewsets import ApiViewMixin, ObjectViewSet, ReadOnlyObjectViewSet
from opf.documents.models import Document
from opf.organization import filters, forms
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ProcessArea, ReferenceModel


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


class DocumentSerializer(serializers.ModelSerializer):
    """Request a PDF with ``kind`` (and ``subject_id`` for a document about one
    record); poll ``status`` until ``done``, then fetch ``file_url``."""

    file_url = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=[])
    queue_delayed = serializers.BooleanField(
        source="waiting_for_queue",
        read_only=True,
        help_text=_(
            "True while background work is delayed (the job queue is unreachable, or no "
            "worker took the job for over a minute); it is generated once the queue is back."
        ),
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "subject_id",
            "title",
            "status",
            "progress",
            "error",
            "pages",
            "data_as_of",
            "created_at",
            "finished_at",
            "file_url",
            "queue_delayed",
        ]
        read_only_fields = [
            "queue_delayed",
            "title",
            "status",
            "progress",
            "error",
            "pages",
            "data_as_of",
            "created_at",
            "finished_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from opf.core.documents import kinds

        kind = self.fields["kind"]
        if isinstance(kind, serializers.ChoiceField):  # declared above
            kind.choices = [(k.slug, k.label) for k in kinds().values()]

    def get_file_url(self, document: Document) -> str | None:
        if document.status != Document.Status.DONE:
            return None
        request = self.context.get("request")
        url = f"/api/v1/documents/{document.pk}/file/"
        return request.build_absolute_uri(url) if request else url

    def create(self, validated_data: dict) -> Document:
        from opf.documents.services import document_request

        return document_request(
            kind=validated_data["kind"],
            subject_id=validated_data.get("subject_id"),
            actor=signed_in_user(self.context["request"]),
        )


class DocumentViewSet(
    ApiViewMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    required_action = "view"  # requesting a document is reading the records it shows

    @extend_schema(responses={202: DocumentSerializer})
    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().create(request, *args, **kwargs)
        response.status_code = status.HTTP_202_ACCEPTED
        return response

    def get_object(self) -> Document:
        from django.core.exceptions import ValidationError
        from django.http import Http404

        from opf.core.documents import kinds
        from opf.documents.services import subject_of

        document = super().get_object()
        try:
            subject_of(kinds()[document.kind], document.subject_id, signed_in_user(self.request))
        except (KeyError, ValidationError) as error:
            raise Http404 from error
        return document

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 409: None})
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: object = None) -> FileResponse | Response:
        """The PDF, once ``status`` is ``done`` (409 before)."""
        document = self.get_object()
        if document.status != Document.Status.DONE or not document.file:
            return Response(
                {"detail": "The document is not ready."}, status=status.HTTP_409_CONFLICT
            )
        return FileResponse(document.file.open("rb"), content_type="application/pdf")
