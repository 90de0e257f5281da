"""Optimistic concurrency: two people editing one record cannot overwrite each other.

A model opts in with ``VersionedModel`` (a ``version`` integer that every write
bumps). Whoever writes says which version they read:

- pages send it back in a hidden field (``VersionedFormMixin``); a stale form is
  refused with a message showing the record's current values;
- the API sends an ETag (``"<pk>-<version>"``) on reads and honours
  ``If-Match`` (or a ``version`` field in the body) on writes: a stale write
  gets 412 Precondition Failed (``VersionedViewSetMixin``).

The check and the write happen in one transaction, after locking the row with
``select_for_update`` (``locked_current``), so two writers holding the same
version cannot both pass the check (NetBox does the same for its ETags).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django import forms
from django.db import models, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from opf.services.objects import delete_object, save_object
from opf.ui.display import display_value

M = TypeVar("M", bound=Model)


class VersionedModel(models.Model):
    """Adds ``version``: 1 on create, +1 on every write through this module."""

    version = models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Bumped by every change."
    )

    class Meta:
        abstract = True


class StaleVersion(Exception):
    """The writer read ``expected``; the record is now at ``current.version``."""

    def __init__(self, current: Model, expected: int) -> None:
        self.current = current
        self.expected = expected
        super().__init__(conflict_message(current))


def conflict_message(current: Model) -> str:
    return _(
        "Someone else changed this record while you were editing it (it is now at "
        "version %(version)s). Nothing was saved: review its current values and "
        "submit again."
    ) % {"version": current.version}  # type: ignore[attr-defined]


def current_values(obj: Model, names: list[str] | tuple[str, ...]) -> list[tuple[str, Any]]:
    """(label, value as shown on pages) of ``names``: what the other writer saved."""
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value: Any = ", ".join(str(o) for o in getattr(obj, name).all()) or "—"
        else:
            value, _url = display_value(obj, name)
        rows.append((str(field.verbose_name), value))
    return rows


def locked_current(instance: M, expected: int | None) -> M:
    """Lock ``instance``'s row (inside the caller's transaction) and return the
    stored record; raise ``StaleVersion`` if it moved past ``expected``.

    ``expected=None`` means the writer did not say (an API client without
    If-Match): the row is still locked, the write still bumps the version.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_current must run inside transaction.atomic")
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected is not None and current.version != expected:  # type: ignore[attr-defined]
        raise StaleVersion(current, expected)
    return current


@transaction.atomic
def save_versioned(instance: M, *, actor: Any, expected: int | None, reason: str = "") -> M:
    """``save_object`` with the version check; creates need no check."""
    if instance.pk is None:
        instance.version = 1  # type: ignore[attr-defined]
        return save_object(instance, actor=actor, reason=reason)
    current = locked_current(instance, expected)
    instance.version = current.version + 1  # type: ignore[attr-defined]
    return save_object(instance, actor=actor, reason=reason)


# --- pages -------------------------------------------------------------------


class VersionedFormMixin(forms.Form):
    """A hidden ``version`` field carrying the version the form was opened at.

    Views call ``save_versioned(..., expected=form.expected_version)``; on
    ``StaleVersion`` they call ``form.add_conflict(error.current)``, which adds
    the message, lists the current values and moves the hidden field to the
    current version, so submitting again (after review) is a deliberate choice.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.initial.setdefault("version", instance.version)
        self.conflict: list[tuple[str, Any]] = []

    @property
    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        return int(value) if value is not None else None

    def conflict_fields(self, current: Model) -> list[str]:
        """The model fields whose current values the conflict message shows."""
        return [n for n in self.fields if n != "version" and _is_field(current, n)]

    def add_conflict(self, current: Model) -> None:
        names = self.conflict_fields(current)
        self.conflict = current_values(current, names)
        shown = "; ".join(f"{label}: {value}" for label, value in self.conflict)
        message = conflict_message(current)
        if shown:
            message = f"{message} {_('Current values')}: {shown}."
        self.add_error(None, message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)  # type: ignore[attr-defined]
        self.data = data


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


def etag_for(obj: Model) -> str:
    return f'"{obj.pk}-{obj.version}"'  # type: ignore[attr-defined]


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
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as error:
        raise serializers.ValidationError({"version": [_("A whole number.")]}) from error


def precondition_failed(error: StaleVersion, serializer: Any) -> PreconditionFailed:
    failure = PreconditionFailed(
        {"detail": str(error), "current": serializer(error.current).data}  # type: ignore[arg-type]
    )
    return failure


class VersionedSerializerMixin(serializers.Serializer):
    """``version`` reads as the current version; written, it is the version the
    client read (checked by the viewset, never stored as given)."""

    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The version you read; a stale one gets 412."
    )

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["version"] = instance.version
        return data

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.pop("version", None)
        return super().validate(attrs)


class VersionedViewSetMixin:
    """ETag on reads; If-Match / ``version`` checked under a row lock on writes.

    Use with a serializer that has ``VersionedSerializerMixin`` and saves via
    ``save_object`` (``ObjectSerializer``): the check and the save share the
    transaction opened here.
    """

    request: Request

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        response["ETag"] = etag_for(self.get_object())  # type: ignore[attr-defined]
        return response

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        expected = expected_from_request(self.request, instance)
        with transaction.atomic():
            try:
                current = locked_current(instance, expected)
            except StaleVersion as error:
                raise precondition_failed(error, type(serializer)) from error
            instance.version = current.version + 1
            serializer.save()

    def perform_destroy(self, instance: Any) -> None:
        expected = expected_from_request(self.request, instance)
        with transaction.atomic():
            try:
                locked_current(instance, expected)
            except StaleVersion as error:
                raise precondition_failed(error, self.get_serializer_class()) from error  # type: ignore[attr-defined]
            delete_object(instance, actor=self.request.user)

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        data = getattr(response, "data", None)
        if (
            request.method in ("PUT", "PATCH")
            and response.status_code == 200
            and isinstance(data, dict)
            and "version" in data
            and "id" in data
        ):
            response["ETag"] = f'"{data["id"]}-{data["version"]}"'
        return response
