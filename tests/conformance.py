"""Every response the suite gets from ``/api/v1/`` conforms to the served schema (#22).

schemathesis fuzzes what goes in; this checks what comes out, on every API call
the tests make anyway. ``ConformanceMiddleware`` (outermost, test settings only)
looks each ``/api/v1/`` answer up in the OpenAPI schema drf-spectacular serves
(generated once per process) by path and method, and checks that

- the status code is one the operation documents,
- the body's media type is one documented for that status (no body where none is),
- a JSON body validates against the documented schema (OpenAPI 3.0: ``nullable``,
  ``readOnly``/``writeOnly``, formats), with openapi-schema-validator.

What does not conform is recorded, not raised: the live server's threads record
too, and the ``_responses_conform`` fixture (tests/conftest.py) fails the test
that made the request, naming each mismatch. Validators are compiled once per
operation, status and media type.

Not checked: what the schema does not document as an operation (the schema and
docs pages themselves, OPTIONS and HEAD, an undocumented method answered 405,
an unknown path answered 404 by ``ApiNotFoundView``), and streamed bodies
(their media type is checked).
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from openapi_schema_validator import OAS30ReadValidator

PREFIX = "/api/v1/"
NOT_OPERATIONS = ("/api/v1/schema/", "/api/v1/docs/")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}

_lock = threading.Lock()
MISMATCHES: list[str] = []


def take_mismatches() -> list[str]:
    """What was recorded since the last call (and forget it)."""
    with _lock:
        found = list(MISMATCHES)
        MISMATCHES.clear()
    return found


@dataclass(frozen=True)
class Path:
    template: str
    pattern: re.Pattern[str]
    operations: dict[str, Any]


def forget_schema() -> None:
    """Read the schema again at the next check: a test that registers a document kind
    (or anything else the schema lists) calls it before and after."""
    for cached in (served_schema, paths, validator):
        cached.cache_clear()


@functools.cache
def served_schema() -> dict[str, Any]:
    """The schema /api/v1/schema/ serves (the project's URLs, whatever a test's
    ``urls`` marker says)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(urlconf="opf.urls").get_schema(request=None, public=True)
    # The served JSON: lazy strings and other Python values as the renderer writes them.
    return json.loads(json.dumps(schema, default=str))


@functools.cache
def paths() -> list[Path]:
    """The documented paths, the most specific first (``/improvements/board/``
    before ``/improvements/{id}/``)."""
    found = []
    for template, operations in served_schema()["paths"].items():
        regex = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        found.append(Path(template, re.compile(f"^{regex}$"), operations))
    return sorted(found, key=lambda p: -len(re.sub(r"\{[^/]+?\}", "", p.template)))


def find(path: str) -> Path | None:
    return next((p for p in paths() if p.pattern.match(path)), None)


@functools.cache
def validator(template: str, method: str, status: str, media: str) -> OAS30ReadValidator:
    """The compiled validator of one documented answer (refs resolve in the schema)."""
    spec = served_schema()
    answer = spec["paths"][template][method]["responses"][status]["content"][media]
    root = {"components": spec["components"], "allOf": [answer.get("schema", {})]}
    return OAS30ReadValidator(root, format_checker=OAS30ReadValidator.FORMAT_CHECKER)


def media_type(response: HttpResponse) -> str:
    return (response.get("Content-Type") or "").split(";")[0].strip().lower()


def documented_media(content: dict[str, Any], media: str) -> str | None:
    """The documented media type that ``media`` answers (``*/*`` and ``text/*`` too)."""
    for key in content:
        wanted = key.lower()
        if wanted == media or wanted == "*/*":
            return key
        if wanted.endswith("/*") and media.startswith(wanted[:-1]):
            return key
    return None


def problems(method: str, path: str, response: HttpResponse) -> list[str]:
    """How the answer to ``method path`` departs from the schema (empty: it conforms)."""
    method = method.upper()
    if not path.startswith(PREFIX) or path.startswith(NOT_OPERATIONS):
        return []
    if method in SKIPPED_METHODS:
        return []
    documented = find(path)
    status = str(response.status_code)
    if documented is None:
        return []  # not an operation: ApiNotFoundView's 404 (or a test's own URL)
    operation = documented.operations.get(method.lower())
    where = f"{method} {documented.template} -> {status}"
    if operation is None:
        if response.status_code < 400:
            return [f"{where}: the operation is not documented"]
        return []  # e.g. 405 for a method the endpoint does not have
    responses = operation.get("responses", {})
    answer = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default")
    if answer is None:
        return [f"{where}: status not documented (documented: {', '.join(sorted(responses))})"]
    content = answer.get("content") or {}
    streamed = getattr(response, "streaming", False)
    body = b"" if streamed else response.content
    media = media_type(response)
    if not content:
        if body or streamed:
            return [f"{where}: a {media or 'body'} body where the schema documents none"]
        return []
    if not body and not streamed:
        return [f"{where}: no body where the schema documents {', '.join(content)}"]
    key = documented_media(content, media)
    if key is None:
        return [f"{where}: media type {media!r} not documented ({', '.join(content)})"]
    if streamed or not (media.endswith("/json") or media.endswith("+json")):
        return []
    try:
        data = json.loads(body)
    except ValueError:
        return [f"{where}: the body is not JSON"]
    check = validator(documented.template, method.lower(), status, key)
    errors = sorted(check.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [
        f"{where}: at /{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:300]}"
        for error in errors[:20]
    ]


class ConformanceMiddleware:
    """Records every ``/api/v1/`` answer that does not conform to the served schema."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PREFIX):
            found = problems(request.method or "GET", request.path, response)
            if found:
                with _lock:
                    MISMATCHES.extend(found)
                    log = os.environ.get("OPF_CONFORMANCE_LOG")  # a long run's mismatches, as found
                    if log:
                        with open(log, "a", encoding="utf-8") as file:
                            file.write("\n".join(found) + "\n")
        return response
