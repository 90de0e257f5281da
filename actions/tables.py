from __future__ import annotations

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from actions.models import (
    RANKING,
    RANKING_REVERSED,
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
from opf.core.ui.tables import ObjectTable


class PrioritizationCriterionTable(ObjectTable):
    name = tables.Column(linkify=True)
    weight = tables.Column(attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = PrioritizationCriterion
        fields = ("name", "source", "weight", "higher_is_better", "active", "order")


class CostRateTable(ObjectTable):
    name = tables.Column(linkify=True)
    hourly_rate = tables.Column(attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = CostRate
        fields = ("name", "hourly_rate", "currency", "active")


class ImprovementTable(ObjectTable):
    """Ranked: pinned (manual rank) first, then by the weighted priority."""

    title = tables.Column(linkify=True)
    priority = tables.Column(verbose_name=_("Priority"), attrs={"td": {"class": "num"}})
    ratio_score = tables.Column(
        verbose_name=_("Benefit/cost score"),
        attrs={"td": {"class": "num"}},
        empty_values=(0, None),
    )
    rank_override = tables.Column(verbose_name=_("Manual rank"), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = Improvement
        fields = ("title", "priority", "ratio_score", "rank_override", "state", "owner")
        order_by = ("rank_override",)

    def order_rank_override(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        """The ranking (``RANKING``: pinned first, then by priority), or its reverse."""
        # Not QuerySet.reverse(): it toggles, and the table may order more than once.
        return queryset.order_by(*(RANKING_REVERSED if is_descending else RANKING)), True


# --- SG 2 ------------------------------------------------------------------------------


class ProcessActionPlanTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ProcessActionPlan
        fields = ("title", "state", "owner", "sponsor")


class PlanTeamMemberTable(ObjectTable):
    user = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = PlanTeamMember
        fields = ("user", "role", "plan")


class PlanReviewTable(ObjectTable):
    plan = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = PlanReview
        fields = ("plan", "reviewer", "decision", "decided_at")


class MilestoneTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Milestone
        fields = ("title", "due", "done", "plan")


class ActionItemTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ActionItem
        fields = ("title", "plan", "assignee", "due", "status", "planned_effort", "spent_effort")


class CommitmentTable(ObjectTable):
    what = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Commitment
        fields = ("what", "from_party", "to_party", "owner", "due", "status", "plan")


class PlanIssueTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = PlanIssue
        fields = ("title", "plan", "owner", "status")


class PlanMeetingTable(ObjectTable):
    date = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = PlanMeeting
        fields = ("date", "plan")


class PilotTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Pilot
        fields = ("title", "action_plan", "start", "end", "state", "decision")


class SuccessCriterionTable(ObjectTable):
    measure = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = SuccessCriterion
        fields = ("measure", "comparator", "target", "unit", "result", "pilot")
