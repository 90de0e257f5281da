"""Every refusal the API gives, answered once and in one shape: RFC 9457 problem
details (``application/problem+json``).

What services raise becomes its HTTP answer here, never in a view: a step not
allowed now (``TransitionRefused``), a record still in use or a conflicting
change → 409; Django validation → 400 with field errors; Django's
``PermissionDenied`` → 403 (its message kept); ``Http404`` → 404; a stale version
(``StaleVersion``) → 412 with the record as it is now.

The body::

    {"type": "urn:opf:problem:invalid", "title": "Invalid input", "status": 400,
     "detail": "title: This field is required.", "code": "invalid",
     "errors": [{"field": "title", "pointer": "/title", "code": "required",
                 "detail": "This field is required."}]}

``code`` is stable (DRF's and Django's error codes: ``required``, ``invalid``,
``max_length``, ``unknown_field``, ``read_only``, ``stale``, ...); ``errors`` lists
every field error of a 400 (``pointer`` into the body, or ``parameter`` for a query
parameter; ``non_field_errors`` is the body as a whole). The schema documents the
shape once (``opf.core.rest.schema``: the ``Problem`` component).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.exceptions import APIException, ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from opf.core.csvimport import ImportPreview
from opf.core.errors import TransitionRefused
from opf.core.rest.preconditions import precondition_failed
from opf.core.versioning import StaleVersion

PROBLEM_JSON = "application/problem+json"
NON_FIELD = "non_field_errors"

# status → (the type's last word, its title): one type per kind of answer, the
# finer reason in ``code``.
PROBLEM_TYPES: dict[int, tuple[str, Any]] = {
    400: ("invalid", _lazy("Invalid input")),
    401: ("not-signed-in", _lazy("Not signed in")),
    403: ("not-allowed", _lazy("Not allowed")),
    404: ("not-found", _lazy("Not found")),
    405: ("method-not-allowed", _lazy("Method not allowed")),
    406: ("not-acceptable", _lazy("Not acceptable")),
    409: ("conflict", _lazy("Not possible now")),
    412: ("stale", _lazy("Changed since you read it")),
    415: ("unsupported-media-type", _lazy("Unsupported media type")),
    429: ("throttled", _lazy("Too many requests")),
}


class Conflict(APIException):
    """409: the record's state does not allow this now (a refused step, a record in
    use, a change that conflicts with others)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _lazy("Not possible now.")
    default_code = "refused"


class Invalid(ValidationError):
    """400 with field errors already listed as the problem's ``errors`` (each a dict
    with ``field``, ``pointer``, ``code`` and ``detail``, and any further member, as
    an import's ``line``): for what a serializer does not describe (a CSV's rows)."""

    def __init__(self, detail: str, errors: list[dict[str, Any]]) -> None:
        super().__init__({NON_FIELD: [detail]}, code="invalid")
        self.message = detail
        self.errors = errors


def import_refused(preview: ImportPreview[Any], field: str = "file") -> Invalid:
    """A refused file import (nothing saved): the file's problems, then each bad row's
    with its ``line`` (code ``invalid_file`` or ``invalid_row``)."""
    where: dict[str, Any] = {"field": field, "pointer": f"/{field}"}
    errors = [{**where, "code": "invalid_file", "detail": str(e)} for e in preview.errors]
    errors += [
        {**where, "code": "invalid_row", "detail": str(e), "line": row.line}
        for row in preview.rows
        for e in row.errors
    ]
    count = len(errors)
    detail = _("Nothing was saved: %(count)d problem(s) in the file.") % {"count": count}
    return Invalid(detail, errors)


def validation_detail(error: DjangoValidationError) -> dict[str, list[ErrorDetail]]:
    """Django's validation error as DRF's, each message keeping its code
    (``blank``, ``unique``, ``invalid_choice``, ... ; ``invalid`` when it has none)."""
    groups: list[tuple[str, list[DjangoValidationError]]]
    if hasattr(error, "error_dict"):
        groups = list(error.error_dict.items())
    else:
        groups = [(NON_FIELD, error.error_list)]
    detail: dict[str, list[ErrorDetail]] = {}
    for key, errors in groups:
        name = NON_FIELD if key == "__all__" else key
        for single in errors:
            code = getattr(single, "code", None) or "invalid"
            detail.setdefault(name, []).extend(ErrorDetail(str(m), code=code) for m in single)
    return detail


def _serializer_of(context: dict[str, Any]) -> Any:
    """The serializer the view answers its records with (shows a stale write's record)."""
    view = context.get("view")
    get_serializer_class = getattr(view, "get_serializer_class", None)
    return get_serializer_class() if get_serializer_class is not None else None


def as_api_exception(exc: Exception, context: dict[str, Any]) -> Exception:
    """What a service raised, as the API exception that answers it."""
    if isinstance(exc, TransitionRefused):
        return Conflict(exc.message, code="refused")
    if isinstance(exc, StaleVersion):
        return precondition_failed(exc, _serializer_of(context))
    if isinstance(exc, DjangoValidationError):
        return ValidationError(validation_detail(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        used_by = sorted({str(o._meta.verbose_name_plural) for o in exc.args[1]})
        message = _("Still used by: %(used_by)s.") % {"used_by": ", ".join(used_by)}
        return Conflict(message, code="in_use")
    if isinstance(exc, IntegrityError):
        return Conflict(_("The change conflicts with existing records."), code="conflict")
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = as_api_exception(exc, context)
    response = drf_exception_handler(exc, context)  # headers (Retry-After, ...), rollback
    if response is None or not isinstance(exc, APIException):
        return response
    response.data = problem(exc, response.status_code, context.get("request"))
    renderer = getattr(context.get("request"), "accepted_renderer", None)
    if renderer is None or getattr(renderer, "format", "json") == "json":
        response.content_type = PROBLEM_JSON
    return response


# --- the body ------------------------------------------------------------------------


def problem(exc: APIException, status_code: int, request: Any = None) -> dict[str, Any]:
    """The problem details of ``exc``, answered with ``status_code``."""
    kind, title = PROBLEM_TYPES.get(status_code, ("error", _lazy("Error")))
    body: dict[str, Any] = {
        "type": f"urn:opf:problem:{kind}",
        "title": str(title),
        "status": status_code,
    }
    detail = exc.detail
    if isinstance(exc, Invalid):
        body.update(detail=exc.message, code="invalid", errors=exc.errors)
    elif isinstance(exc, ValidationError):
        errors = list(field_errors(detail, query_names(request), body_names(request)))
        body.update(detail=summary(errors), code="invalid", errors=errors)
    elif isinstance(detail, Mapping):
        # A message with more to say: the record as it is now (412), the fields the
        # user may not write (403).
        message = detail.get("detail", exc.default_detail)
        body.update(detail=str(message), code=str(detail.get("code") or _code(message, exc)))
        if "current" in detail:
            body["current"] = detail["current"]
        if "fields" in detail:
            body["errors"] = [
                {"field": name, "pointer": f"/{name}", "code": body["code"], "detail": str(message)}
                for name in detail["fields"]
            ]
    else:
        message = " ".join(str(m) for m in detail) if isinstance(detail, list) else detail
        body.update(detail=str(message), code=_code(detail, exc))
    listed = getattr(exc, "errors", None)  # a bulk write's refused items (opf.core.rest.bulk)
    if not isinstance(exc, Invalid) and isinstance(listed, list):
        body["errors"] = listed
    return body


def _code(detail: Any, exc: APIException) -> str:
    code = getattr(detail, "code", None)
    return str(code or exc.default_code)


def query_names(request: Any) -> set[str]:
    params: Any = getattr(request, "query_params", None)
    return set(params.keys()) if hasattr(params, "keys") else set()


def body_names(request: Any) -> set[str]:
    """The names in the body, when it has been read (never reads it: it may be bad)."""
    data: Any = getattr(request, "_full_data", None)
    return set(data.keys()) if hasattr(data, "keys") else set()


def field_errors(
    detail: Any, query: Collection[str] = (), body: Collection[str] = ()
) -> Iterator[dict[str, Any]]:
    """DRF's nested error detail as a flat list, in the order the fields were checked:
    ``field`` (dotted, for people), ``pointer`` (RFC 6901, into the body) or
    ``parameter`` (a query parameter), ``code`` and ``detail``."""
    if isinstance(detail, Mapping):
        items: list[tuple[str, Any]] = [(str(k), v) for k, v in detail.items()]
    else:
        items = [(NON_FIELD, detail)]
    for name, messages in items:
        if name in query and name not in body:
            where: dict[str, str] = {"parameter": name}
        elif name == NON_FIELD:
            where = {"pointer": ""}
        else:
            where = {"pointer": "/" + _escape(name)}
        yield from _flatten(messages, name, where)


def _flatten(messages: Any, field: str, where: dict[str, str]) -> Iterator[dict[str, Any]]:
    if isinstance(messages, Mapping):
        for key, inner in messages.items():
            name = str(key)
            inner_field = field if name == NON_FIELD else f"{field}.{name}"
            yield from _flatten(inner, inner_field, _deeper(where, name))
        return
    if isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            for message in messages:
                yield _entry(field, where, message)
            return
        for index, inner in enumerate(messages):  # a list of records or of lists
            if inner:
                yield from _flatten(inner, f"{field}.{index}", _deeper(where, str(index)))
        return
    yield _entry(field, where, messages)


def _deeper(where: dict[str, str], token: str) -> dict[str, str]:
    if "pointer" not in where or token == NON_FIELD:
        return where
    return {"pointer": f"{where['pointer']}/{_escape(token)}"}


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _entry(field: str, where: dict[str, str], message: Any) -> dict[str, Any]:
    code = getattr(message, "code", None) or "invalid"
    return {"field": field, **where, "code": str(code), "detail": str(message)}


def summary(errors: list[dict[str, Any]]) -> str:
    """One sentence for people: each field with its first message."""
    seen: dict[str, str] = {}
    for error in errors:
        seen.setdefault(error["field"], error["detail"])
    parts = [
        message if name == NON_FIELD else f"{name}: {message}" for name, message in seen.items()
    ]
    return " ".join(parts) or _("The input is not valid.")
