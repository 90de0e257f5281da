"""The initiatives list's filters (pages and API)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opf.core.ui.filters import SearchFilterSet
from opf.initiatives.models import Initiative
from opf.organization.models import OrgUnit


class InitiativeFilterSet(SearchFilterSet):
    search_fields = ("name", "description", "outcome")
    within = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_within", label=_("Org unit (and below)")
    )

    class Meta:
        model = Initiative
        fields = ["q", "state", "method", "within", "owner", "sponsor"]

    def filter_within(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(owning_unit__path__startswith=value.path)
