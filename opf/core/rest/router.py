"""The one API router; each app adds its endpoints in its ``api_urls`` module."""

from django.db.models import Model
from django.urls import NoReverseMatch
from rest_framework.routers import DefaultRouter

from opf.core.urlnames import reverse_key


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()


_basenames: dict[type[Model], str] = {}
_seen = 0


def _read_registry() -> None:
    """The basename of the first endpoint serving each model (read once per registry)."""
    global _seen
    if _seen != len(router.registry):
        _basenames.clear()
        for _prefix, viewset, basename in router.registry:
            queryset = getattr(viewset, "queryset", None)
            if queryset is not None and queryset.model not in _basenames:
                _basenames[queryset.model] = basename
        _seen = len(router.registry)


def _basename_of(model: type[Model]) -> str | None:
    _read_registry()
    return _basenames.get(model)


def api_url_of(record: Model) -> str | None:
    """The record's URL in the API (None if its model has no endpoint)."""
    basename = _basename_of(type(record))
    if basename is None:
        return None
    try:
        return reverse_key(f"api:{basename}-detail", record.pk)
    except NoReverseMatch:
        return None
