"""Base FilterSet: one per model serves its list page and its API endpoint."""

from __future__ import annotations

from typing import ClassVar

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opf.core.ui.widgets import speed_up_selects


class SearchFilterSet(django_filters.FilterSet):
    """Adds ``q``: a case-insensitive search over ``search_fields``."""

    search_fields: ClassVar[tuple[str, ...]] = ()

    q = django_filters.CharFilter(method="search", label=_("Search"))

    _fast_selects = False  # the form (built once, on first use) has FastSelects

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not self._fast_selects:
            speed_up_selects(form.fields)
            self._fast_selects = True
        return form

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)
