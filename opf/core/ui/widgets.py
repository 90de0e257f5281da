"""A select that renders its options in Python.

Django renders each <option> through a template; a select of a few hundred
people then costs tens of milliseconds. Lists and forms swap their selects for
this one (same HTML, same behaviour)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class FastSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        select_attrs = {**widget["attrs"], "name": widget["name"]}
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option["value"] is None else option["value"],
                    " selected" if option["selected"] else "",
                    option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(select_attrs), options)


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True


def speed_up_selects(fields: dict[str, forms.Field]) -> None:
    """Swap Django's template-rendered selects for ``FastSelect`` in a form's fields."""
    for field in fields.values():
        widget = field.widget
        if type(widget) in (forms.Select, forms.NullBooleanSelect):
            fast: forms.Select = FastSelect(attrs=widget.attrs, choices=widget.choices)
        elif type(widget) is forms.SelectMultiple:
            fast = FastSelectMultiple(attrs=widget.attrs, choices=widget.choices)
        else:
            continue
        fast.is_required = widget.is_required
        field.widget = fast
