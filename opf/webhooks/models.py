"""Webhook endpoints, the deliveries made to them and each delivery's attempts."""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opf.core.history import ChangeHistory
from opf.core.models import DomainModel


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def check_target(url: str) -> None:
    """Only http(s) URLs with a host: never file:, ftp: or a bare path."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("Give an http:// or https:// address with a host."), code="invalid")


def check_events(value: object) -> None:
    from opf.core.events import event_types

    known = event_types()
    if not isinstance(value, list) or any(not isinstance(e, str) or e not in known for e in value):
        raise ValidationError(_("Choose event types from the list."), code="invalid_choice")


class WebhookEndpoint(DomainModel):
    """Where events are sent, and which; the secret signs every delivery."""

    target_url = models.URLField(
        _("address"),
        max_length=500,
        validators=[check_target],
        help_text=_("Where OPF sends the events (http or https); redirects are not followed."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        validators=[check_events],
        help_text=_("The event types sent to this address."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive endpoint is sent nothing.")
    )
    secret = models.CharField(
        _("signing secret"), max_length=100, default=new_secret, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = ChangeHistory(excluded_fields=["version", "secret"])

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["target_url", "pk"]

    def __str__(self) -> str:
        return self.description or self.target_url

    def subscribed(self, event_type: str) -> bool:
        return self.active and event_type in self.events


class WebhookDelivery(DomainModel):
    """One event sent (or to send) to one endpoint; its attempts are its log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event"), max_length=100, editable=False)
    payload = models.JSONField(_("payload"), default=dict, editable=False)
    # Set for an event told once however often its step runs (a hand-off's notice key).
    dedupe_key = models.CharField(max_length=300, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        editable=False,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0, editable=False)
    # The attempt count at which a pending delivery gives up (a redelivery extends it).
    attempt_limit = models.PositiveIntegerField(default=0, editable=False)
    last_response_code = models.PositiveIntegerField(
        _("last response code"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, editable=False)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="webhook_delivery_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    NAME_JOINS = ("endpoint",)  # what __str__ reads

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint}"

    def get_absolute_url(self) -> str:
        return (
            f"{reverse('opf:webhookendpoint_detail', args=[self.endpoint_id])}#delivery-{self.pk}"
        )

    @property
    def redeliverable(self) -> bool:
        return self.status != self.Status.PENDING


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("sent"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.CharField(_("response"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"#{self.number} {self.response_code or self.error[:40]}"

    @property
    def succeeded(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "response_code": self.response_code, "error": self.error}
