from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    GoalRating,
    LeadAppraiserQualification,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
    Recommendation,
)
from opf.core.ui.filters import FilterSet, SearchFilterSet, WaitingFilterSet
from opf.organization.models import OrgUnit
from opf.reference.models import ProcessArea


class ProcessNeedFilterSet(SearchFilterSet):
    search_fields = ("statement", "source", "measure")

    class Meta:
        model = ProcessNeed
        fields = ["q", "kind", "priority", "state", "owner"]


class AppraisalFilterSet(SearchFilterSet):
    search_fields = ("title", "resources", "logistics")
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_org_unit", label=_("Org unit in scope")
    )
    process_area = django_filters.ModelChoiceFilter(
        queryset=ProcessArea.objects.all(), method="filter_area", label=_("Process area in scope")
    )

    class Meta:
        model = Appraisal
        fields = ["q", "method", "state", "reference_model", "org_unit", "process_area"]

    def filter_org_unit(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(
            pk__in=Appraisal.org_units.through.objects.filter(orgunit=value).values("appraisal_id")
        )

    def filter_area(self, queryset: QuerySet, name: str, value: ProcessArea) -> QuerySet:
        return queryset.filter(
            pk__in=Appraisal.process_areas.through.objects.filter(processarea=value).values(
                "appraisal_id"
            )
        )


class FindingFilterSet(SearchFilterSet):
    search_fields = ("statement", "evidence")

    class Meta:
        model = Finding
        fields = ["q", "appraisal", "process_area", "kind", "severity", "org_unit", "project"]


class EvidenceFilterSet(SearchFilterSet):
    search_fields = ("title", "note", "link")

    class Meta:
        model = Evidence
        fields = ["q", "appraisal", "kind", "org_unit", "project"]


class CharacterizationFilterSet(FilterSet):
    process_area = django_filters.ModelChoiceFilter(
        field_name="practice__process_area",
        queryset=ProcessArea.objects.all(),
        label=_("Process area"),
    )

    class Meta:
        model = Characterization
        fields = ["appraisal", "process_area", "practice", "org_unit", "project", "value"]


class RatingFilterSet(WaitingFilterSet):
    class Meta:
        model = Rating
        fields = ["appraisal", "process_area", "org_unit", "value", "proposed"]


class GoalRatingFilterSet(FilterSet):
    class Meta:
        model = GoalRating
        fields = ["appraisal", "goal", "org_unit", "proposed"]


class PracticeCharacterizationFilterSet(FilterSet):
    class Meta:
        model = PracticeCharacterization
        fields = ["appraisal", "practice", "org_unit", "proposed", "value"]


class RecommendationFilterSet(SearchFilterSet):
    search_fields = ("statement",)

    class Meta:
        model = Recommendation
        fields = ["q", "appraisal", "process_area", "priority"]


class LeadAppraiserQualificationFilterSet(SearchFilterSet):
    search_fields = ("certificate_id", "person__username", "person__last_name")

    class Meta:
        model = LeadAppraiserQualification
        fields = ["q", "person"]


class FindingsValidationFilterSet(SearchFilterSet):
    search_fields = ("summary",)

    class Meta:
        model = FindingsValidation
        fields = ["q", "appraisal"]


class FindingFeedbackFilterSet(SearchFilterSet):
    search_fields = ("comment", "resolution")

    class Meta:
        model = FindingFeedback
        fields = ["q", "appraisal", "validation", "finding", "participant", "response"]
