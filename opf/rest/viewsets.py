"""Base viewsets: scoped querysets, shared filtersets, history, login_not_required.

Every API view authenticates through DRF (token or session) and answers 401/403
itself, so the site-wide LoginRequiredMiddleware must not redirect it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from opf.concurrency import expected_from_request, precondition_failed
from opf.permissions import restrict
from opf.services.objects import delete_object
from opf.ui.history import history_of
from opf.ui.views import check_step_permission
from opf.versioning import StaleVersion, ensure_mutable, is_versioned

from .serializers import HistoryEntrySerializer


class ApiViewMixin:
    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        return login_not_required(super().as_view(*args, **kwargs))  # type: ignore[misc]


class ScopedQuerysetMixin:
    request: Request

    def get_queryset(self) -> QuerySet:
        return restrict(super().get_queryset(), self.request.user, "view")  # type: ignore[misc]


class HistoryMixin:
    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, pk: Any = None) -> Response:
        """Who changed what and when, newest first."""
        entries = history_of(self.get_object(), limit=None)  # type: ignore[attr-defined]
        return Response(HistoryEntrySerializer(entries, many=True).data)


class ObjectViewSet(ApiViewMixin, ScopedQuerysetMixin, HistoryMixin, viewsets.ModelViewSet):
    """Create, read, update and delete one model, with its history.

    A locked record (``is_locked``) refuses writes with 409. A versioned one
    answers reads with an ETag and checks ``If-Match`` (or a ``version`` in the
    body) on writes, under a row lock: a stale write is 412 and saves nothing.
    """

    def _versioned(self) -> bool:
        return is_versioned(self.get_queryset().model)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        data = response.data
        if self._versioned() and isinstance(data, dict) and "version" in data:
            response["ETag"] = f'"{data["id"]}-{data["version"]}"'
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ensure_mutable(self.get_object())  # 409 before any validation
        response = super().update(request, *args, **kwargs)
        data = response.data
        if self._versioned() and isinstance(data, dict) and "version" in data:
            response["ETag"] = f'"{data["id"]}-{data["version"]}"'
        return response

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        expected = expected_from_request(self.request, instance) if self._versioned() else None
        extra = {"expected_version": expected} if self._versioned() else {}
        try:
            serializer.save(**extra)
        except StaleVersion as stale:
            raise precondition_failed(stale, type(serializer)) from stale

    def perform_destroy(self, instance: Any) -> None:
        expected = expected_from_request(self.request, instance) if self._versioned() else None
        try:
            delete_object(instance, actor=self.request.user, expected_version=expected)
        except StaleVersion as stale:
            raise precondition_failed(stale, self.get_serializer_class()) from stale


class ReadOnlyObjectViewSet(
    ApiViewMixin, ScopedQuerysetMixin, HistoryMixin, viewsets.ReadOnlyModelViewSet
):
    """Read one model, with its history."""


class TransitionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


def transition_action(name: str, service: Any, serializer: Any, *, description: str = "") -> Any:
    """An API action ``POST {id}/<name>/`` that runs ``service(obj, actor=, reason=)``.

    The object must be visible to the caller; the service (through its
    workflow) checks whether the caller may make this move. A refused move is
    409 with the reason in ``detail`` and changes nothing.
    """

    def run(self: Any, request: Request, pk: Any = None) -> Response:
        payload = TransitionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        obj = self.get_object()
        check_step_permission(request.user, obj, name)
        service(obj, actor=request.user, reason=payload.validated_data["reason"])
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)

    # DRF records the function's name when @action is applied: name it first.
    run.__name__ = name
    run = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name)(run)
    run = extend_schema(
        request=TransitionRequestSerializer,
        responses={
            200: serializer,
            409: OpenApiResponse(DetailSerializer, description="The move is not allowed now."),
        },
        description=description or f"Run the '{name}' transition.",
    )(run)
    run.required_action = "view"  # type: ignore[attr-defined]
    return run
