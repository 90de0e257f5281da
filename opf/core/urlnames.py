"""URLs by naming convention: ``<app>:<model>_<view>`` (``opf.core.ui.views.ObjectViews``)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django.db import models
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse

# A whole number no real key is: reversed in a key's place, it marks where keys go.
_KEY_MARK = 987654321987654321
# (URL name, script prefix, URL resolver): the URL around the key, or None when it
# cannot be read that way (each URL then reversed in full).
_templates: dict[tuple[str, str, Any], tuple[str, str] | None] = {}


def reverse_key(name: str, key: Any) -> str:
    """``reverse(name, args=[key])``, the same text. A list names hundreds of records
    (each row's page and API URL, each reference's): for a whole-number key, the URL
    is reversed once per name and the key put in its place."""
    if type(key) is not int or key <= 0:
        return reverse(name, args=[key])
    found = (name, get_script_prefix(), get_resolver(get_urlconf()))
    if found not in _templates:
        try:
            url = reverse(name, args=[_KEY_MARK])
        except NoReverseMatch:
            _templates[found] = None
        else:
            before, mark, after = url.partition(str(_KEY_MARK))
            _templates[found] = (before, after) if mark and str(_KEY_MARK) not in after else None
    template = _templates[found]
    if template is None:
        return reverse(name, args=[key])
    return f"{template[0]}{key}{template[1]}"


@runtime_checkable
class HasPage(Protocol):
    def get_absolute_url(self) -> str: ...


def absolute_url(obj: models.Model) -> str:
    """The URL of the record's own page (``get_absolute_url``)."""
    if not isinstance(obj, HasPage):
        raise TypeError(f"A {obj._meta.label} has no page of its own.")
    return obj.get_absolute_url()


def model_name(model: type[models.Model] | models.Model) -> str:
    """``_meta.model_name``, which every installed model has (the stubs allow None)."""
    name = model._meta.model_name
    if name is None:
        raise TypeError(f"{model} is not an installed model.")
    return name


class UrlNamesMixin:
    """URL names follow ``<app>:<model>_<view>`` (see ``opf.core.ui.views.ObjectViews``)."""

    _meta: Any
    pk: Any

    @classmethod
    def url_name(cls, view: str) -> str:
        return f"{cls._meta.app_label}:{cls._meta.model_name}_{view}"

    def get_absolute_url(self) -> str:
        return reverse_key(self.url_name("detail"), self.pk)
