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

from opf.permissions import restrict
from opf.services.objects import delete_object
from opf.ui.history import history_of

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
    """Create, read, update and delete one model, with its history."""

    def perform_destroy(self, instance: Any) -> None:
        delete_object(instance, actor=self.request.user)


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
