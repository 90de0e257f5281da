"""OpenAPI additions: the error answers every operation can give, so clients
(and schemathesis) know them: 400 bad input, 401/403 auth and permission, 404
unknown id or page, 409 a refused or conflicting change, 415 a body that is not
JSON, 429 over the rate limit, each an RFC 9457 problem (the ``Problem``
component, ``opf.core.rest.exceptions``); and, for versioned
records, the ``If-Match`` header and the 412 a stale write gets, and for reads the
``If-None-Match`` header, the ``ETag`` and the 304."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_doc, get_lib_doc_excludes

from opf.core.versioning import is_versioned

FIELD_ERROR = {
    "type": "object",
    "description": "One field's problem: where it is and its stable code.",
    "properties": {
        "field": {
            "type": "string",
            "description": "The field (dotted for nested ones; non_field_errors: the "
            "record as a whole).",
        },
        "pointer": {
            "type": "string",
            "description": "JSON Pointer (RFC 6901) into the request body.",
        },
        "parameter": {"type": "string", "description": "The query parameter, instead."},
        "code": {
            "type": "string",
            "description": "Stable: required, blank, null, invalid, incorrect_type, "
            "invalid_choice, max_length, does_not_exist, unique, unknown_field, "
            "read_only, permission_denied, ...",
        },
        "detail": {"type": "string", "description": "What is wrong, for people."},
        "line": {"type": "integer", "description": "The line of an imported file."},
        "index": {
            "type": "integer",
            "description": "The item of a bulk write (0 is the first) that has the problem.",
        },
    },
    "required": ["field", "code", "detail"],
}
PROBLEM = {
    "type": "object",
    "description": "Every error answer: RFC 9457 problem details (application/problem+json).",
    "properties": {
        "type": {
            "type": "string",
            "description": "The kind of problem (urn:opf:problem:invalid, …:not-allowed, "
            "…:not-found, …:conflict, …:stale, …:throttled, ...).",
        },
        "title": {"type": "string", "description": "The kind of problem, for people."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What happened, for people."},
        "code": {
            "type": "string",
            "description": "Stable: invalid, not_authenticated, permission_denied, "
            "not_found, refused, in_use, conflict, stale, unsupported_media_type, "
            "throttled, ...",
        },
        "errors": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FieldError"},
            "description": "Every field error at once (400; the refused fields of a 403).",
        },
        "current": {
            "type": "object",
            "additionalProperties": {},
            "description": "412: the record as it is now.",
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
DESCRIPTIONS = {
    "400": "Bad input: every field error, with its code.",
    "401": "Not signed in: send a token (Authorization: Token <key>).",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record (or you cannot see it), or no such page.",
    "409": "Refused now: the record's state does not allow it, or it is in use.",
    "412": "The record changed since you read it: nothing was saved.",
    "415": "The body is not JSON (multipart where a file is uploaded).",
    "429": "Too many requests: wait the number of seconds in Retry-After.",
}
ERROR_CODES = set(DESCRIPTIONS)
WRITES = {"post", "put", "patch", "delete"}
# Error shapes declared before problem details, replaced by Problem everywhere.
REPLACED = {"Detail", "MeasurementImportErrors"}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_REF}},
    }


def add_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Every operation's error answers are the ``Problem`` component (documented
    once): the ones it declares (keeping their own description) and those every
    operation can give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["FieldError"] = FIELD_ERROR
    schemas["Problem"] = PROBLEM
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in WRITES | {"get", "head", "options"}:
                continue
            codes = ["400", "401", "403", "404", "429"]
            if method in WRITES:
                codes += ["409", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {})
            for code, response in responses.items():
                if code in ERROR_CODES:
                    own = response.get("description") or ""
                    responses[code] = _problem(own or DESCRIPTIONS[code])
    text = json.dumps([result["paths"], schemas], default=str)
    for name in REPLACED:
        if f'"#/components/schemas/{name}"' not in text:
            schemas.pop(name, None)
    return result


BLANK = {"type": "string", "maxLength": 0}


def blank_or_format_is_any_of(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular offers a blank-allowed URL or e-mail field as ``oneOf: [the
    format, BLANK]``; "" matches both wherever the format is not asserted (JSON
    Schema's ``format`` is an annotation by default), so a validator refuses the
    empty value the API answers. ``anyOf`` says the same without that trap."""

    def mend(node: dict[str, Any]) -> None:
        options = node.get("oneOf")
        if isinstance(options, list) and BLANK in options:
            node["anyOf"] = node.pop("oneOf")

    _each_object(result, mend)
    return result


def _each_object(node: Any, mend: Callable[[dict[str, Any]], None]) -> None:
    """``mend`` every JSON object of the schema, outermost first."""
    if isinstance(node, dict):
        mend(node)
        for value in list(node.values()):
            _each_object(value, mend)
    elif isinstance(node, list):
        for value in node:
            _each_object(value, mend)


NULL_REF = {"$ref": "#/components/schemas/NullEnum"}


def nullable_reference_is_one_of(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular writes a nested record that may be missing as ``allOf: [the
    component], nullable: true``; OpenAPI 3.0.3 gives ``nullable`` effect only beside
    a ``type``, so that schema refuses the null the API answers. ``oneOf: [the
    component, NullEnum]`` says it (as references do, opf.core.rest.serializers)."""

    def mend(node: dict[str, Any]) -> None:
        options = node.get("allOf")
        if node.get("nullable") and "type" not in node and isinstance(options, list):
            node.pop("nullable")
            node["oneOf"] = [*node.pop("allOf"), NULL_REF]
            result["components"]["schemas"].setdefault("NullEnum", {"enum": [None]})

    _each_object(result, mend)
    return result


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


def doc_excludes() -> list[type]:
    """Classes whose docstrings are for us, not for clients: a component or an
    operation describes itself, never with a base class's notes
    (``SPECTACULAR_SETTINGS["GET_LIB_DOC_EXCLUDES"]``)."""
    from opf.core.rest.serializers import ObjectSerializer
    from opf.core.rest.viewsets import ApiViewMixin, ObjectViewSet, ReadOnlyObjectViewSet

    return [
        *get_lib_doc_excludes(),
        ObjectSerializer,
        ObjectViewSet,
        ReadOnlyObjectViewSet,
        ApiViewMixin,
    ]


# What each generic operation does, for the record it is about ({a}: "an improvement").
GENERIC_OPERATIONS = {
    "list": (
        "List {plural}",
        "The {plural} you may see, a page at a time; filter and order them with the "
        "parameters below (an unknown value or ordering is a 400). The answer carries "
        "an ETag: send it back in If-None-Match and an unchanged page is a 304.",
    ),
    "create": (
        "Create {a}",
        "Create {a} from the JSON body: unknown or read-only fields are refused (400, "
        "every field error at once, each with its code).",
    ),
    "retrieve": (
        "Read {a}",
        "One {name}, with its ETag: send it back in If-None-Match (304 while "
        "unchanged) or in If-Match when you change it.",
    ),
    "update": (
        "Replace {a}",
        "Write every editable field of the {name}. A stale If-Match (or version) is a "
        "412 with the record as it is now; a locked record is a 409.",
    ),
    "partial_update": (
        "Change {a}",
        "Write the fields of the {name} sent, the others stay. A stale If-Match (or version) is a "
        "412 with the record as it is now; a locked record is a 409.",
    ),
    "destroy": (
        "Delete {a}",
        "Delete the {name}; 409 when other records still use it or it is locked.",
    ),
    "history": ("History of {a}", "Who changed the {name}, what and when, newest first."),
}


def _article(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


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

    def _model_names(self) -> tuple[str, str] | None:
        queryset = getattr(self.view, "queryset", None)
        if queryset is None:
            return None
        opts = queryset.model._meta
        return str(opts.verbose_name), str(opts.verbose_name_plural)

    def get_summary(self) -> str | None:
        """A short name of its own for every operation ("Defer an improvement")."""
        names = self._model_names()
        action = str(getattr(self.view, "action", "") or "")
        if names is None or not action:  # a view of no one model: its operation id
            words = str(self.get_operation_id()).replace("_", " ")
            return f"{words[:1].upper()}{words[1:]}"
        name, plural = names
        generic = GENERIC_OPERATIONS.get(action)
        if generic is not None:
            return generic[0].format(a=_article(name), name=name, plural=plural)
        words = action.replace("_", " ")
        return f"{words[:1].upper()}{words[1:]} ({_article(name)})"

    def get_description(self) -> str:  # type: ignore[override]
        """The operation's own words: its method's docstring, else what the generic
        operation does for this record; the viewset's docstring (what holds for all
        of its operations) follows."""
        own = super().get_description()
        names = self._model_names()
        action = str(getattr(self.view, "action", "") or "")
        generic = GENERIC_OPERATIONS.get(action)
        view_doc = get_doc(self.view.__class__)
        inherited = action == "history"  # HistoryMixin's words, the same for every record
        if names is None or generic is None or (own and own != view_doc and not inherited):
            return own
        name, plural = names
        text = generic[1].format(a=_article(name), name=name, plural=plural)
        text = text[:1].upper() + text[1:]
        return f"{text}\n\n{view_doc}" if view_doc else text

    def _get_serializer_name(self, serializer: Any, direction: str, *args: Any) -> str:
        """A request serializer named ``…RequestSerializer`` is the component
        ``…Request``, not ``…RequestRequest``."""
        name = str(super()._get_serializer_name(serializer, direction, *args))
        return name.removesuffix("Request") if name.endswith("RequestRequest") else name

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """A versioned record's ``version`` is optional when written (the If-Match
        header may say it instead) but always answered: required in responses."""
        mapped = dict(super()._map_basic_serializer(serializer, direction))
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        required = list(mapped.get("required", []))
        answered = direction == "response" and "version" in mapped.get("properties", {})
        if answered and model is not None and is_versioned(model) and "version" not in required:
            mapped["required"] = [*required, "version"]
        return mapped

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
        responses["412"] = {"description": DESCRIPTIONS["412"]}  # a Problem (add_error_responses)
        for code in ("200", "201"):
            if code in responses:
                responses[code].setdefault("headers", {}).update(ETAG_HEADER)

    def _versioned(self) -> bool:
        queryset = getattr(self.view, "queryset", None)
        return queryset is not None and is_versioned(queryset.model)
