"""How a field's value reads on a page (choices by label, relations linked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Field, Model
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def model_field(model: type[Model] | Model, name: str) -> Field[Any, Any]:
    """The model field called ``name``; not a reverse relation or a generic key."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{name} is not a field of {model._meta.label}")
    return field


def format_date(value: date | datetime | None) -> str:
    """A date (or a date-time) the one way pages write it in the user's language:
    ``DATE_FORMAT`` / ``DATETIME_FORMAT`` of ``opf/formats`` ("15 Dec 2026",
    "15 Dec 2026, 14:05"), date-times in the current time zone; "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


# A state's tone: the same badge colour for the same meaning on every page and list.
DONE_STATES = {
    "approved", "completed", "released", "verified", "accepted", "published", "closed",
    "in_use", "met", "adopted", "done", "kept", "implemented", "satisfied", "active",
    "findings_delivered", "agreed", "resolved", "answered",
}  # fmt: skip
STOPPED_STATES = {
    "cancelled", "rejected", "abandoned", "broken", "blocked", "waived", "retired",
    "superseded", "deferred", "not_met", "overdue", "open", "in_correction",
}  # fmt: skip
MOVING_STATES = {
    "in_progress", "in_review", "scheduled", "training", "planning", "doing", "piloting",
    "submitted", "in_action", "selected", "proposed", "revised",
}  # fmt: skip


def in_sentence(label: Any) -> str:
    """A state's label inside a sentence: "the record is in review", not "In review"."""
    text = str(label)
    return text[:1].lower() + text[1:]


def state_tone(value: str) -> str:
    if value in DONE_STATES:
        return "ok"
    if value in STOPPED_STATES:
        return "bad" if value in {"cancelled", "rejected", "abandoned", "broken"} else "warn"
    if value in MOVING_STATES:
        return "active"
    return "neutral"


def state_badge(value: str, label: Any) -> SafeString:
    """A state as one badge everywhere: lists (``StateColumn``) and record pages."""
    return format_html(
        '<span class="badge state tone-{}" data-state="{}">{}</span>',
        state_tone(value),
        value,
        label,
    )


STATE_FIELDS = ("state", "status")


@dataclass
class FieldValue:
    name: str
    label: str
    value: Any
    url: str | None = None
    inline: bool = False


def display_value(obj: Model, name: str, *, badge: bool = False) -> tuple[Any, str | None]:
    """The value as a page shows it, and its link; ``badge``: a state as its badge."""
    field = model_field(obj, name)
    if field.is_relation and field.many_to_one:
        related = getattr(obj, name)
        if related is None:
            return "—", None
        url = related.get_absolute_url() if hasattr(related, "get_absolute_url") else None
        return related, url
    value = getattr(obj, name)
    if field.choices:
        label = getattr(obj, f"get_{name}_display")()
        if badge and name in STATE_FIELDS and value:
            return state_badge(str(value), label), None
        return label, None
    if isinstance(value, date):
        return format_date(value), None
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
        value, url = display_value(obj, field.name, badge=True)
        values.append(
            FieldValue(field.name, str(field.verbose_name), value, url, field.name in inline_fields)
        )
    return values
