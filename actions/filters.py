from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from actions.models import (
    ActionItem,
    Commitment,
    CostRate,
    Improvement,
    Milestone,
    Pilot,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PlanTeamMember,
    PrioritizationCriterion,
    ProcessActionPlan,
    SuccessCriterion,
)
from appraisals.models import Appraisal, ProcessNeed
from opf.core.ui.filters import SearchFilterSet, users_with
from opf.reference.models import ProcessArea


class PrioritizationCriterionFilterSet(SearchFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = PrioritizationCriterion
        fields = ["q", "active", "higher_is_better", "source"]


class CostRateFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = CostRate
        fields = ["q", "active"]


class ImprovementFilterSet(SearchFilterSet):
    """Relation filters use subqueries so a row is never repeated by joins (and the
    ranked order keeps reading its index)."""

    search_fields = ("title", "description")
    process_area = django_filters.ModelChoiceFilter(
        queryset=ProcessArea.objects.all(), method="filter_area", label=_("Process area")
    )
    appraisal = django_filters.ModelChoiceFilter(
        queryset=Appraisal.objects.all(), method="filter_appraisal", label=_("From appraisal")
    )
    need = django_filters.ModelChoiceFilter(
        queryset=ProcessNeed.objects.filter(improvements__isnull=False).distinct(),
        method="filter_need",
        label=_("From need"),
    )
    owner = django_filters.ModelChoiceFilter(queryset=users_with("owned_improvements"))

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


# --- SG 2 ------------------------------------------------------------------------------


class DueRangeMixin(django_filters.FilterSet):
    due_after = django_filters.DateFilter(
        field_name="due", lookup_expr="gte", label=_("Due on or after")
    )
    due_before = django_filters.DateFilter(
        field_name="due", lookup_expr="lte", label=_("Due on or before")
    )


class ProcessActionPlanFilterSet(SearchFilterSet):
    search_fields = ("title", "strategy")
    improvement = django_filters.ModelChoiceFilter(
        queryset=Improvement.objects.filter(action_plans__isnull=False).distinct(),
        method="filter_improvement",
        label=_("Improvement"),
    )
    owner = django_filters.ModelChoiceFilter(queryset=users_with("owned_action_plans"))
    sponsor = django_filters.ModelChoiceFilter(queryset=users_with("sponsored_action_plans"))

    class Meta:
        model = ProcessActionPlan
        fields = ["q", "state", "owner", "sponsor", "improvement"]

    def filter_improvement(self, queryset: QuerySet, name: str, value: Improvement) -> QuerySet:
        through = ProcessActionPlan.improvements.through.objects.filter(improvement=value)
        return queryset.filter(pk__in=through.values("processactionplan_id"))


class PlanTeamMemberFilterSet(SearchFilterSet):
    search_fields = ("role", "user__username", "user__last_name")
    user = django_filters.ModelChoiceFilter(queryset=users_with("action_teams"))

    class Meta:
        model = PlanTeamMember
        fields = ["q", "plan", "user"]


class PlanReviewFilterSet(SearchFilterSet):
    search_fields = ("plan__title", "reviewer__username", "comments")
    reviewer = django_filters.ModelChoiceFilter(queryset=users_with("plan_reviews"))

    class Meta:
        model = PlanReview
        fields = ["q", "plan", "reviewer", "decision"]


class MilestoneFilterSet(DueRangeMixin, SearchFilterSet):
    search_fields = ("title",)

    class Meta:
        model = Milestone
        fields = ["q", "plan", "done", "due_after", "due_before"]


class ActionItemFilterSet(DueRangeMixin, SearchFilterSet):
    search_fields = ("title",)
    milestone = django_filters.ModelChoiceFilter(
        queryset=Milestone.objects.filter(
            Exists(ActionItem._base_manager.filter(milestone=OuterRef("pk")))
        )
    )
    assignee = django_filters.ModelChoiceFilter(queryset=users_with("action_items"))

    class Meta:
        model = ActionItem
        fields = ["q", "plan", "milestone", "assignee", "status", "due_after", "due_before"]


class CommitmentFilterSet(DueRangeMixin, SearchFilterSet):
    search_fields = ("what", "from_party", "to_party")
    owner = django_filters.ModelChoiceFilter(queryset=users_with("commitments"))

    class Meta:
        model = Commitment
        fields = ["q", "plan", "owner", "status", "due_after", "due_before"]


class PlanIssueFilterSet(SearchFilterSet):
    search_fields = ("title", "description", "resolution")
    owner = django_filters.ModelChoiceFilter(queryset=users_with("plan_issues"))

    class Meta:
        model = PlanIssue
        fields = ["q", "plan", "owner", "status"]


class PlanMeetingFilterSet(SearchFilterSet):
    search_fields = ("notes", "decisions", "plan__title")
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("On or after")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("On or before")
    )

    class Meta:
        model = PlanMeeting
        fields = ["q", "plan", "date_after", "date_before"]


class PilotFilterSet(SearchFilterSet):
    search_fields = ("title", "objective")

    class Meta:
        model = Pilot
        fields = ["q", "action_plan", "state", "decision"]


class SuccessCriterionFilterSet(SearchFilterSet):
    search_fields = ("measure",)

    class Meta:
        model = SuccessCriterion
        fields = ["q", "pilot", "comparator"]
