"""The API's filter backend: the same FilterSet as the list page, read strictly.

A page's filter form sends empty fields for "no filter"; an API client that
sends ``?phase=`` or ``?active=maybe`` or a parameter twice more likely has a
bug, so the API answers 400 with the parameter named instead of guessing. A
free-text parameter (``q``, a tag) longer than ``OPF_MAX_SEARCH_LENGTH`` is
refused the same way, whatever the FilterSet, before any query; so is an
``ordering`` the endpoint does not offer.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from opf.core.limits import max_search_length, search_too_long

INTEGER = re.compile(r"^-?\d+$")
BOOLEANS = {"true", "false"}
ALWAYS = ("page", "page_size", "ordering")


class StrictFilterBackend(DjangoFilterBackend):
    # DRF passes its Request (query_params), where django-filter's stub says HttpRequest.
    def filter_queryset(  # type: ignore[override]
        self, request: Request, queryset: QuerySet, view: Any
    ) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        declared = filterset_class.base_filters if filterset_class else {}
        errors: dict[str, list[str]] = {}
        for name, values in request.query_params.lists():
            if name not in declared and name not in ALWAYS:
                continue
            problem = self._problem(declared.get(name), values)
            if problem:
                errors[name] = [problem]
        if errors:
            raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def _problem(spec: Any, values: list[str]) -> str | None:
        if len(values) > 1:
            return _("Give this parameter once.")
        value = values[0].strip()
        if value == "":
            return _("Leave the parameter out instead of sending it empty.")
        if isinstance(spec, django_filters.CharFilter) and len(value) > max_search_length():
            return search_too_long(len(value))
        if isinstance(spec, django_filters.BooleanFilter) and value.lower() not in BOOLEANS:
            return _("Use true or false.")
        if isinstance(spec, django_filters.NumberFilter | django_filters.ModelChoiceFilter):
            if not INTEGER.match(value) and isinstance(spec, django_filters.ModelChoiceFilter):
                return _("Give the id (a whole number).")
            if isinstance(spec, django_filters.NumberFilter) and not INTEGER.match(value):
                return _("Give a whole number.")
        return None


class StrictOrderingFilter(OrderingFilter):
    """``ordering`` names fields the endpoint sorts by (``-`` for descending), comma
    separated; an unknown one is a 400 naming the ones it offers, not silently dropped."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw:
            offered = [name for name, _label in self.get_valid_fields(queryset, view, {})]
            unknown = [
                term.strip() for term in raw.split(",") if term.strip().lstrip("-") not in offered
            ]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Unknown: %(unknown)s. Sort by one of: %(offered)s.")
                            % {"unknown": ", ".join(unknown), "offered": ", ".join(offered)}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)
