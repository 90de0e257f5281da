"""Forms of the steering committee area (meetings, decisions, follow-ups, policy)."""

from __future__ import annotations

from typing import Any

from django import forms

from opf.core.ui.forms import ObjectForm
from opf.organization.forms import DateInput
from opf.steering.models import (
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class CommitteeMembershipForm(ObjectForm):
    class Meta:
        model = CommitteeMembership
        fields = ["body", "user", "role", "responsibilities", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class SteeringMeetingForm(ObjectForm):
    class Meta:
        model = SteeringMeeting
        fields = [
            "title",
            "body",
            "scheduled_at",
            "location",
            "chair",
            "attendees",
            "agenda",
            "notes",
            "briefing_unit",
        ]
        widgets = {"scheduled_at": DateTimeInput()}


class DecisionForm(ObjectForm):
    class Meta:
        model = Decision
        fields = ["meeting", "title", "rationale", "process_areas"]


class FollowUpForm(ObjectForm):
    class Meta:
        model = FollowUp
        fields = ["meeting", "decision", "title", "owner", "due"]
        widgets = {"due": DateInput()}


class ProgramDocumentForm(ObjectForm):
    class Meta:
        model = ProgramDocument
        fields = ["kind", "title", "text", "effective_from"]
        widgets = {"effective_from": DateInput()}
