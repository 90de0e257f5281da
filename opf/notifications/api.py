"""REST endpoints of the inbox (``/api/v1/notifications/``): the caller's own
notifications, newest first (``unread=true`` for those not read yet), and marking
one or all of them read."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.permissions import signed_in_user
from opf.core.rest.viewsets import ApiViewMixin
from opf.notifications.models import Notification
from opf.notifications.services import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="url", read_only=True, help_text="The page it is about.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "web_url", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, obj: Notification) -> bool:
        return obj.read_at is None


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", label="Only unread (true) or only read (false)."
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: bool | None
    ) -> QuerySet[Notification]:
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)


ReadAll = inline_serializer("NotificationsReadAll", {"marked": serializers.IntegerField()})


class NotificationViewSet(
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in person's notifications; nobody sees another's."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    # Whose rows they are is the permission: the queryset holds the caller's only.
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=signed_in_user(self.request)).order_by(
            "-created_at", "-pk"
        )

    @extend_schema(request=None, responses={200: NotificationSerializer, 404: OpenApiResponse()})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        """Mark one notification read."""
        notification = self.get_object()
        mark_read(signed_in_user(request), [notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAll})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification of the caller read."""
        return Response({"marked": mark_read(signed_in_user(request))})


def register(router: Any) -> None:
    router.register("notifications", NotificationViewSet, basename="notification")
