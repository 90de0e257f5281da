"""HTMX helpers: one place decides between a full page and a partial."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_partial(request: HttpRequest) -> bool:
    """True for an HTMX request that swaps part of the page (not a history restore)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if wants_partial(request) else template


class VaryOnHtmx:
    """Pages answer an HTMX request with a partial and a plain one with the whole page,
    so every page response says it varies on ``HX-Request``: the browser's cache (the
    back button) never serves a partial for a full page, nor the reverse."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("HX-Request",))
        return response
