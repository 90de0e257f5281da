"""A select that renders its options in Python, and big choice sets loaded on demand.

Django renders each <option> through a template; a select of a few hundred
people then costs tens of milliseconds. Lists and forms swap their selects for
this one (same HTML, same behaviour).

A choice of records that may grow with the organization (people, projects,
audits, …) is marked by ``opf.core.ui.choices`` with ``OnDemandChoices``: when
the select is drawn, one query reads at most ``limit + 1`` rows. Up to ``limit``
rows the select lists them all, as before. Beyond, it lists only the blank choice
and the chosen values, carries ``data-search-url`` (``static/js/forms.js`` lets
the picker fetch the matching options as the person types) and, for a browser
without JavaScript, a ``<noscript>`` hint with a link that draws the page again
with every option (``?all_choices=1``). What is posted is checked against the
field's whole queryset either way."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


class OnDemandChoices(BaseChoiceIterator):
    """The choices of ``field`` (a ``ModelChoiceField``), read when drawn: all of them
    up to ``limit``, else only the chosen ones (see the module's docstring)."""

    def __init__(
        self, field: forms.ModelChoiceField, search_url: str, limit: int, all_url: str | None
    ) -> None:
        self.field = field
        self.search_url = search_url
        self.limit = limit
        self.all_url = all_url  # the same page with every option, or None

    def __iter__(self) -> Iterator[Any]:  # anything else reading the choices: all of them
        return iter(self.field.iterator(self.field))

    def __len__(self) -> int:
        return len(self.field.iterator(self.field))

    def __bool__(self) -> bool:
        return True

    @property
    def model_name(self) -> str:
        queryset = self.field.queryset
        return "" if queryset is None else str(queryset.model._meta.model_name)

    def _option(self, obj: Any) -> tuple[Any, str]:
        return self.field.prepare_value(obj), str(self.field.label_from_instance(obj))

    def resolve(self, chosen: list[str]) -> tuple[list[tuple[Any, str]], bool]:
        """(value, label) of the options to draw, and whether the set is too big to list."""
        field = self.field
        queryset = field.queryset
        blank: list[tuple[Any, str]] = []
        if field.empty_label is not None and not isinstance(field, forms.ModelMultipleChoiceField):
            blank.append(("", str(field.empty_label)))
        null_label = getattr(field, "null_label", None)
        if null_label is not None:
            blank.append((getattr(field, "null_value", "null"), str(null_label)))
        if queryset is None:
            return blank, False
        rows = list(queryset[: self.limit + 1])
        if len(rows) <= self.limit:
            return blank + [self._option(row) for row in rows], False
        key = getattr(field, "to_field_name", None) or "pk"
        wanted = {value for value in chosen if value not in ("", None)}
        found = [row for row in rows if str(getattr(row, key)) in wanted]
        missing = wanted - {str(getattr(row, key)) for row in found}
        if missing:
            # a value that is no key of this model is not drawn (nor valid)
            with contextlib.suppress(ValueError, TypeError, forms.ValidationError):
                found += list(queryset.filter(**{f"{key}__in": sorted(missing)}))
        return blank + [self._option(row) for row in found], True


class FastSelect(forms.Select):
    def use_required_attribute(self, initial: Any) -> bool:
        if not isinstance(self.choices, OnDemandChoices):
            return super().use_required_attribute(initial)
        # as Django's Select decides, without reading the options: is the first blank?
        if self.is_hidden or self.allow_multiple_selected:
            return not self.is_hidden
        return self.choices.field.empty_label is not None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if isinstance(self.choices, OnDemandChoices):
            return self._render_on_demand(self.choices, name, value, attrs)
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

    def _render_on_demand(
        self, source: OnDemandChoices, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> SafeString:
        chosen = [str(v) for v in self.format_value(value)]
        options, big = source.resolve(chosen)
        select_attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        if big:
            select_attrs["data-search-url"] = source.search_url
            select_attrs.setdefault("data-picker", source.model_name)
            empty = source.field.empty_label
            select_attrs.setdefault("data-placeholder", "" if empty is None else str(empty))
        html = format_html(
            "<select{}>{}</select>",
            flatatt(select_attrs),
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option, " selected" if str(option) in chosen else "", label)
                    for option, label in options
                ),
            ),
        )
        if not big:
            return html
        hint = _("This list is long: with JavaScript, type to search it.")
        if source.all_url is None:
            return format_html('{}<noscript><p class="help">{}</p></noscript>', html, hint)
        return format_html(
            '{}<noscript><p class="help">{} <a href="{}">{}</a></p></noscript>',
            html,
            hint,
            source.all_url,
            _("Show every choice"),
        )


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
