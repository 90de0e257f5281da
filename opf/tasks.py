"""Background jobs of the program core. Tasks are thin: they call services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="opf.ping", acks_late=True, time_limit=30, soft_time_limit=20)
def ping() -> str:
    """Round trip through the broker and a worker; used by health checks and tests."""
    return "pong"


@shared_task(
    name="opf.heartbeat", acks_late=True, time_limit=30, soft_time_limit=20, ignore_result=True
)
def heartbeat() -> None:
    """Scheduled by beat every minute; the dashboard shows when it last ran."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})
