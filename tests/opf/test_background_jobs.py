"""Celery: tasks run through the real broker (Redis when configured, else the
filesystem transport) and a real worker; beat's schedule comes from a migration."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from opf.celery import app
from opf.core.health import Heartbeat
from opf.tasks import heartbeat, ping


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ping_runs_through_a_real_worker_and_broker():
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert app.conf.broker_url.startswith(expected)
    with start_worker(app, perform_ping_check=False, shutdown_timeout=20):
        result = ping.delay()
        assert result.get(timeout=30) == "pong"
        assert result.successful()


@pytest.mark.django_db
def test_heartbeat_records_when_jobs_last_ran(people, client_as):
    page = client_as(people.member).get("/").content.decode()
    assert "waiting for the first run" in page
    heartbeat()
    beat = Heartbeat.objects.get(name="worker")
    assert beat.healthy
    assert "running" in client_as(people.member).get("/").content.decode()


@pytest.mark.django_db
def test_beat_schedules_the_heartbeat_from_a_migration():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Worker heartbeat")
    assert task.task == "opf.heartbeat" and task.enabled
    assert task.interval.every == 1 and task.interval.period == "minutes"
    assert settings.CELERY_BEAT_SCHEDULER.startswith("django_celery_beat")
