"""The demo's webhook endpoint: the build server's receiver, switched off so the demo
sends nothing (it points at the discard port), with a few deliveries logged so the
pages show what a delivery, a retry and a failure look like."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from opf.core.services import save_object
from opf.organization.demo import Demo
from opf.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from opf.webhooks.services import max_attempts

DISCARD = "http://127.0.0.1:9/opf-events"


def build_webhooks(demo: Demo) -> None:
    epg = demo.users["epg"]
    endpoint = save_object(
        WebhookEndpoint(
            target_url=DISCARD,
            description="Build server (switched off in the demo)",
            events=[
                "asset_version.released",
                "handoff.action_item_assigned",
                "improvement.state_changed",
            ],
            active=False,
            created_by=epg,
        ),
        actor=epg,
    )
    now = timezone.now()
    logged = (
        ("asset_version.released", "succeeded", [200], 6),
        ("improvement.state_changed", "succeeded", [503, 200], 4),
        ("handoff.action_item_assigned", "failed", [500] * max_attempts(), 2),
        ("ping", "succeeded", [204], 1),
    )
    for event_type, status, codes, days_ago in logged:
        created = now - timedelta(days=days_ago)
        event_id = uuid.uuid4()
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id=event_id,
            event_type=event_type,
            payload={
                "id": str(event_id),
                "type": event_type,
                "occurred_at": created.isoformat(),
                "record": None,
            },
            status=status,
            attempts=len(codes),
            attempt_limit=max(len(codes), max_attempts()),
            last_response_code=codes[-1],
            last_error="" if status == "succeeded" else f"The receiver answered {codes[-1]}.",
            delivered_at=created if status == "succeeded" else None,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=created)
        for number, code in enumerate(codes, start=1):
            WebhookAttempt.objects.create(
                delivery=delivery,
                number=number,
                started_at=created + timedelta(minutes=2 ** (number - 1) - 1),
                duration_ms=40 + number,
                response_code=code,
                error="" if 200 <= code < 300 else f"The receiver answered {code}.",
            )


STEPS = [build_webhooks]
