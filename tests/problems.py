"""Reading the API's error answers in tests, in one place: RFC 9457 problem
details (``opf.core.rest.exceptions``)."""

from __future__ import annotations

from typing import Any


def problem(response: Any) -> dict[str, Any]:
    """The problem details of an error answer (checks it is one)."""
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    body = response.json()
    assert {"type", "title", "status", "detail", "code"} <= body.keys(), body
    assert body["status"] == response.status_code
    return body


def field_errors(response: Any) -> dict[str, list[str]]:
    """The messages of a 400, by field name (``non_field_errors`` for the record)."""
    found: dict[str, list[str]] = {}
    for error in problem(response).get("errors", []):
        found.setdefault(error["field"], []).append(error["detail"])
    return found


def error_codes(response: Any) -> dict[str, list[str]]:
    """The stable codes of a 400, by field name."""
    found: dict[str, list[str]] = {}
    for error in problem(response).get("errors", []):
        found.setdefault(error["field"], []).append(error["code"])
    return found
