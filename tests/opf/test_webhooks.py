"""Webhooks (#22): signed deliveries of chosen events, sent by a real worker to a real
local receiver, retried after a failure, logged, redelivered from page and API."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from celery import current_app
from celery.contrib.testing.worker import start_worker
from django.db import transaction
from django.utils import timezone

from opf.celery import app
from opf.core.notices import tell
from opf.initiatives.models import Initiative
from opf.initiatives.services import initiative_activate
from opf.webhooks.models import WebhookDelivery, WebhookEndpoint
from opf.webhooks.services import deliver, signature, verify
from tests.opf.initiative_factories import InitiativeFactory
from tests.opf.webhook_factories import WebhookDeliveryFactory, WebhookEndpointFactory
from tests.opf.webhook_receiver import receiver

STATE_CHANGED = "initiative.state_changed"


def _verified(endpoint: WebhookEndpoint, got) -> dict:
    """What a receiver does: check timestamp and signature, then read the body."""
    headers = {k.lower(): v for k, v in got.headers.items()}
    assert abs(int(headers["opf-timestamp"]) - time.time()) < 300
    assert verify(endpoint.secret, headers["opf-timestamp"], got.body, headers["opf-signature"])
    return json.loads(got.body)


def test_the_signature_is_the_hmac_of_timestamp_dot_body():
    secret, timestamp, body = "whsec_test", 1781515800, b'{"type":"ping"}'
    by_hand = hmac.new(b"whsec_test", b'1781515800.{"type":"ping"}', hashlib.sha256).hexdigest()
    assert signature(secret, timestamp, body) == f"sha256={by_hand}"
    signed = f"sha256={by_hand}"
    assert verify(secret, str(timestamp), body, signed, now=timestamp + 10)
    assert not verify(secret, str(timestamp), body + b" ", signed, now=timestamp + 10)
    assert not verify("another", str(timestamp), body, signed, now=timestamp + 10)
    assert not verify(secret, str(timestamp), body, signed, now=timestamp + 3600)  # replayed
    assert not verify(secret, "soon", body, signed, now=timestamp)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_signed_and_retries_after_a_500(people, settings):
    settings.OPF_WEBHOOK_RETRY_DELAYS = [1, 1]
    with receiver(500, 200) as hook:
        endpoint = WebhookEndpointFactory(target_url=hook.url, events=[STATE_CHANGED])
        initiative = InitiativeFactory(state=Initiative.State.PROPOSED, name="Lean in HR")
        with start_worker(app, perform_ping_check=False, shutdown_timeout=20):
            with transaction.atomic():
                initiative_activate(initiative, actor=people.epg)
            delivery = WebhookDelivery.objects.get(endpoint=endpoint)
            deadline = time.monotonic() + 60
            while delivery.status == "pending" and time.monotonic() < deadline:
                time.sleep(0.3)
                delivery.refresh_from_db()
        assert delivery.status == "succeeded", (delivery.last_error, len(hook.got))
        assert len(hook.got) == 2
        first, second = (_verified(endpoint, got) for got in hook.got)
    assert first == second  # the same event, sent again
    assert first["type"] == STATE_CHANGED and first["id"] == str(delivery.event_id)
    assert first["from"] == "proposed" and first["to"] == "active"
    assert first["record"]["id"] == initiative.pk and first["record"]["display"] == "Lean in HR"
    assert first["record"]["url"].endswith(f"/api/v1/initiatives/{initiative.pk}/")
    headers = {k.lower(): v for k, v in hook.got[1].headers.items()}
    assert headers["opf-event"] == STATE_CHANGED
    assert headers["opf-delivery"] == str(delivery.pk)
    attempts = list(delivery.attempt_log.values_list("number", "response_code"))
    assert attempts == [(1, 500), (2, 200)]
    assert delivery.attempts == 2 and delivery.last_response_code == 200
    assert delivery.delivered_at is not None


@pytest.mark.django_db
def test_only_active_endpoints_subscribed_to_the_event_get_it(
    people, django_capture_on_commit_callbacks
):
    wanted = WebhookEndpointFactory(events=[STATE_CHANGED])
    other_event = WebhookEndpointFactory(events=["asset_version.released"])
    inactive = WebhookEndpointFactory(events=[STATE_CHANGED], active=False)
    initiative = InitiativeFactory(state=Initiative.State.PROPOSED)
    with django_capture_on_commit_callbacks() as published:
        initiative_activate(initiative, actor=people.epg)
    assert len(published) == 1  # one delivery to hand to the worker
    assert WebhookDelivery.objects.filter(endpoint=wanted).count() == 1
    assert not WebhookDelivery.objects.filter(endpoint__in=[other_event, inactive]).exists()
    payload = WebhookDelivery.objects.get().payload
    assert payload["actor"]["username"] == people.epg.username


@pytest.mark.django_db
def test_a_hand_off_is_sent_once_per_event_and_person(people):
    endpoint = WebhookEndpointFactory(events=["handoff.action_item_assigned"])
    initiative = InitiativeFactory(name="Six Sigma pilot")
    for _ in range(2):  # the step ran twice; the person was told once
        tell(
            recipient=people.member,
            kind="action_item_assigned",
            title="Action item assigned to you",
            url=initiative.get_absolute_url(),
            key=f"action_item_assigned:initiative:{initiative.pk}",
            actor=people.epg,
        )
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.event_type == "handoff.action_item_assigned"
    assert delivery.payload["recipient"]["username"] == people.member.username
    assert delivery.payload["record"]["display"] == "Six Sigma pilot"


@pytest.mark.django_db
def test_a_failed_attempt_is_logged_and_the_next_is_scheduled_and_redirects_are_not_followed(
    settings,
):
    settings.OPF_WEBHOOK_RETRY_DELAYS = [30, 120]
    with receiver(302, location="http://example.com/elsewhere") as hook:
        delivery = WebhookDeliveryFactory(
            endpoint=WebhookEndpointFactory(target_url=hook.url),
            status="pending",
            attempts=0,
            attempt_limit=3,
            last_response_code=None,
        )
        assert deliver(delivery.pk).startswith("retry in 30")
        assert len(hook.got) == 1  # the redirect was not followed
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.last_response_code == 302
    assert delivery.next_attempt_at is not None
    # No receiver any more: a connection error is an attempt too; the last one fails it.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=2)
    assert deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.last_error
    assert delivery.last_response_code is None
    assert deliver(delivery.pk) == "nothing to do"


@pytest.mark.django_db
def test_the_process_group_redelivers_from_the_page_and_the_api(people, client_as, api_as):
    delivery = WebhookDeliveryFactory()
    page = client_as(people.epg).get(delivery.endpoint.get_absolute_url()).content.decode()
    assert "Redeliver" in page and "Send a test ping" in page
    stale = client_as(people.epg).post(
        f"/webhooks/deliveries/{delivery.pk}/redeliver/", {"version": delivery.version + 3}
    )
    assert stale.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    sent = client_as(people.epg).post(
        f"/webhooks/deliveries/{delivery.pk}/redeliver/", {"version": delivery.version}
    )
    assert sent.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempt_limit == delivery.attempts + 5
    api = api_as(people.epg)
    url = f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/"
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 409  # still pending
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed")
    etag = api.get(f"/api/v1/webhook-deliveries/{delivery.pk}/")["ETag"]
    again = api.post(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 200, again.content
    assert again.json()["status"] == "pending"
    assert api.post(url, {}, format="json", HTTP_IF_MATCH=etag).status_code == 412


@pytest.mark.django_db
def test_the_secret_is_shown_once_and_never_to_others(people, client_as, api_as):
    client = client_as(people.epg)
    created = client.post(
        "/webhooks/add/",
        {"target_url": "http://127.0.0.1:9/hook", "description": "CI", "events": ["ping"]},
    )
    endpoint = WebhookEndpoint.objects.get(description="CI")
    assert created.status_code == 302 and endpoint.created_by == people.epg
    assert endpoint.secret in client.get(created["Location"]).content.decode()
    assert endpoint.secret not in client.get(created["Location"]).content.decode()
    api = api_as(people.epg)
    made = api.post(
        "/api/v1/webhook-endpoints/",
        {"target_url": "https://hooks.example.com/opf", "events": ["ping"]},
        format="json",
    )
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    pk = made.json()["id"]
    assert api.get(f"/api/v1/webhook-endpoints/{pk}/").json()["secret"] is None
    rotated = api.post(f"/api/v1/webhook-endpoints/{pk}/rotate-secret/", {}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] not in (None, made.json()["secret"])
    for role in ("pm", "executive", "appraiser", "member"):
        assert client_as(people.by_role(role)).get(endpoint.get_absolute_url()).status_code in (
            403,
            404,
        )
        assert api_as(people.by_role(role)).get("/api/v1/webhook-endpoints/").status_code == 403


@pytest.mark.django_db
def test_bad_addresses_and_events_are_refused_with_field_errors(people, client_as, api_as):
    page = client_as(people.epg).post(
        "/webhooks/add/", {"target_url": "file:///etc/passwd", "events": ["nope"]}
    )
    assert page.status_code == 200
    assert {"target_url", "events"} <= set(page.context["form"].errors)
    api = api_as(people.epg).post(
        "/api/v1/webhook-endpoints/",
        {"target_url": "ftp://example.com/", "events": ["nope"]},
        format="json",
    )
    assert api.status_code == 400
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_a_test_ping_goes_to_an_inactive_endpoint_too(people, client_as, api_as):
    endpoint = WebhookEndpointFactory(active=False, events=[])
    response = client_as(people.epg).post(f"/webhooks/{endpoint.pk}/ping/")
    assert response.status_code == 302
    ping = WebhookDelivery.objects.get(endpoint=endpoint)
    assert ping.event_type == "ping" and ping.status == "pending"
    made = api_as(people.epg).post(f"/api/v1/webhook-endpoints/{endpoint.pk}/ping/", {})
    assert made.status_code == 201 and made.json()["event_type"] == "ping"


@pytest.mark.django_db
def test_the_sweep_sends_an_overdue_attempt_the_queue_lost():
    """A pending delivery whose attempt is 5 minutes overdue (its message was lost) is
    sent by the beat sweep; one due a minute ago (grace: 2) or later waits."""
    from django_celery_beat.models import PeriodicTask

    from opf.tasks import sweep_webhooks

    current_app.conf.task_always_eager = True  # the sweep's publish runs the attempt here
    try:
        with receiver(200) as hook:
            endpoint = WebhookEndpointFactory(target_url=hook.url)
            now = timezone.now()
            lost = WebhookDeliveryFactory(
                endpoint=endpoint,
                status="pending",
                attempts=0,
                attempt_limit=3,
                last_response_code=None,
            )
            recent = WebhookDeliveryFactory(
                endpoint=endpoint,
                status="pending",
                attempts=0,
                attempt_limit=3,
                last_response_code=None,
            )
            WebhookDelivery.objects.filter(pk=lost.pk).update(
                next_attempt_at=now - timedelta(minutes=5)
            )
            WebhookDelivery.objects.filter(pk=recent.pk).update(
                next_attempt_at=now - timedelta(minutes=1)
            )
            assert sweep_webhooks() == 1
            assert len(hook.got) == 1
            headers = {k.lower(): v for k, v in hook.got[0].headers.items()}
            assert headers["opf-delivery"] == str(lost.pk)
    finally:
        current_app.conf.task_always_eager = False
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert (lost.status, recent.status) == ("succeeded", "pending")
    task = PeriodicTask.objects.get(name="Webhook delivery sweeper")
    assert task.task == "opf.sweep_webhooks" and task.enabled
