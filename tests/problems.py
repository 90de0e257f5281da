"""Reading the API's error answers in tests, in one place (the shape is
``opf.core.rest.exceptions``'s)."""

from __future__ import annotations

from typing import Any


def field_errors(response: Any) -> dict[str, list[str]]:
    """The messages of a 400, by field name (``non_field_errors`` for the record)."""
    body = response.json()
    return {k: v for k, v in body.items() if k != "detail" and isinstance(v, list)}
