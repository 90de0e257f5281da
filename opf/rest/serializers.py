"""Base serializer: validation lives once, in the model (``full_clean``);
saves go through the same service as the pages."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from rest_framework import serializers

from opf.services.objects import save_object

from .exceptions import validation_detail

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
            if bad:
                raise serializers.ValidationError(bad)
        return super().to_internal_value(data)

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
