"""Factories of the initiatives (#20)."""

from __future__ import annotations

from datetime import date

import factory

from opf.initiatives.models import Initiative
from tests.factories import OrgUnitFactory


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Initiative {n}")
    method = Initiative.Method.CMMI
    owning_unit = factory.SubFactory(OrgUnitFactory)
    start = date(2026, 1, 1)
    state = Initiative.State.ACTIVE
