"""Factories of the improvement pipeline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from actions.models import (
    ActionItem,
    Commitment,
    CostRate,
    Improvement,
    ImprovementScore,
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
from tests.factories import UserFactory


class PrioritizationCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrioritizationCriterion

    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class CostRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostRate

    name = factory.Sequence(lambda n: f"Rate {n}")
    hourly_rate = Decimal("90")


class ImprovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Improvement

    title = factory.Sequence(lambda n: f"Improvement {n}: estimation guideline")


class ImprovementScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementScore

    improvement = factory.SubFactory(ImprovementFactory)
    criterion = factory.SubFactory(PrioritizationCriterionFactory)
    value = 3


# --- SG 2 ------------------------------------------------------------------------------


class ProcessActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessActionPlan

    title = factory.Sequence(lambda n: f"Plan {n}: estimation rollout")
    strategy = "Pilot on two projects, then roll out."


class PlanTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTeamMember

    plan = factory.SubFactory(ProcessActionPlanFactory)
    user = factory.SubFactory(UserFactory)
    role = factory.Sequence(lambda n: f"Process author {n}")


class PlanReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanReview

    plan = factory.SubFactory(ProcessActionPlanFactory)
    reviewer = factory.SubFactory(UserFactory)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(ProcessActionPlanFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due = factory.LazyFunction(lambda: date.today() + timedelta(days=30))


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    plan = factory.SubFactory(ProcessActionPlanFactory)
    title = factory.Sequence(lambda n: f"Item {n}: write the guideline")
    due = factory.LazyFunction(lambda: date.today() + timedelta(days=10))
    planned_effort = Decimal("8")
    status = ActionItem.Status.TODO
    # what the model's clean() sets on a save through the services
    done_on = factory.LazyAttribute(lambda item: date.today() if item.status == "done" else None)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    plan = factory.SubFactory(ProcessActionPlanFactory)
    what = factory.Sequence(lambda n: f"Commitment {n}: two testers")
    from_party = "QA team"
    to_party = "Process group"


class PlanIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanIssue

    plan = factory.SubFactory(ProcessActionPlanFactory)
    title = factory.Sequence(lambda n: f"Issue {n}: tool licence")


class PlanMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanMeeting

    plan = factory.SubFactory(ProcessActionPlanFactory)
    date = factory.LazyFunction(date.today)
    notes = factory.Sequence(lambda n: f"Meeting notes {n}")


class PilotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pilot

    action_plan = factory.SubFactory(ProcessActionPlanFactory)
    title = factory.Sequence(lambda n: f"Pilot {n}: estimation on Atlas")
    objective = "Estimates within 15% of actuals."


class SuccessCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessCriterion

    pilot = factory.SubFactory(PilotFactory)
    measure = factory.Sequence(lambda n: f"Measure {n}: estimation error")
    unit = "%"
    comparator = "<="
    target = Decimal("15")
