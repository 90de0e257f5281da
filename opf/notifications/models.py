"""In-app notifications, delivery preferences and the exactly-once reminder ledger."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one person, shown in their inbox (and e-mailed per preference)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set once the mail server accepted the e-mail (or when none is due: "in the app only").
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    digest = models.BooleanField(_("waits for the daily digest"), default=False)
    # Delivery bookkeeping: a sender holds the e-mail while it sends (a lease, so a
    # dead worker's claim runs out); a failure releases it and is kept for the
    # process group to see until a later attempt succeeds.
    email_claimed_at = models.DateTimeField(_("being e-mailed since"), null=True, blank=True)
    email_failures = models.PositiveSmallIntegerField(_("failed e-mail attempts"), default=0)
    email_failed_at = models.DateTimeField(_("last failed e-mail attempt"), null=True, blank=True)
    email_error = models.TextField(_("why the e-mail failed"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_reminders", _("Can set reminder schedules"))]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["digest", "emailed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url or "/"


class NotificationPreference(models.Model):
    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("E-mail at once")
        DIGEST = "digest", _("E-mail in a daily digest")
        OFF = "off", _("In the app only")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=50)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"


class ReminderSent(models.Model):
    """One row per reminder kind, due event and recipient: the unique constraint
    is what makes a rerun, or two workers at once, send nothing twice."""

    kind = models.CharField(max_length=50)
    event_key = models.CharField(max_length=200)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "event_key", "recipient"], name="reminder_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_key} → {self.recipient_id}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar feed URL per user; revoking replaces the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar of {self.user}"
