"""Base serializer: validation lives once, in the model (``full_clean``);
saves go through the same service as the pages."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from opf.services.objects import save_object

from .exceptions import validation_detail

JSON_TYPE_NAMES = {
    "text": _lazy("text"),
    "integer": _lazy("a whole number"),
    "number": _lazy("a number"),
    "boolean": _lazy("true or false"),
}


def _json_type(field: serializers.Field) -> str | None:
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return "integer"
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return "number"
    if isinstance(field, serializers.ChoiceField):
        return None  # choices say what they accept
    if isinstance(field, serializers.CharField | serializers.DateField | serializers.DateTimeField):
        return "text"
    return None


def _matches(value: Any, expected: str) -> bool:
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, int | float | str) and not isinstance(value, bool)
    return isinstance(value, str)


# C0 controls other than tab, newline and carriage return, and DEL: never text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ObjectSerializer(serializers.ModelSerializer):
    """Subclasses list ``[*ObjectSerializer.Meta.fields, *TheForm.Meta.fields]``:
    what a user may edit is declared once, on the form."""

    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()

    class Meta:
        fields = ["id", "url", "display"]

    def get_url(self, obj: Model) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    def get_display(self, obj: Model) -> str:
        return str(obj)

    def to_internal_value(self, data: Any) -> Any:
        if hasattr(data, "items"):
            bad = {
                name: [_("Remove the control characters from this text.")]
                for name, value in data.items()
                if isinstance(value, str) and CONTROL_CHARACTERS.search(value)
            }
            if self._is_json():
                bad.update(self._type_errors(data))
                bad.update(self._many_errors(data))
            if bad:
                raise serializers.ValidationError(bad)
        return super().to_internal_value(data)

    def _is_json(self) -> bool:
        request = self.context.get("request")
        return bool(request) and (request.content_type or "").startswith("application/json")

    def _many_errors(self, data: Any) -> dict[str, list[str]]:
        """Many-to-many fields take a JSON list of ids (DRF accepts any iterable, even ``{}``)."""
        return {
            name: [_("Expected a list of ids.")]
            for name, field in self.fields.items()
            if isinstance(field, serializers.ManyRelatedField)
            and not field.read_only
            and name in data
            and not isinstance(data[name], list)
        }

    def _type_errors(self, data: Any) -> dict[str, list[str]]:
        """JSON has types: a number where text belongs (or text for a number) is a
        client bug to report, not a value to coerce."""
        errors: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            if field.read_only or name not in data or data[name] is None:
                continue
            value = data[name]
            expected = _json_type(field)
            if expected is not None and not _matches(value, expected):
                errors[name] = [_("Must be %(type)s.") % {"type": JSON_TYPE_NAMES[expected]}]
        return errors

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            field = self.Meta.model._meta.get_field(name)
            if not field.many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(validation_detail(error)) from error
        return attrs

    def _save(self, instance: Model, validated_data: dict[str, Any]) -> Model:
        many = {}
        for name, value in validated_data.items():
            if self.Meta.model._meta.get_field(name).many_to_many:
                many[name] = value
            else:
                setattr(instance, name, value)
        save_object(instance, actor=self.context["request"].user)
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def create(self, validated_data: dict[str, Any]) -> Model:
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance: Model, validated_data: dict[str, Any]) -> Model:
        return self._save(instance, validated_data)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    when = serializers.DateTimeField()
    user = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField()
    changes = serializers.SerializerMethodField()

    def get_user(self, entry: Any) -> str | None:
        return entry.user.get_username() if entry.user else None

    def get_changes(self, entry: Any) -> list[dict[str, Any]]:
        return [
            {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in entry.changes
        ]


def _plain(value: Any) -> Any:
    return (
        value
        if value is None or isinstance(value, bool | int | float | str | list | dict)
        else str(value)
    )
