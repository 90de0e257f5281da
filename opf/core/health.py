"""The system's pulse: the worker heartbeat and the health check load balancers call."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.db import connection, models
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods


class Heartbeat(models.Model):
    """When a scheduled job last ran through beat and a worker (shown on the dashboard)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"

    @property
    def healthy(self) -> bool:
        return timezone.now() - self.seen_at < timedelta(minutes=3)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
