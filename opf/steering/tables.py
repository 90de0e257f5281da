"""List tables of the steering committee area."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from opf.core.ui.tables import ObjectTable
from opf.steering.models import (
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)


class CommitteeMembershipTable(ObjectTable):
    user = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = CommitteeMembership
        fields = ("user", "body", "role", "start", "end")


class SteeringMeetingTable(ObjectTable):
    title = tables.Column(linkify=True)
    decision_count = tables.Column(verbose_name=_("Decisions"), orderable=False)
    open_follow_ups = tables.Column(verbose_name=_("Open follow-ups"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = SteeringMeeting
        fields = ("title", "body", "scheduled_at", "state", "decision_count", "open_follow_ups")


class DecisionTable(ObjectTable):
    title = tables.Column(linkify=True)
    meeting = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Decision
        fields = ("title", "meeting")


class FollowUpTable(ObjectTable):
    title = tables.Column(linkify=True)
    meeting = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = FollowUp
        fields = ("title", "meeting", "owner", "due", "status")


class ProgramDocumentTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ProgramDocument
        fields = ("title", "kind", "revision", "state", "effective_from", "approved_at")
