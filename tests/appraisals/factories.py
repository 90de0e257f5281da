"""Factories of needs, appraisals and their results."""

from __future__ import annotations

from datetime import date

import factory

from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    GoalRating,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
    Recommendation,
)
from tests.factories import (
    GoalFactory,
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ReferenceModelFactory,
)


class ProcessNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessNeed

    statement = factory.Sequence(lambda n: f"Need {n}: deliver on schedule")
    kind = ProcessNeed.Kind.BUSINESS_OBJECTIVE
    source = "Strategy 2026"


class AppraisalFactory(factory.django.DjangoModelFactory):
    """A planned appraisal; ``AppraisalFactory(conducting=True)`` gives one in progress
    with one process area and one org unit in scope."""

    class Meta:
        model = Appraisal
        skip_postgeneration_save = True

    class Params:
        conducting = factory.Trait(state=Appraisal.State.IN_PROGRESS)

    title = factory.Sequence(lambda n: f"Appraisal {n}")
    method = Appraisal.Method.SCAMPI_C
    reference_model = factory.SubFactory(ReferenceModelFactory)
    planned_start = date(2026, 3, 2)
    planned_end = date(2026, 3, 6)

    @factory.post_generation
    def scope(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            self.process_areas.add(ProcessAreaFactory(reference_model=self.reference_model))
            self.org_units.add(OrgUnitFactory())


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    process_area = factory.LazyAttribute(lambda f: f.appraisal.process_areas.first())
    kind = Finding.Kind.WEAKNESS
    severity = Finding.Severity.MEDIUM
    statement = factory.Sequence(lambda n: f"Finding {n}: plans are not kept current")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    org_unit = factory.LazyAttribute(lambda e: e.appraisal.org_units.first())
    kind = Evidence.Kind.DIRECT
    title = factory.Sequence(lambda n: f"Evidence {n}: project plan")


class CharacterizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Characterization

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    org_unit = factory.LazyAttribute(lambda c: c.appraisal.org_units.first())
    practice = factory.LazyAttribute(
        lambda c: PracticeFactory(process_area=c.appraisal.process_areas.first(), goal=None)
    )
    value = Characterization.Value.LI


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    process_area = factory.LazyAttribute(lambda r: r.appraisal.process_areas.first())
    org_unit = factory.LazyAttribute(lambda r: r.appraisal.org_units.first())


class GoalRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalRating

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    goal = factory.LazyAttribute(
        lambda r: (
            r.appraisal.process_areas.first().goals.first()
            or GoalFactory(process_area=r.appraisal.process_areas.first())
        )
    )
    org_unit = factory.LazyAttribute(lambda r: r.appraisal.org_units.first())


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    process_area = factory.LazyAttribute(lambda r: r.appraisal.process_areas.first())
    statement = factory.Sequence(lambda n: f"Recommendation {n}: train the estimators")


class PracticeCharacterizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeCharacterization

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    practice = factory.LazyAttribute(
        lambda r: PracticeFactory(process_area=r.appraisal.process_areas.first(), goal=None)
    )
    org_unit = factory.LazyAttribute(lambda r: r.appraisal.org_units.first())
    proposed = "LI"
