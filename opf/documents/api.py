from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.permissions import signed_in_user
from opf.core.rest.exceptions import Conflict
from opf.core.rest.viewsets import ApiViewMixin
from opf.documents.models import Document


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


class TooManyWaiting(APIException):
    """429: the caller has as many documents waiting as one person may have."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "too_many_pending"
    wait = 30  # seconds, sent as Retry-After: a typical document is ready by then

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


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
        """Queue a PDF (202). The same request still pending answers with the document
        already queued; over ``OPF_PDF_PENDING_PER_USER`` waiting documents, 429."""
        from opf.documents.services import TooManyPending

        try:
            response = super().create(request, *args, **kwargs)
        except TooManyPending as error:
            raise TooManyWaiting(" ".join(error.messages)) from error
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
            raise Conflict(_("The document is not ready."), code="not_ready")
        return FileResponse(document.file.open("rb"), content_type="application/pdf")


def register(router: Any) -> None:
    router.register("documents", DocumentViewSet, basename="document")
