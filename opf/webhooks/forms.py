"""The webhook endpoint form (pages; the API serializer takes the same fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opf.core.events import event_types
from opf.core.ui.forms import ObjectForm
from opf.webhooks.models import WebhookEndpoint


def event_choices() -> list[tuple[str, str]]:
    return [(slug, f"{event.label} ({slug})") for slug, event in event_types().items()]


class WebhookEndpointForm(ObjectForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The event types sent to this address."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["target_url", "description", "events", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = self.fields["events"]
        if isinstance(events, forms.MultipleChoiceField):
            events.choices = event_choices()
