"""List filters of the steering committee area."""

from __future__ import annotations

from opf.core.ui.filters import SearchFilterSet
from opf.steering.models import (
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)


class CommitteeMembershipFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__last_name", "user__first_name", "responsibilities")

    class Meta:
        model = CommitteeMembership
        fields = ["q", "body", "role", "user"]


class SteeringMeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "agenda", "notes", "location")

    class Meta:
        model = SteeringMeeting
        fields = ["q", "state", "body"]


class DecisionFilterSet(SearchFilterSet):
    search_fields = ("title", "rationale")

    class Meta:
        model = Decision
        fields = ["q", "meeting", "process_areas"]


class FollowUpFilterSet(SearchFilterSet):
    search_fields = ("title",)

    class Meta:
        model = FollowUp
        fields = ["q", "status", "meeting", "owner"]


class ProgramDocumentFilterSet(SearchFilterSet):
    search_fields = ("title", "text")

    class Meta:
        model = ProgramDocument
        fields = ["q", "kind", "state"]
