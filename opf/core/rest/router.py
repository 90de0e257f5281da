"""The one API router; each app adds its endpoints in its ``api_urls`` module."""

from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()


def api_url_of(record: Model) -> str | None:
    """The record's URL in the API (None if its model has no endpoint)."""
    for _prefix, viewset, basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None and queryset.model is type(record):
            try:
                return reverse(f"api:{basename}-detail", args=[record.pk])
            except NoReverseMatch:
                return None
    return None
