"""Factories of the steering area (committees, meetings, decisions, follow-ups, policy)."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from opf.steering.models import (
    Body,
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)
from tests.factories import UserFactory


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    body = Body.STEERING_COMMITTEE
    user = factory.SubFactory(UserFactory)
    role = CommitteeMembership.Role.MEMBER
    start = date(2026, 1, 1)


class SteeringMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringMeeting

    title = factory.Sequence(lambda n: f"Steering meeting {n}")
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    agenda = "Status of the program."


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(SteeringMeetingFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    meeting = factory.SubFactory(SteeringMeetingFactory)
    title = factory.Sequence(lambda n: f"Follow-up {n}")
    owner = factory.SubFactory(UserFactory)
    due = date(2026, 12, 15)


class ProgramDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramDocument

    kind = ProgramDocument.Kind.POLICY
    title = factory.Sequence(lambda n: f"Program policy {n}")
    text = "The organization improves its processes continuously."
    # what the model's clean() numbers on a save through the services
    revision = factory.LazyAttribute(lambda document: ProgramDocument.next_revision(document.kind))
