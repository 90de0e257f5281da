from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from appraisals.models import Appraisal, ProcessNeed
from opf.models import ProcessArea
from opf.ui.filters import SearchFilterSet

from .models import Improvement, PrioritizationCriterion


class PrioritizationCriterionFilterSet(SearchFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = PrioritizationCriterion
        fields = ["q", "active", "higher_is_better"]


class ImprovementFilterSet(SearchFilterSet):
    """Relation filters use subqueries so the priority sum is never multiplied by joins."""

    search_fields = ("title", "description")
    process_area = django_filters.ModelChoiceFilter(
        queryset=ProcessArea.objects.all(), method="filter_area", label=_("Process area")
    )
    appraisal = django_filters.ModelChoiceFilter(
        queryset=Appraisal.objects.all(), method="filter_appraisal", label=_("From appraisal")
    )
    need = django_filters.ModelChoiceFilter(
        queryset=ProcessNeed.objects.all(), method="filter_need", label=_("From need")
    )

    class Meta:
        model = Improvement
        fields = ["q", "state", "process_area", "appraisal", "need", "owner"]

    def filter_area(self, queryset: QuerySet, name: str, value: ProcessArea) -> QuerySet:
        through = Improvement.process_areas.through.objects.filter(processarea=value)
        return queryset.filter(pk__in=through.values("improvement_id"))

    def filter_appraisal(self, queryset: QuerySet, name: str, value: Appraisal) -> QuerySet:
        through = Improvement.findings.through.objects.filter(finding__appraisal=value)
        return queryset.filter(pk__in=through.values("improvement_id"))

    def filter_need(self, queryset: QuerySet, name: str, value: ProcessNeed) -> QuerySet:
        through = Improvement.needs.through.objects.filter(processneed=value)
        return queryset.filter(pk__in=through.values("improvement_id"))
