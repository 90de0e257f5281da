"""Bulk writes for integrations: a list of items, each written through the same
serializer or service as one write, in one transaction, all or nothing.

Each item runs in its own savepoint, so every item's problems are found in one
pass; if any item fails, the whole transaction is rolled back and nothing is
saved. The answer lists each failure with the ``index`` of its item (and a
``pointer`` into the body, ``/<index>/<field>``):

- an item the caller may not write (403 for that item): the answer is 403 and
  lists only those items, so who may not act learns nothing about the data;
- otherwise a 400 listing every item's errors: field errors (``required``,
  ``unknown_field``, ...), a refused step (``refused``), a stale version
  (``stale``), an unknown record (``does_not_exist``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, serializers
from rest_framework.exceptions import APIException, ErrorDetail

from opf.core.rest.exceptions import NON_FIELD, Invalid, as_api_exception, field_errors

MAX_BULK_ITEMS = 500
M = TypeVar("M", bound=Model)


class ItemsForbidden(exceptions.PermissionDenied):
    """403 for a bulk write: the items the caller may not write, by index."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(_("You are not allowed to write some of the items: nothing was saved."))
        self.errors = errors


NOT_A_LIST = _lazy("Send a JSON array of items (at most %(max)d).")


def not_found(message: str) -> serializers.ValidationError:
    """An item naming a record that does not exist or that the caller cannot see."""
    return serializers.ValidationError({"id": [ErrorDetail(message, code="does_not_exist")]})


def _item_errors(index: int, error: APIException) -> list[dict[str, Any]]:
    """``error`` raised by item ``index``, as problem ``errors`` entries."""
    if isinstance(error, serializers.ValidationError):
        found = list(field_errors(error.detail))
    else:
        detail = error.detail
        message = detail.get("detail", error.default_detail) if isinstance(detail, dict) else detail
        code = detail.get("code") if isinstance(detail, dict) else getattr(detail, "code", None)
        found = [
            {
                "field": NON_FIELD,
                "pointer": "",
                "code": str(code or error.default_code),
                "detail": str(message),
            }
        ]
    for entry in found:
        entry["index"] = index
        if "pointer" in entry:
            entry["pointer"] = f"/{index}{entry['pointer']}"
    return found


def write_all(items: Any, write: Callable[[int, dict[str, Any]], M]) -> list[M]:
    """Run ``write(index, item)`` for every item of ``items`` (a list of objects) in
    one transaction; all are saved or none (``ItemsForbidden`` or ``Invalid``)."""
    if not isinstance(items, list) or not items or len(items) > MAX_BULK_ITEMS:
        message = str(NOT_A_LIST) % {"max": MAX_BULK_ITEMS}
        raise serializers.ValidationError({NON_FIELD: [ErrorDetail(message, code="invalid")]})
    saved: list[M] = []
    refused: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    with transaction.atomic():
        for index, item in enumerate(items):
            try:
                with transaction.atomic():  # a savepoint: the next item starts clean
                    if not isinstance(item, dict):
                        message = _("Each item is a JSON object.")
                        raise serializers.ValidationError(
                            {NON_FIELD: [ErrorDetail(message, code="invalid")]}
                        )
                    saved.append(write(index, item))
            except Exception as raised:
                error = as_api_exception(raised, {})
                if not isinstance(error, APIException):
                    raise
                if isinstance(error, exceptions.PermissionDenied | exceptions.NotAuthenticated):
                    refused += _item_errors(index, error)
                else:
                    errors += _item_errors(index, error)
        if refused or errors:
            transaction.set_rollback(True)
    if refused:
        raise ItemsForbidden(refused)
    if errors:
        failing = len({e["index"] for e in errors})
        detail = _("Nothing was saved: %(count)d of %(total)d item(s) have problems.") % {
            "count": failing,
            "total": len(items),
        }
        raise Invalid(detail, errors)
    return saved
