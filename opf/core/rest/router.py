"""The one API router; each app adds its endpoints in its ``api_urls`` module."""

from typing import Any

from django.db.models import Model
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from rest_framework.routers import DefaultRouter


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


# A whole number no real key is: reversed in its place, it marks where the key goes.
_KEY_MARK = 987654321987654321
# (basename, script prefix, URL resolver): the detail URL around the key, or None when
# it cannot be read that way (each URL then reversed in full).
_templates: dict[tuple[str, str, Any], tuple[str, str] | None] = {}


def _detail_template(basename: str) -> tuple[str, str] | None:
    """The detail URL of ``basename`` as (before the key, after it), reversed once."""
    key = (basename, get_script_prefix(), get_resolver(get_urlconf()))
    if key not in _templates:
        try:
            url = reverse(f"api:{basename}-detail", args=[_KEY_MARK])
        except NoReverseMatch:
            _templates[key] = None
        else:
            before, mark, after = url.partition(str(_KEY_MARK))
            _templates[key] = (before, after) if mark and str(_KEY_MARK) not in after else None
    return _templates[key]


def api_url_of(record: Model) -> str | None:
    """The record's URL in the API (None if its model has no endpoint).

    A list names hundreds of records (each row, each reference): a whole-number key
    is put into the endpoint's URL reversed once, the same text ``reverse`` gives."""
    basename = _basename_of(type(record))
    if basename is None:
        return None
    pk = record.pk
    template = _detail_template(basename) if type(pk) is int else None
    if template is not None:
        return f"{template[0]}{pk}{template[1]}"
    try:
        return reverse(f"api:{basename}-detail", args=[pk])
    except NoReverseMatch:
        return None
