"""The webhook endpoints list."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from opf.core.ui.tables import ObjectTable
from opf.webhooks.models import WebhookEndpoint


class WebhookEndpointTable(ObjectTable):
    target_url = tables.Column(linkify=True)
    events = tables.Column(verbose_name=_("Events"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = WebhookEndpoint
        fields = ("target_url", "description", "events", "active", "created_at")

    def render_events(self, value: Any) -> str:
        return ", ".join(value) if isinstance(value, list) else ""

    def value_events(self, value: Any) -> str:
        return self.render_events(value)
