"""The one API router; each app adds its endpoints in its ``api_urls`` module."""

from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()


_basenames: dict[type[Model], str] = {}
_joins: dict[type[Model], list[str]] = {}
_seen = 0


def _read_registry() -> None:
    """The basename and joins of the first endpoint serving each model (read once per
    registry)."""
    global _seen
    if _seen != len(router.registry):
        _basenames.clear()
        _joins.clear()
        for _prefix, viewset, basename in router.registry:
            queryset = getattr(viewset, "queryset", None)
            if queryset is not None and queryset.model not in _basenames:
                _basenames[queryset.model] = basename
                _joins[queryset.model] = _paths(queryset.query.select_related)
        _seen = len(router.registry)


def _paths(tree: Any, prefix: str = "") -> list[str]:
    if not isinstance(tree, dict):
        return []
    found = []
    for name, below in tree.items():
        path = f"{prefix}{name}"
        deeper = _paths(below, f"{path}__")
        found.extend(deeper or [path])
    return found


def _basename_of(model: type[Model]) -> str | None:
    _read_registry()
    return _basenames.get(model)


def joins_of(model: type[Model]) -> list[str]:
    """What the endpoint of ``model`` joins to its rows (``select_related``): what its
    name, read in a reference, needs without a query of its own."""
    _read_registry()
    return _joins.get(model, [])


def api_url_of(record: Model) -> str | None:
    """The record's URL in the API (None if its model has no endpoint)."""
    basename = _basename_of(type(record))
    if basename is None:
        return None
    try:
        return reverse(f"api:{basename}-detail", args=[record.pk])
    except NoReverseMatch:
        return None
