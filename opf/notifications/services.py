"""Notify people: in the app always, by e-mail at once or in a daily digest.

Exactly once in the app: ``remind`` records (kind, event, recipient) under a
unique constraint in the same transaction as the notification, so a rerun or a
second worker notifies nobody twice.

E-mail at least once, each on its own: a sender claims an e-mail with a
compare-and-set lease, and it counts as e-mailed (``emailed_at``) only once the
mail server accepted it. A failure releases the claim and is recorded on the
notification (shown on the reminder settings page); the rest of the batch is
still sent, and the batch then raises :class:`UndeliveredEmail` so the task
retries. Every run of a reminder kind, and every digest run, sends again what
is still waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import ngettext

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
    sender: Any,
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str,
    url: str,
    key: str = "",
    **_: Any,
) -> None:
    """Receiver of ``opf.core.notices.told``: what a feature tells someone is delivered
    (once per ``key``; grouped with an unread notification of the same record)."""
    with transaction.atomic():
        if key and not claim_once(kind=kind, key=key, recipient=recipient):
            return
        notification = tell_grouped(recipient=recipient, kind=kind, title=title, body=body, url=url)
    if notification.emailed_at is None and not notification.digest:
        email_after_commit(notification.pk)


@transaction.atomic
def tell_grouped(*, recipient: User, kind: str, title: str, body: str, url: str) -> Notification:
    """A new notification, or the person's unread one about the same record (``url``)
    brought up to date: five changes to one plan are one entry in the inbox."""
    unread = None
    if url:
        unread = (
            Notification.objects.select_for_update()
            .filter(recipient=recipient, url=url, read_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
    if unread is None:
        return notify(recipient=recipient, kind=kind, title=title, body=body, url=url)
    delivery = delivery_for(recipient, kind)
    unread.kind, unread.title, unread.body = kind, title[:255], body
    unread.created_at = timezone.now()
    unread.digest = delivery == Delivery.DIGEST
    # The news is e-mailed as the person asked, even if an earlier one was.
    off = delivery == Delivery.OFF or not recipient.email
    unread.emailed_at = unread.created_at if off else None
    unread.save(update_fields=["kind", "title", "body", "created_at", "digest", "emailed_at"])
    return unread


EMAIL_TASK = "opf.email_notification"  # opf.tasks.email_notification, published by name
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def email_after_commit(notification_id: int) -> None:
    """E-mail at once, by the worker, once the step that told is committed."""
    transaction.on_commit(lambda: _publish_email(notification_id))


def _publish_email(notification_id: int) -> None:
    try:
        if current_app.conf.task_always_eager:  # tests, scripts: run it here
            current_app.loader.import_default_modules()  # the tasks, found by name
            current_app.tasks[EMAIL_TASK].apply(args=(notification_id,))
        else:
            current_app.send_task(
                EMAIL_TASK,
                args=(notification_id,),
                ignore_result=True,
                retry=True,
                retry_policy=PUBLISH_RETRY,
            )
    except Exception:  # the step is done and the notification is in the inbox; logged
        logger.warning(
            "Could not queue the e-mail of notification %s", notification_id, exc_info=True
        )


def remind(
    *, kind: str, key: str, recipients: Iterable[User], title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Notify each recipient once per due event; returns the new notifications."""
    sent = []
    for recipient in {r.pk: r for r in recipients if r is not None and r.is_active}.values():
        # The claim and the notification commit together: no claim without its notification.
        with transaction.atomic():
            if claim_once(kind=kind, key=key, recipient=recipient):
                sent.append(notify(recipient=recipient, kind=kind, title=title, body=body, url=url))
    return sent


def send_due_reminders(
    kind_slug: str, *, lead_days: int | None = None, today: date | None = None
) -> int:
    """Find what is due for one reminder kind, notify, and e-mail at once where asked.

    Returns how many notifications were made. E-mails this kind still owes (a failure
    of an earlier run included) are sent too; if any fails, the others are still sent
    and :class:`UndeliveredEmail` is raised at the end."""
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
    waiting = Notification.objects.filter(kind=kind.slug, digest=False, emailed_at__isnull=True)
    failed = 0
    for notification_id in list(waiting.order_by("pk").values_list("pk", flat=True)):
        try:
            email_notification(notification_id)
        except UndeliveredEmail:
            failed += 1
    if failed:
        raise UndeliveredEmail(failed)
    return len(created)


class UndeliveredEmail(Exception):
    """Some e-mails were not accepted by the mail server; they wait for the next attempt."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} e-mail(s) could not be sent; they are kept for a retry")
        self.count = count


# A claim older than this is a dead sender's (longer than any e-mail task may run).
CLAIM_LEASE = timedelta(minutes=15)


def _absolute(url: str) -> str:
    base = getattr(settings, "OPF_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") else url


def one_line(text: str) -> str:
    """A header value from free text: no CR/LF (a mail header must be one line)."""
    return " ".join(str(text).split())


def _send(to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(one_line(subject), text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def _claim(waiting: QuerySet[Notification]) -> datetime | None:
    """Compare-and-set: hold these e-mails for one sender; the claim's time, or None."""
    now = timezone.now()
    free = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_LEASE)
    claimed = waiting.filter(free, emailed_at__isnull=True).update(email_claimed_at=now)
    return now if claimed else None


def _delivered(ids: list[int], claimed_at: datetime) -> None:
    Notification.objects.filter(pk__in=ids, email_claimed_at=claimed_at).update(
        emailed_at=timezone.now(), email_claimed_at=None, email_error=""
    )


def _undelivered(ids: list[int], claimed_at: datetime, error: Exception) -> None:
    """Release the claim and keep the reason: the next attempt sends it."""
    logger.warning("E-mail of notifications %s failed; kept for a retry", ids, exc_info=error)
    Notification.objects.filter(pk__in=ids, email_claimed_at=claimed_at).update(
        email_claimed_at=None,
        email_failures=F("email_failures") + 1,
        email_failed_at=timezone.now(),
        email_error=f"{type(error).__name__}: {error}"[:1000],
    )


def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail if no one else has; False if already handled
    (or another sender holds it). :class:`UndeliveredEmail` if the server refused it."""
    claimed_at = _claim(Notification.objects.filter(pk=notification_id, digest=False))
    if claimed_at is None:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        _send(
            notification.recipient.email,
            notification.title,
            "notification",
            {"n": notification, "url": _absolute(notification.url)},
        )
    except Exception as error:  # any failure to hand it over: kept for a retry
        _undelivered([notification_id], claimed_at, error)
        raise UndeliveredEmail(1) from error
    _delivered([notification_id], claimed_at)
    return True


def send_digests() -> int:
    """One e-mail per person with their waiting digest notifications; returns e-mails sent.
    A refused digest does not stop the others; :class:`UndeliveredEmail` at the end."""
    sent = failed = 0
    recipients = (
        Notification.objects.filter(digest=True, emailed_at__isnull=True)
        .order_by("recipient")
        .values_list("recipient", flat=True)
        .distinct()
    )
    for recipient_id in list(recipients):
        outcome = _send_digest(recipient_id)
        sent += outcome is True
        failed += outcome is False
    if failed:
        raise UndeliveredEmail(failed)
    return sent


def _send_digest(recipient_id: int) -> bool | None:
    """True: sent; False: refused (kept for the next run); None: nothing to send."""
    mine = Notification.objects.filter(recipient_id=recipient_id, digest=True)
    claimed_at = _claim(mine)
    if claimed_at is None:
        return None
    waiting = list(
        mine.filter(email_claimed_at=claimed_at, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )
    if not waiting:
        return None
    ids = [n.pk for n in waiting]
    user = waiting[0].recipient
    if not user.email:  # no address: nothing to send, as "in the app only"
        _delivered(ids, claimed_at)
        return None
    subject = ngettext("OPF: %(count)s reminder", "OPF: %(count)s reminders", len(waiting)) % {
        "count": len(waiting)
    }
    context = {"user": user, "items": [(n, _absolute(n.url)) for n in waiting]}
    try:
        _send(user.email, subject, "digest", context)
    except Exception as error:  # any failure to hand it over: kept for the next run
        _undelivered(ids, claimed_at, error)
        return False
    _delivered(ids, claimed_at)
    return True


def undelivered_emails() -> QuerySet[Notification]:
    """E-mails the mail server refused that no later attempt delivered, newest first."""
    return (
        Notification.objects.filter(emailed_at__isnull=True, email_failures__gt=0)
        .select_related("recipient")
        .order_by("-email_failed_at", "-pk")
    )


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
