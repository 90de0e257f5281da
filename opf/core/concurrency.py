"""Optimistic concurrency in pages and the API: two people editing one record
cannot overwrite each other.

Every program record is versioned: ``opf.core.models.DomainModel`` derives from
``opf.core.versioning.VersionedModel`` (a ``version`` integer that every write
bumps; tests/gates/test_versioned.py checks every edit door). Whoever writes
says which version they read:

- pages send it back in a hidden field (``ObjectForm`` adds it; plain forms use
  ``VersionedFormMixin``); a stale form is refused with a message showing the
  record's current values;
- the API sends an ETag (``"<pk>-<version>"``) on reads and honours
  ``If-Match`` (or a ``version`` field in the body) on writes: a stale write
  gets 412 Precondition Failed (``opf.core.rest.viewsets.ObjectViewSet``).

The check and the write happen in one transaction, after locking the row with
``select_for_update`` (``opf.core.versioning.guard_write`` inside ``save_object``),
so two writers holding the same version cannot both pass the check (NetBox
does the same for its ETags).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import Model
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from opf.core.display import display_value, model_field
from opf.core.services import save_object
from opf.core.versioning import (  # noqa: F401  (re-exported: models and services import them here)
    LockableMixin,
    StaleVersion,
    VersionedModel,
    conflict_message,
    is_versioned,
    locked_current,
)

if TYPE_CHECKING:
    from opf.core.accounts import User

    _FormBase = forms.BaseForm  # what VersionCheckMixin is mixed into
else:
    _FormBase = object

M = TypeVar("M", bound=Model)


def current_values(obj: Model, names: list[str] | tuple[str, ...]) -> list[tuple[str, Any]]:
    """(label, value as shown on pages) of ``names``: what the other writer saved."""
    rows = []
    for name in names:
        field = model_field(obj, name)
        if field.many_to_many:
            value: Any = ", ".join(str(o) for o in getattr(obj, name).all()) or "—"
        else:
            value, _url = display_value(obj, name)
        rows.append((str(field.verbose_name), value))
    return rows


def save_versioned(instance: M, *, actor: User, expected: int | None, reason: str = "") -> M:
    """``save_object`` with the version the writer read."""
    return save_object(instance, actor=actor, reason=reason, expected_version=expected)


# --- pages -------------------------------------------------------------------


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class VersionCheckMixin(_FormBase):
    """Form behaviour for a hidden ``version`` field carrying the version the
    form was opened at (``ObjectForm`` adds the field itself for versioned models).

    Views pass ``form.expected_version`` to ``save_object``; on ``StaleVersion``
    they call ``form.add_conflict(error.current)``, which adds the message,
    lists the current values and moves the hidden field to the current
    version, so submitting again (after review) is a deliberate choice.
    """

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    data: Any

    def init_version(self) -> None:
        instance = getattr(self, "instance", None)
        if "version" in self.fields and instance is not None and instance.pk is not None:
            self.initial.setdefault("version", instance.version)
        self.conflict: list[tuple[str, Any]] = []

    @property
    def expected_version(self) -> int | None:
        if "version" not in self.fields or not hasattr(self, "cleaned_data"):
            return None
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None

    def conflict_fields(self, current: Model) -> list[str]:
        """The model fields whose current values the conflict message shows."""
        return [n for n in self.fields if n != "version" and _is_field(current, n)]

    def add_conflict(self, current: VersionedModel) -> None:
        names = self.conflict_fields(current)
        self.conflict = current_values(current, names)
        shown = "; ".join(f"{label}: {value}" for label, value in self.conflict)
        message = conflict_message(current)
        if shown:
            message = f"{message} {_('Current values')}: {shown}."
        self.add_error(None, message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)
        self.data = data


class VersionedFormMixin(VersionCheckMixin, forms.Form):
    """A plain (non-model) form that edits a versioned record."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_version()


def _is_field(obj: Model, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except Exception:
        return False
    return True


# --- API ---------------------------------------------------------------------


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
        raise serializers.ValidationError({"version": [_("A whole number.")]}) from error


def precondition_failed(error: StaleVersion, serializer: Any) -> PreconditionFailed:
    failure = PreconditionFailed({"detail": str(error), "current": serializer(error.current).data})
    return failure
