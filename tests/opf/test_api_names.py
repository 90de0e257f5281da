"""A list's references (``<field>_ref``) and its rows' ``display`` name records with
what ``NAME_JOINS`` loads beside them (``opf.core.rest.serializers.with_references``):
a name that reads a relation not declared there costs a query per row. Checked for
every model the API names, on a stand-in record (no data needed)."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

import opf.urls  # noqa: F401  (registers every app's endpoints)
from opf.core.rest.router import api_url_of, router
from opf.core.rest.serializers import (
    ObjectSerializer,
    absolute_uri,
    name_joins,
    reference_sources,
)

pytestmark = pytest.mark.django_db


def named_models() -> list[type[models.Model]]:
    """Every model whose records the API names: its endpoints' rows and what their
    references point to."""
    found: set[type[models.Model]] = set()
    for _prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        serializer = getattr(viewset, "serializer_class", None)
        if queryset is None or not (
            isinstance(serializer, type) and issubclass(serializer, ObjectSerializer)
        ):
            continue
        found.add(queryset.model)
        for source in reference_sources(serializer):
            try:
                field = queryset.model._meta.get_field(source)
            except FieldDoesNotExist:
                continue
            if field.concrete and field.related_model is not None:
                found.add(field.related_model)
    return sorted(found, key=lambda model: model._meta.label)


def sample(field: models.Field) -> Any:
    if field.choices:
        return next(iter(field.flatchoices))[0]
    if isinstance(field, models.DateTimeField):
        return datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    if isinstance(field, models.DateField):
        return date(2026, 3, 4)
    if isinstance(field, models.DecimalField):
        return Decimal("1.5")
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return "name"
    return field.get_default()


def stand_in(model: type[models.Model], joins: tuple[str, ...]) -> models.Model:
    """A record of ``model`` in memory: every column set, every foreign key pointing
    to a record not loaded (reading it would query) except the ``joins``, loaded."""
    record = model()
    for field in model._meta.concrete_fields:
        if field.primary_key:
            record.pk = 1
        elif field.is_relation:
            setattr(record, field.attname, 999_999)
        else:
            setattr(record, field.attname, sample(field))
    deeper: dict[str, list[str]] = defaultdict(list)
    for path in joins:
        head, _, rest = path.partition("__")
        deeper[head].extend([rest] if rest else [])
    for head, rest in deeper.items():
        field = model._meta.get_field(head)
        assert field.related_model is not None, f"{model._meta.label}.{head}: not a relation"
        field.set_cached_value(record, stand_in(field.related_model, tuple(rest)))  # type: ignore[union-attr]
    return record


@pytest.mark.parametrize("model", named_models(), ids=lambda model: model._meta.label)
def test_a_records_name_reads_only_what_name_joins_loads(model):
    record = stand_in(model, name_joins(model))
    # a relation read that was not loaded raises DoesNotExist: the query says which
    with CaptureQueriesContext(connection) as ctx, contextlib.suppress(ObjectDoesNotExist):
        str(record)
    assert not ctx.captured_queries, (
        f"str() of a {model._meta.label} reads a relation its NAME_JOINS does not name "
        f"({name_joins(model)}): {ctx.captured_queries[0]['sql'][:300]}"
    )


def test_api_urls_read_as_reversed(rf):
    """``api_url_of`` and ``absolute_uri`` give what ``reverse`` and
    ``build_absolute_uri`` give, also under a script prefix."""
    from django.urls import reverse, set_script_prefix

    from opf.core.accounts import User

    user = User(pk=42)
    request = rf.get("/api/v1/users/", secure=True)
    for prefix in ("/", "/opf/"):
        set_script_prefix(prefix)
        try:
            url = api_url_of(user)
            assert url == reverse("api:user-detail", args=[42]) == f"{prefix}api/v1/users/42/"
            assert absolute_uri(request, url) == request.build_absolute_uri(url)
        finally:
            set_script_prefix("/")
    for odd in ("/a b/", "/é/", "//x/", "/a/../b/", "relative/", "/q/?x=1#f"):
        assert absolute_uri(request, odd) == request.build_absolute_uri(odd)
