"""Factories of needs, appraisals and their results."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    GoalRating,
    LeadAppraiserQualification,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
    Recommendation,
)
from opf.core.roles import APPRAISER
from tests.factories import (
    GoalFactory,
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ReferenceModelFactory,
    UserFactory,
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
    """A goal of a Class A appraisal in progress, its practices allowing satisfaction."""

    class Meta:
        model = GoalRating

    appraisal = factory.SubFactory(
        AppraisalFactory, conducting=True, method=Appraisal.Method.SCAMPI_A
    )
    goal = factory.LazyAttribute(
        lambda r: (
            r.appraisal.process_areas.first().goals.first()
            or GoalFactory(process_area=r.appraisal.process_areas.first())
        )
    )
    org_unit = factory.LazyAttribute(lambda r: r.appraisal.org_units.first())
    proposed = "satisfied"
    allowed = "satisfied"


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


def _issued() -> date:
    """Before the factories' appraisal dates (March 2026) and a year before today."""
    return min(date(2024, 1, 1), timezone.localdate() - timedelta(days=365))


def _expires() -> date:
    """After the factories' appraisal dates and two years after today."""
    return max(date(2027, 12, 31), timezone.localdate() + timedelta(days=730))


class LeadAppraiserQualificationFactory(factory.django.DjangoModelFactory):
    """A certificate valid through the factories' appraisal dates (March 2026) and
    through any appraisal dated near today."""

    class Meta:
        model = LeadAppraiserQualification

    person = factory.SubFactory(UserFactory, roles=[APPRAISER])
    certificate_id = factory.Sequence(lambda n: f"LA-{1000 + n}")
    issued_on = factory.LazyFunction(_issued)
    expires_on = factory.LazyFunction(_expires)


def qualify(person, *, issued_on: date | None = None, expires_on: date | None = None):
    """Record ``person`` as a qualified lead appraiser: by default valid over the
    factories' fixed appraisal dates and over any dates near today (see
    ``_issued``/``_expires``), whatever day the suite runs on."""
    return LeadAppraiserQualificationFactory(
        person=person, issued_on=issued_on or _issued(), expires_on=expires_on or _expires()
    )


class FindingsValidationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FindingsValidation

    appraisal = factory.SubFactory(AppraisalFactory, conducting=True)
    held_on = date(2026, 3, 5)
    summary = factory.Sequence(lambda n: f"Session {n}: findings presented to Avionics")


class FindingFeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FindingFeedback

    validation = factory.SubFactory(FindingsValidationFactory)
    appraisal = factory.LazyAttribute(lambda f: f.validation.appraisal)
    finding = factory.LazyAttribute(lambda f: FindingFactory(appraisal=f.validation.appraisal))
    participant = factory.SubFactory(UserFactory)
    response = FindingFeedback.Response.AGREE
    comment = factory.Sequence(lambda n: f"Feedback {n}: agreed in the session")
