"""Factories of the improvement pipeline."""

from __future__ import annotations

import factory

from actions.models import Improvement, ImprovementScore, PrioritizationCriterion


class PrioritizationCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrioritizationCriterion

    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


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
