from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deployment.models import ProcessAsset
from lessons.models import (
    AuditItem,
    BaselineExclusion,
    ComplianceAudit,
    EffectivenessReview,
    Handoff,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    Process,
    ProcessPerformanceBaseline,
    QuantitativeObjective,
    RecurrenceRule,
)
from opf.core.ui.filters import SearchFilterSet
from opf.organization.models import OrgUnit, Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


class OrgUnitFilterMixin(django_filters.FilterSet):
    """``org_unit``: the projects of a unit and of every unit below it."""

    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_org_unit", label=_("Org unit")
    )
    project_path = "project"

    def filter_org_unit(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(**{f"{self.project_path}__org_unit__path__startswith": value.path})


class ComplianceAuditFilterSet(OrgUnitFilterMixin, SearchFilterSet):
    search_fields = ("project__name", "project__code", "scope")
    planned_after = django_filters.DateFilter(
        field_name="planned_date", lookup_expr="gte", label=_("Planned from")
    )
    planned_before = django_filters.DateFilter(
        field_name="planned_date", lookup_expr="lte", label=_("Planned until")
    )

    class Meta:
        model = ComplianceAudit
        fields = ["q", "project", "org_unit", "auditor", "state", "planned_after", "planned_before"]


def _audits(request: Any = None) -> QuerySet:
    return ComplianceAudit.objects.select_related("project")


class AuditItemFilterSet(SearchFilterSet):
    search_fields = ("work_product", "asset_version__asset__name", "evidence")
    # django-filter takes a callable of the request; its stub allows only a QuerySet.
    audit = django_filters.ModelChoiceFilter(queryset=_audits, label=_("Audit"))  # type: ignore[arg-type]
    asset = django_filters.ModelChoiceFilter(
        queryset=ProcessAsset.objects.all(), field_name="asset_version__asset", label=_("Asset")
    )

    class Meta:
        model = AuditItem
        fields = ["q", "audit", "asset", "result"]


class NonComplianceFilterSet(OrgUnitFilterMixin, SearchFilterSet):
    search_fields = ("title", "description", "corrective_action")
    audit = django_filters.ModelChoiceFilter(queryset=_audits, label=_("Audit"))  # type: ignore[arg-type]
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open or in correction"))
    opened_after = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label=_("Opened from")
    )
    opened_before = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", label=_("Opened until")
    )

    class Meta:
        model = NonCompliance
        fields = [
            "q",
            "project",
            "org_unit",
            "asset",
            "severity",
            "state",
            "owner",
            "audit",
            "overdue",
            "open",
            "opened_after",
            "opened_before",
        ]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = Q(state__in=NonCompliance.OPEN_STATES, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        is_open = Q(state__in=NonCompliance.OPEN_STATES)
        return queryset.filter(is_open) if value else queryset.exclude(is_open)


class RecurrenceRuleFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = RecurrenceRule
        fields = ["q", "active"]


class MineFilterMixin(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Mine"))

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        user: User | AnonymousUser | None = getattr(self.request, "user", None)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(submitted_by=user) if value else queryset.exclude(submitted_by=user)


class LessonFilterSet(MineFilterMixin, SearchFilterSet):
    search_fields = ("title", "context", "what_happened", "next_time", "tags")
    tag = django_filters.CharFilter(method="filter_tag", label=_("Tag"))

    class Meta:
        model = Lesson
        fields = ["q", "state", "project", "asset", "tag", "mine"]

    def filter_tag(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(tags__icontains=value) if value else queryset


class ImprovementProposalFilterSet(MineFilterMixin, SearchFilterSet):
    search_fields = ("title", "problem", "proposed_change", "expected_benefit")

    class Meta:
        model = ImprovementProposal
        fields = ["q", "state", "source", "asset", "process_area", "mine"]


class EffectivenessReviewFilterSet(SearchFilterSet):
    search_fields = ("title", "findings")

    class Meta:
        model = EffectivenessReview
        fields = ["q", "standard_set"]


class MeasureFilterSet(SearchFilterSet):
    search_fields = ("name", "unit", "counted")

    class Meta:
        model = Measure
        fields = ["q", "direction"]


class MeasurementFilterSet(OrgUnitFilterMixin, SearchFilterSet):
    search_fields = ("measure__name", "project__name", "project__code", "note")
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("From"))
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("Until"))
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all(), label=_("Project"))

    class Meta:
        model = Measurement
        fields = ["q", "measure", "project", "org_unit", "period_from", "period_to"]


class QuantitativeObjectiveFilterSet(SearchFilterSet):
    search_fields = ("name", "measure__name")

    class Meta:
        model = QuantitativeObjective
        fields = ["q", "measure", "owner"]


class ProcessPerformanceBaselineFilterSet(SearchFilterSet):
    search_fields = ("name", "measure__name", "notes")

    class Meta:
        model = ProcessPerformanceBaseline
        fields = ["q", "measure", "state", "org_unit"]


class BaselineExclusionFilterSet(SearchFilterSet):
    search_fields = ("reason", "project__name", "baseline__name")

    class Meta:
        model = BaselineExclusion
        fields = ["q", "baseline", "project"]


class ProcessFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "description")
    scope = django_filters.ChoiceFilter(
        choices=(("enterprise", _("Enterprise-wide")), ("unit", _("Owned by one org unit"))),
        method="filter_scope",
        label=_("Scope"),
    )
    asset = django_filters.ModelChoiceFilter(
        field_name="assets", queryset=ProcessAsset.objects.all(), label=_("Defining asset")
    )

    class Meta:
        model = Process
        fields = ["q", "kind", "parent", "owner", "owning_unit", "scope", "asset"]

    def filter_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(owning_unit__isnull=value == "enterprise")


class HandoffFilterSet(SearchFilterSet):
    search_fields = ("work_product", "notes", "source__name", "target__name")

    class Meta:
        model = Handoff
        fields = ["q", "source", "target"]
