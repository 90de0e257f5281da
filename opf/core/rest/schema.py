"""OpenAPI additions: the error answers every operation can give, so clients
(and schemathesis) know them: 400 bad input, 401/403 auth and permission, 404
unknown id or page, 409 a refused or conflicting change, 429 over the rate
limit; and, for versioned
records, the ``If-Match`` header and the 412 a stale write gets, and for reads the
``If-None-Match`` header, the ``ETag`` and the 304."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from opf.core.versioning import is_versioned

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
    "415": "The body is not JSON (multipart where a file is uploaded).",
    "429": "Too many requests: wait the number of seconds in Retry-After.",
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
            codes = ["400", "401", "403", "404", "429"]
            if method in WRITES:
                codes += ["409", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _response(code))
    return result


STALE = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "current": {"type": "object", "description": "The record as it is now."},
    },
    "required": ["detail"],
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag you read ("<id>-<version>"); a stale one gets 412.',
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of what you read; unchanged, the answer is 304 with no body.",
}
ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": 'The tag of what you read: "<id>-<version>" for a record, a '
        "hash for a list. Send it back in If-None-Match (reads) or If-Match (writes).",
    }
}
NOT_MODIFIED = {"description": "Not modified since the ETag you sent (If-None-Match)."}
VERSION_CHECKED = {"PUT", "PATCH", "DELETE"}


class ObjectAutoSchema(AutoSchema):
    """Writes to a versioned record (edits, deletes and every POST step on one) take
    ``If-Match`` and may answer 412; reads take ``If-None-Match`` and may answer
    304; successful answers carry an ``ETag``."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        if self.method == "GET":
            self._conditional_read(operation)
        elif self._version_checked():
            self._conditional_write(operation)
        return operation

    def _version_checked(self) -> bool:
        if not self._versioned():
            return False
        if self.method in VERSION_CHECKED:
            return True
        # a POST on one record: a lifecycle step or another action that changes it
        return self.method == "POST" and bool(getattr(self.view, "detail", False))

    def _conditional_read(self, operation: dict[str, Any]) -> None:
        parameters = operation.setdefault("parameters", [])
        if all(p.get("name") != "If-None-Match" for p in parameters):
            parameters.append(IF_NONE_MATCH)
        responses = operation.setdefault("responses", {})
        if "200" in responses:
            responses["200"].setdefault("headers", {}).update(ETAG_HEADER)
            responses.setdefault("304", NOT_MODIFIED)

    def _conditional_write(self, operation: dict[str, Any]) -> None:
        parameters = operation.setdefault("parameters", [])
        if all(p.get("name") != "If-Match" for p in parameters):
            parameters.append(IF_MATCH)
        responses = operation.setdefault("responses", {})
        responses["412"] = {
            "description": "The record changed since you read it: nothing was saved.",
            "content": {"application/json": {"schema": STALE}},
        }
        for code in ("200", "201"):
            if code in responses:
                responses[code].setdefault("headers", {}).update(ETAG_HEADER)

    def _versioned(self) -> bool:
        queryset = getattr(self.view, "queryset", None)
        return queryset is not None and is_versioned(queryset.model)
