"""URLs by naming convention: ``<app>:<model>_<view>`` (``opf.core.ui.views.ObjectViews``)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django.db import models
from django.urls import reverse


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
        return reverse(self.url_name("detail"), args=[self.pk])
