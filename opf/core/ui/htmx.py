"""HTMX helpers: one place decides between a full page and a partial."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_partial(request: HttpRequest) -> bool:
    """True for an HTMX request that swaps part of the page (not a history restore)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if wants_partial(request) else template
