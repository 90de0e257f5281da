"""Webhooks: what an event sends, how it is signed, and the delivery with its retries.

An event (a step moved a record, someone was handed work) becomes one delivery per
active endpoint subscribed to its type, created in the step's transaction and sent by
the worker once it commits (``opf.tasks.deliver_webhook``). Each attempt POSTs the
JSON payload with::

    OPF-Event: <type>            OPF-Delivery: <delivery id>
    OPF-Timestamp: <unix seconds>
    OPF-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>

A 2xx answer delivers it; anything else (another status, a redirect, no answer within
``OPF_WEBHOOK_TIMEOUT`` seconds) is retried after ``OPF_WEBHOOK_RETRY_DELAYS`` (30 s,
2 min, 10 min, 1 h: five attempts), then the delivery has failed. The process group
redelivers from the endpoint's page or ``POST /api/v1/webhook-deliveries/{id}/redeliver/``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from opf.core import events
from opf.core.errors import TransitionRefused
from opf.core.history import attribute_change
from opf.core.permissions import can
from opf.core.rest.router import api_url_of
from opf.core.urlnames import HasPage
from opf.core.versioning import locked_current
from opf.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, new_secret

if TYPE_CHECKING:
    from opf.core.accounts import User

logger = logging.getLogger(__name__)

DELIVER_TASK = "opf.deliver_webhook"  # opf.tasks.deliver_webhook, published by name
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
USER_AGENT = "OPF-Webhooks/1"


# Signing ------------------------------------------------------------------------------


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``"<timestamp>.<body>"`` with the endpoint's secret."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signed: str, *, tolerance: int = 300, now=None
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    current = int(now if now is not None else time.time())
    if abs(current - sent) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, sent, body), signed)


def retry_delays() -> list[int]:
    return [int(d) for d in settings.OPF_WEBHOOK_RETRY_DELAYS]


def max_attempts() -> int:
    return len(retry_delays()) + 1


# Events -------------------------------------------------------------------------------


def _absolute(path: str | None) -> str | None:
    return f"{settings.OPF_BASE_URL.rstrip('/')}{path}" if path else None


def record_ref(record: Model) -> dict[str, Any]:
    return {
        "type": events.record_name(record),
        "id": record.pk,
        "url": _absolute(api_url_of(record)),
        "web_url": _absolute(record.get_absolute_url()) if isinstance(record, HasPage) else None,
        "display": str(record),
    }


def payload_for(event_type: str, record: Model | None, **data: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": timezone.now().isoformat(),
        "record": record_ref(record) if record is not None else None,
        **data,
    }


def emit(
    event_type: str,
    record: Model | None,
    *,
    dedupe_key: str = "",
    endpoints: list[WebhookEndpoint] | None = None,
    **data: Any,
) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to ``event_type``, sent after commit."""
    if endpoints is None:
        endpoints = [
            e for e in WebhookEndpoint.objects.filter(active=True) if e.subscribed(event_type)
        ]
    if not endpoints:
        return []
    payload = json.loads(json.dumps(payload_for(event_type, record, **data), cls=DjangoJSONEncoder))
    made = []
    for endpoint in endpoints:
        if dedupe_key and endpoint.deliveries.filter(dedupe_key=dedupe_key).exists():
            continue
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    endpoint=endpoint,
                    event_id=payload["id"],
                    event_type=event_type,
                    payload=payload,
                    dedupe_key=dedupe_key,
                    attempt_limit=max_attempts(),
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:  # the same hand-off told twice at once
            continue
        made.append(delivery)
        send_after_commit(delivery.pk)
    return made


def _actor(actor: User | None) -> dict[str, Any] | None:
    if actor is None or not actor.pk:
        return None
    return {"id": actor.pk, "username": actor.get_username(), "display": str(actor)}


def on_transition(
    sender: type[Model],
    instance: Model,
    transition: str,
    source: str,
    target: str,
    actor: User | None = None,
    **kwargs: Any,
) -> None:
    """A step moved a record: its state change and any step the feature named."""
    data: dict[str, Any] = {
        "transition": transition,
        "from": source,
        "to": target,
        "actor": _actor(actor),
    }
    for event_type in events.for_transition(sender, transition):
        emit(event_type, instance, **data)


def record_at(url: str) -> Model | None:
    """The record whose page is ``url`` (``<app>:<model>_detail`` by convention)."""
    try:
        match = resolve(url.split("#", 1)[0].split("?", 1)[0])
    except Resolver404:
        return None
    name = match.url_name or ""
    if not name.endswith("_detail") or "pk" not in match.kwargs:
        return None
    try:
        model = apps.get_model(match.namespace or "opf", name.removesuffix("_detail"))
    except LookupError:
        return None
    return model._default_manager.filter(pk=match.kwargs["pk"]).first()


def on_told(
    sender: Any,
    recipient: User,
    kind: str,
    title: str,
    url: str = "",
    key: str = "",
    **kwargs: Any,
) -> None:
    """Someone was handed work or news (``opf.core.notices.tell``): a hand-off event."""
    event_type = f"{events.HANDOFF_PREFIX}{kind}"
    emit(
        event_type,
        record_at(url) if url else None,
        dedupe_key=f"{event_type}:{key}:{recipient.pk}" if key else "",
        title=title,
        recipient=_actor(recipient),
    )


# Sending ------------------------------------------------------------------------------


def send_after_commit(delivery_id: int, countdown: float = 0) -> None:
    transaction.on_commit(lambda: publish(delivery_id, countdown))


def publish(delivery_id: int, countdown: float = 0) -> None:
    """Hand the delivery to the worker (eager settings: run it here)."""
    try:
        if current_app.conf.task_always_eager:
            current_app.loader.import_default_modules()
            current_app.tasks[DELIVER_TASK].apply(args=(delivery_id,))
        else:
            current_app.send_task(
                DELIVER_TASK,
                args=(delivery_id,),
                countdown=countdown or None,
                ignore_result=True,
                retry=True,
                retry_policy=PUBLISH_RETRY,
            )
    except Exception:  # the delivery stays pending and is listed; logged
        logger.warning("Could not queue webhook delivery %s", delivery_id, exc_info=True)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the receiver's answer, never followed (to another host or not)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery) -> tuple[int | None, str, str]:
    """POST the delivery once: (status code or None, response excerpt, error)."""
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL is checked to be http(s)
        endpoint.target_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "OPF-Event": delivery.event_type,
            "OPF-Delivery": str(delivery.pk),
            "OPF-Timestamp": str(timestamp),
            "OPF-Signature": signature(endpoint.secret, timestamp, body),
        },
    )
    if not endpoint.target_url.lower().startswith(("http://", "https://")):
        return None, "", _("Only http and https addresses are called.")
    try:
        with _OPENER.open(request, timeout=settings.OPF_WEBHOOK_TIMEOUT) as response:
            return response.status, response.read(500).decode(errors="replace"), ""
    except urllib.error.HTTPError as error:
        excerpt = error.read(500).decode(errors="replace") if error.fp else ""
        return error.code, excerpt, ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, "", str(reason)[:500] or type(error).__name__


def deliver(delivery_id: int) -> str:
    """One attempt of a pending delivery that is due; schedules the next on failure.

    The attempt is claimed by a compare-and-set on its count, so a duplicate message
    (a redelivered task, a redelivery meanwhile) does not send it twice at once."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "nothing to do"
    number = delivery.attempts + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=number, version=F("version") + 1)
    if claimed != 1:
        return "taken"
    started = timezone.now()
    clock = time.monotonic()
    code, excerpt, error = post(delivery)
    duration = int((time.monotonic() - clock) * 1000)
    ok = code is not None and 200 <= code < 300
    if not ok and not error:
        error = _("The receiver answered %(code)s.") % {"code": code}
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started,
        duration_ms=duration,
        response_code=code,
        response_excerpt=excerpt[:500],
        error=error,
    )
    now = timezone.now()
    update: dict[str, Any] = {
        "last_response_code": code,
        "last_error": "" if ok else error,
        "version": F("version") + 1,
    }
    if ok:
        update |= {"status": WebhookDelivery.Status.SUCCEEDED, "delivered_at": now}
        update["next_attempt_at"] = None
        outcome = "succeeded"
    elif number >= delivery.attempt_limit:
        update |= {"status": WebhookDelivery.Status.FAILED, "next_attempt_at": None}
        outcome = "failed"
    else:
        delays = retry_delays()
        used = number - (delivery.attempt_limit - max_attempts())  # attempts in this round
        delay = delays[min(max(used, 1), len(delays)) - 1] if delays else 0
        update["next_attempt_at"] = now + timedelta(seconds=delay)
        outcome = f"retry in {delay}s"
        publish(delivery.pk, countdown=delay)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**update)
    return outcome


SWEEP_GRACE = timedelta(minutes=2)


def deliveries_sweep(*, grace: timedelta = SWEEP_GRACE) -> int:
    """Beat, every minute: send again the pending deliveries whose attempt is overdue by
    more than ``grace`` (their queue message was lost: the broker was down when it was
    published, or a worker died). ``deliver`` claims each attempt, so a message that
    does arrive late sends nothing twice. Returns how many were sent."""
    overdue = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=timezone.now() - grace
    )
    sent = 0
    for pk in overdue.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:500]:
        publish(pk)
        sent += 1
    return sent


# The process group's steps -------------------------------------------------------------


@transaction.atomic
def delivery_redeliver(
    delivery: WebhookDelivery,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
) -> WebhookDelivery:
    """Send a delivery again, with a fresh round of attempts (the log keeps the old)."""
    if not can(actor, "change", delivery):
        raise PermissionDenied
    current = locked_current(delivery, expected_version)
    if current.status == WebhookDelivery.Status.PENDING:
        raise TransitionRefused(_("This delivery is still pending: it is sent already."))
    WebhookDelivery.objects.filter(pk=current.pk).update(
        status=WebhookDelivery.Status.PENDING,
        attempt_limit=current.attempts + max_attempts(),
        next_attempt_at=timezone.now(),
        version=F("version") + 1,
    )
    send_after_commit(current.pk)
    current.refresh_from_db()
    return current


@transaction.atomic
def endpoint_ping(endpoint: WebhookEndpoint, *, actor: User) -> WebhookDelivery:
    """A test event to this endpoint alone (active or not)."""
    if not can(actor, "change", endpoint):
        raise PermissionDenied
    made = emit(
        events.PING,
        endpoint,
        endpoints=[endpoint],
        actor=_actor(actor),
        title=_("A test ping from OPF"),
    )
    return made[0]


@transaction.atomic
def endpoint_rotate_secret(endpoint: WebhookEndpoint, *, actor: User) -> WebhookEndpoint:
    """A new signing secret; the old one signs nothing from now on."""
    if not can(actor, "change", endpoint):
        raise PermissionDenied
    endpoint.secret = new_secret()
    endpoint.version = F("version") + 1
    attribute_change(endpoint, actor, _("Signing secret replaced"))
    endpoint.save(update_fields=["secret", "version"])
    endpoint.refresh_from_db()
    return endpoint
