from __future__ import annotations

from datetime import date

import factory

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
from tests.deployment.factories import ProcessAssetFactory
from tests.factories import ProjectFactory, UserFactory


class ComplianceAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceAudit

    project = factory.SubFactory(ProjectFactory)
    planned_date = date(2026, 6, 1)
    scope = factory.Sequence(lambda n: f"Audit scope {n}")


class AuditItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditItem

    audit = factory.SubFactory(ComplianceAuditFactory)
    work_product = factory.Sequence(lambda n: f"Work product {n}")


class NonComplianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NonCompliance

    title = factory.Sequence(lambda n: f"Non-compliance {n}")
    project = factory.SubFactory(ProjectFactory)
    owner = factory.LazyAttribute(lambda nc: nc.project.manager)


class RecurrenceRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecurrenceRule

    name = factory.Sequence(lambda n: f"Rule {n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    title = factory.Sequence(lambda n: f"Lesson {n}")
    what_happened = "The estimate was low."
    next_time = "Review the estimate."
    tags = "estimation"
    submitted_by = factory.SubFactory(UserFactory)


class PublishedLessonFactory(LessonFactory):
    state = Lesson.State.PUBLISHED


class ImprovementProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementProposal

    title = factory.Sequence(lambda n: f"Proposal {n}")
    asset = factory.SubFactory(ProcessAssetFactory)
    problem = "Hard to follow."
    proposed_change = "Simplify it."
    submitted_by = factory.SubFactory(UserFactory)


class EffectivenessReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EffectivenessReview

    title = factory.Sequence(lambda n: f"Review {n}")
    review_date = date(2026, 3, 1)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "%"
    counted = "Things counted."


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    measure = factory.SubFactory(MeasureFactory)
    project = factory.SubFactory(ProjectFactory)
    period = factory.Sequence(lambda n: date(2020 + n // 12, n % 12 + 1, 1))
    value = 10


class QuantitativeObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuantitativeObjective

    name = factory.Sequence(lambda n: f"Objective {n}")
    measure = factory.SubFactory(MeasureFactory)
    target = 5


class ProcessPerformanceBaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessPerformanceBaseline

    measure = factory.SubFactory(MeasureFactory)
    name = factory.Sequence(lambda n: f"Baseline {n}")
    period_start = date(2025, 1, 1)
    period_end = date(2025, 12, 1)


class BaselineExclusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BaselineExclusion

    baseline = factory.SubFactory(ProcessPerformanceBaselineFactory)
    period = date(2025, 3, 1)
    reason = factory.Sequence(lambda n: f"Special cause {n}")


class ValueChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Process {n:03d}")
    code = factory.Sequence(lambda n: f"process-{n}")
    kind = Process.Kind.VALUE_CHAIN
    owner = factory.SubFactory(UserFactory)


class ProcessFactory(ValueChainFactory):
    kind = Process.Kind.PROCESS
    parent = factory.SubFactory(ValueChainFactory)


class SubProcessFactory(ValueChainFactory):
    kind = Process.Kind.SUB_PROCESS
    parent = factory.SubFactory(ProcessFactory)


class HandoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handoff

    source = factory.SubFactory(ProcessFactory)
    target = factory.SubFactory(ProcessFactory)
    work_product = factory.Sequence(lambda n: f"Work product {n}")
