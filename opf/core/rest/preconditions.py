"""Versions in the API: an ETag (``"<pk>-<version>"``) on reads; ``If-Match`` (or a
``version`` field in the body) on writes; a stale write gets 412 Precondition Failed
with the record as it is now (``opf.core.versioning`` does the check). Every read
answers with an ETag (a list's is a hash of its body) and, when the client sends
it back in ``If-None-Match``, with 304 Not Modified and no body."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model
from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ErrorDetail
from rest_framework.request import Request

from opf.core.versioning import StaleVersion, VersionedModel


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it."
    default_code = "precondition_failed"

    def __init__(self, detail: Any = None, code: str | None = None) -> None:
        super().__init__(detail, code)
        if isinstance(detail, dict):
            self.detail = detail  # keep the current record's types (ints stay ints)


def etag_for(obj: VersionedModel) -> str:
    return f'"{obj.pk}-{obj.version}"'


_ETAG = re.compile(r'^(?:W/)?"(?P<pk>[^"-]+)-(?P<version>\d+)"$')


def expected_from_request(request: Request, obj: Model) -> int | None:
    """The version the client read: ``If-Match`` first, else a ``version`` field."""
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        match = _ETAG.match(header)
        if match is None or match["pk"] != str(obj.pk):
            raise PreconditionFailed(_("If-Match must be an ETag of this record."))
        return int(match["version"])
    data = request.data if hasattr(request.data, "get") else {}
    raw = data.get("version") if data else None
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise serializers.ValidationError(
            {"version": [ErrorDetail(_("A whole number."), code="invalid")]}
        ) from error


def precondition_failed(error: StaleVersion, serializer: Any) -> PreconditionFailed:
    """The 412 for a stale write: the message and the record as it is now
    (shown with ``serializer``, when the view has one)."""
    if serializer is None:
        return PreconditionFailed({"detail": str(error), "code": "stale"})
    current = serializer(error.current).data
    return PreconditionFailed({"detail": str(error), "code": "stale", "current": current})


def answer_conditionally(request: Request, response: HttpResponseBase) -> HttpResponseBase:
    """Tag a successful read (its own ETag, else a hash of the body, once rendered)
    and answer 304 when the client's ``If-None-Match`` names it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response

    def tag(rendered: HttpResponse) -> HttpResponse | None:
        if not rendered.has_header("ETag"):
            set_response_etag(rendered)
        return get_conditional_response(request._request, etag=rendered["ETag"], response=rendered)

    add_callback = getattr(response, "add_post_render_callback", None)
    if add_callback is not None:
        add_callback(tag)
    return response
