"""REST endpoints of the webhooks: ``webhook-endpoints`` (the secret is answered on
create and by ``rotate-secret`` only) and ``webhook-deliveries`` (read, ``redeliver``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.events import event_types
from opf.core.permissions import signed_in_user
from opf.core.rest.preconditions import etag_for
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import step
from opf.core.rest.viewsets import ObjectViewSet, ReadOnlyObjectViewSet
from opf.webhooks import filters, forms, services
from opf.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(ObjectSerializer):
    events = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text="The event types sent to this address (`ping`, `<record>.state_changed`, "
        "`asset_version.released`, `handoff.<notice kind>`; the form lists them all).",
    )
    secret = serializers.SerializerMethodField(
        help_text="The signing secret: answered once, on create and by rotate-secret; "
        "null otherwise."
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.WebhookEndpointForm.Meta.fields,
            "secret",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["secret", "created_by", "created_at"]

    def validate_events(self, value: list[str]) -> list[str]:
        known = event_types()
        unknown = [e for e in value if e not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)},
                code="invalid_choice",
            )
        return sorted(set(value))

    @extend_schema_field({"type": "string", "nullable": True})
    def get_secret(self, obj: WebhookEndpoint) -> str | None:
        return obj.secret if self.context.get("show_secret") else None

    def create(self, validated_data: dict[str, Any]) -> Any:
        validated_data["created_by"] = signed_in_user(self.context["request"])
        return super().create(validated_data)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "started_at", "duration_ms", "response_code", "error"]
        read_only_fields = fields


class WebhookDeliverySerializer(ObjectSerializer):
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            *ObjectSerializer.Meta.fields,
            "endpoint",
            "event_id",
            "event_type",
            "payload",
            "status",
            "attempts",
            "last_response_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields


class WebhookEndpointViewSet(ObjectViewSet):
    queryset = WebhookEndpoint.objects.select_related("created_by")
    serializer_class = WebhookEndpointSerializer
    filterset_class = filters.WebhookEndpointFilterSet
    ordering_fields = ["target_url", "created_at"]
    ordering = ["target_url", "pk"]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["show_secret"] = getattr(self, "action", "") in ("create", "rotate_secret")
        return context

    @step(
        WebhookDeliverySerializer,
        "Send a test event (type `ping`) to this endpoint; answers the delivery made.",
        responses={201: WebhookDeliverySerializer},
    )
    def ping(self, request: Request, pk: Any = None) -> Response:
        endpoint = self.get_object()
        with self.unchanged_since_read(request, endpoint):
            delivery = services.endpoint_ping(endpoint, actor=signed_in_user(request))
        data = WebhookDeliverySerializer(delivery, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @step(
        WebhookEndpointSerializer,
        "Replace the signing secret; the answer holds the new one (shown this once).",
    )
    def rotate_secret(self, request: Request, pk: Any = None) -> Response:
        endpoint = self.get_object()
        with self.unchanged_since_read(request, endpoint):
            endpoint = services.endpoint_rotate_secret(endpoint, actor=signed_in_user(request))
        response = Response(self.get_serializer(endpoint).data)
        response["ETag"] = etag_for(endpoint)
        return response


class WebhookDeliveryViewSet(ReadOnlyObjectViewSet):
    queryset = WebhookDelivery.objects.select_related("endpoint").prefetch_related("attempt_log")
    serializer_class = WebhookDeliverySerializer
    filterset_class = filters.WebhookDeliveryFilterSet
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Answered with the record's ETag (``"<id>-<version>"``), for ``If-Match``."""
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["id"]}-{response.data["version"]}"'
        return response

    @step(
        WebhookDeliverySerializer,
        "Send the delivery again with a fresh round of attempts (not while it is pending).",
        if_match=True,
    )
    def redeliver(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.delivery_redeliver)


def register(router: Any) -> None:
    router.register("webhook-endpoints", WebhookEndpointViewSet, basename="webhookendpoint")
    router.register("webhook-deliveries", WebhookDeliveryViewSet, basename="webhookdelivery")
