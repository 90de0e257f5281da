"""Factories of the webhooks (#22)."""

from __future__ import annotations

import factory
from django.utils import timezone

from opf.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    target_url = factory.Sequence(lambda n: f"http://127.0.0.1:9/hook/{n}")
    description = factory.Sequence(lambda n: f"Receiver {n}")
    events = factory.LazyFunction(lambda: ["ping"])
    active = True


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory, active=False)
    event_type = "ping"
    payload = factory.LazyFunction(lambda: {"type": "ping"})
    status = WebhookDelivery.Status.FAILED
    attempts = 5
    attempt_limit = 5
    last_response_code = 500
    last_error = "The receiver answered 500."
    next_attempt_at = None
    created_at = factory.LazyFunction(timezone.now)
