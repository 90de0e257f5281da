"""Background jobs of the program core. Tasks are thin: they call services."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from opf.documents.services import RENDER_TASK, RENDER_TIME_LIMIT
from opf.notifications.services import UndeliveredEmail

# UndeliveredEmail: the mail server refused some e-mails of a batch (the others went
# out); they are kept, and a retry sends them.
TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, UndeliveredEmail)
# Retried with a growing pause (30 s, doubling, at most 30 min between tries), 8 times.
RETRY_TRANSIENT: dict[str, Any] = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "max_retries": 8,
}


@shared_task(name="opf.ping", acks_late=True, time_limit=30, soft_time_limit=20)
def ping() -> str:
    """Round trip through the broker and a worker; used by health checks and tests."""
    return "pong"


@shared_task(
    name="opf.heartbeat", acks_late=True, time_limit=30, soft_time_limit=20, ignore_result=True
)
def heartbeat() -> None:
    """Scheduled by beat every minute; the dashboard shows when it last ran."""
    from opf.core.health import Heartbeat

    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})


@shared_task(
    name="opf.send_reminders",
    acks_late=True,
    time_limit=600,
    soft_time_limit=540,
    **RETRY_TRANSIENT,
)
def send_reminders(kind: str, lead_days: int | None = None) -> int:
    """Idempotent: what was already sent for a due event is not sent again; what
    failed to go out is sent by the retry."""
    from opf.notifications.services import send_due_reminders

    return send_due_reminders(kind, lead_days=lead_days)


@shared_task(
    name="opf.send_digests",
    acks_late=True,
    time_limit=600,
    soft_time_limit=540,
    **RETRY_TRANSIENT,
)
def send_digests() -> int:
    from opf.notifications.services import send_digests as run

    return run()


@shared_task(
    name="opf.email_notification",
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
    **RETRY_TRANSIENT,
)
def email_notification(notification_id: int) -> bool:
    from opf.notifications.services import email_notification as run

    return run(notification_id)


@shared_task(
    name=RENDER_TASK,
    bind=True,
    acks_late=True,
    time_limit=RENDER_TIME_LIMIT,
    soft_time_limit=RENDER_TIME_LIMIT - 60,
    ignore_result=True,  # the Document row is the result; no result-store round trip
)
def render_document(self: Task, document_id: int) -> bool:
    """Render one queued PDF. Another message for the same document does nothing; a
    redelivery of this message (its worker was killed) takes the job over."""
    from opf.documents.services import document_render

    return document_render(document_id, delivery=self.request.id or "")


@shared_task(
    name="opf.sweep_documents",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
    ignore_result=True,
)
def sweep_documents() -> int:
    """Scheduled by beat every minute: send the PDF jobs the queue missed (it was down,
    or a worker died holding one)."""
    from opf.documents.services import documents_sweep

    return documents_sweep()


@shared_task(
    name="opf.deliver_webhook",
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
    ignore_result=True,
)
def deliver_webhook(delivery_id: int) -> str:
    """One attempt of a webhook delivery; a failure schedules the next one itself
    (``OPF_WEBHOOK_RETRY_DELAYS``), so the task never retries on its own."""
    from opf.webhooks.services import deliver

    return deliver(delivery_id)


@shared_task(
    name="opf.sweep_webhooks",
    acks_late=True,
    time_limit=120,
    soft_time_limit=100,
    ignore_result=True,
)
def sweep_webhooks() -> int:
    """Scheduled by beat every minute: send the webhook attempts the queue lost."""
    from opf.webhooks.services import deliveries_sweep

    return deliveries_sweep()
