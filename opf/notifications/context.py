"""The unread-notification count in the top bar of every page, rendered by the server
(it shows without JavaScript; HTMX refreshes it while the page stays open)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from opf.core.navigation import once
from opf.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_unread": once(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        )
    }
