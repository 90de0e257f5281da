"""OpenAPI post-processing: document the error answers every operation can give,
so clients (and schemathesis) know them: 400 bad input, 401/403 auth and
permission, 404 unknown id or page, 409 a refused or conflicting change."""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Field name (or non_field_errors) to a list of messages.",
    "additionalProperties": {},
}
DESCRIPTIONS = {
    "400": "Bad input: field errors.",
    "401": "Not signed in: send a token (Authorization: Token <key>).",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record (or you cannot see it), or no such page.",
    "409": "Refused now: the record's state does not allow it, or it is in use.",
    "415": "The body is not JSON, form or multipart data.",
}
WRITES = {"post", "put", "patch", "delete"}


def _response(code: str) -> dict[str, Any]:
    ref = "#/components/schemas/ValidationError" if code == "400" else "#/components/schemas/Error"
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": ref}}},
    }


def add_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in WRITES | {"get", "head", "options"}:
                continue
            codes = ["400", "401", "403", "404"]
            if method in WRITES:
                codes += ["409", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _response(code))
    return result
