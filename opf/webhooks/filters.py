"""The webhook endpoints list's filters (pages and API) and the deliveries' (API)."""

from __future__ import annotations

from opf.core.ui.filters import SearchFilterSet
from opf.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointFilterSet(SearchFilterSet):
    search_fields = ("target_url", "description")

    class Meta:
        model = WebhookEndpoint
        fields = ["q", "active"]


class WebhookDeliveryFilterSet(SearchFilterSet):
    search_fields = ("event_type",)

    class Meta:
        model = WebhookDelivery
        fields = ["q", "endpoint", "status", "event_type"]
