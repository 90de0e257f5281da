"""Notify people: in the app always, by e-mail at once or in a daily digest.

Exactly once: ``remind`` records (kind, event, recipient) under a unique
constraint before anything is sent, so a rerun or a second worker sends
nothing twice; e-mails are claimed with a compare-and-set update before they
go out and released again if sending fails, so a retry sends them later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from opf.core.accounts import User
from opf.core.reminders import kinds
from opf.notifications.models import Notification, NotificationPreference, ReminderSent

logger = logging.getLogger(__name__)
Delivery = NotificationPreference.Delivery


def delivery_for(user: User, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return pref.delivery if pref else Delivery.IMMEDIATE


def claim_once(*, kind: str, key: str, recipient: User) -> bool:
    """True for the one caller that records this (kind, event, recipient) first."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, event_key=key, recipient=recipient)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def notify(
    *, recipient: User, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    delivery = delivery_for(recipient, kind)
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=title[:255],
        body=body,
        url=url,
        digest=delivery == Delivery.DIGEST,
        # "In the app only" counts as handled for e-mail.
        emailed_at=timezone.now() if delivery == Delivery.OFF or not recipient.email else None,
    )


def on_told(
    sender: Any, *, recipient: User, kind: str, title: str, body: str, url: str, **_: Any
) -> None:
    """Receiver of ``opf.core.notices.told``: what a feature tells someone is delivered."""
    notify(recipient=recipient, kind=kind, title=title, body=body, url=url)


def remind(
    *, kind: str, key: str, recipients: Iterable[User], title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Notify each recipient once per due event; returns the new notifications."""
    sent = []
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        if claim_once(kind=kind, key=key, recipient=recipient):
            sent.append(notify(recipient=recipient, kind=kind, title=title, body=body, url=url))
    return sent


def send_due_reminders(
    kind_slug: str, *, lead_days: int | None = None, today: date | None = None
) -> int:
    """Find what is due for one reminder kind, notify, and e-mail at once where asked."""
    kind = kinds()[kind_slug]
    today = today or timezone.localdate()
    days = kind.default_lead_days if lead_days is None else lead_days
    created: list[Notification] = []
    for event in kind.find_due(today, days):
        created += remind(
            kind=kind.slug,
            key=event.key,
            recipients=event.recipients,
            title=event.title,
            body=event.body,
            url=event.url,
        )
    for notification in created:
        if not notification.digest and notification.emailed_at is None:
            email_notification(notification.pk)
    return len(created)


def _absolute(url: str) -> str:
    base = getattr(settings, "OPF_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def _send(to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail if no one else has; False if already handled."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, digest=False
    ).update(emailed_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        _send(
            notification.recipient.email,
            notification.title,
            "notification",
            {"n": notification, "url": _absolute(notification.url)},
        )
    except Exception:
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        logger.exception("E-mail for notification %s failed; it will be retried", notification_id)
        raise
    return True


def send_digests() -> int:
    """One e-mail per person with their waiting digest notifications; returns e-mails sent."""
    sent = 0
    recipients = (
        Notification.objects.filter(digest=True, emailed_at__isnull=True)
        .values_list("recipient", flat=True)
        .distinct()
    )
    for recipient_id in list(recipients):
        now = timezone.now()
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=recipient_id, digest=True, emailed_at__isnull=True)
                .select_related("recipient")
                .order_by("created_at")
            )
            if not waiting:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
            user = waiting[0].recipient
            if user.email:
                _send(
                    user.email,
                    f"OPF: {len(waiting)} reminders",
                    "digest",
                    {"user": user, "items": [(n, _absolute(n.url)) for n in waiting]},
                )
                sent += 1
    return sent


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
