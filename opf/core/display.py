"""How a field's value reads on a page (choices by label, relations linked)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Field, Model
from django.utils.translation import gettext as _


def model_field(model: type[Model] | Model, name: str) -> Field[Any, Any]:
    """The model field called ``name``; not a reverse relation or a generic key."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{name} is not a field of {model._meta.label}")
    return field


@dataclass
class FieldValue:
    name: str
    label: str
    value: Any
    url: str | None = None
    inline: bool = False


def display_value(obj: Model, name: str) -> tuple[Any, str | None]:
    field = model_field(obj, name)
    if field.is_relation and field.many_to_one:
        related = getattr(obj, name)
        if related is None:
            return "—", None
        url = related.get_absolute_url() if hasattr(related, "get_absolute_url") else None
        return related, url
    value = getattr(obj, name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")(), None
    if isinstance(value, bool):
        return (_("Yes") if value else _("No")), None
    if value in (None, ""):
        return "—", None
    return value, None


def field_values(
    obj: Model, inline_fields: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
) -> list[FieldValue]:
    values = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in exclude:
            continue
        if field.name in ("password", "path"):
            continue
        value, url = display_value(obj, field.name)
        values.append(
            FieldValue(field.name, str(field.verbose_name), value, url, field.name in inline_fields)
        )
    return values
