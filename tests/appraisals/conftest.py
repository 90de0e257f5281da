"""An appraisal ready to conduct: CMMI-like area with practices, two units, a project."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from appraisals.models import Appraisal, Evidence
from opf.core.accounts import User
from opf.core.roles import APPRAISER
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ProcessArea
from tests.appraisals.factories import AppraisalFactory
from tests.factories import (
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ProjectFactory,
    ReferenceModelFactory,
    UserFactory,
)


@dataclass
class Setup:
    appraisal: Appraisal
    area: ProcessArea
    practices: list[Practice]
    unit: OrgUnit
    other_unit: OrgUnit
    project: Project
    lead: User
    member: User  # a team member who is not the lead


@pytest.fixture
def setup(people) -> Setup:
    """A scheduled appraisal with scope and team: ``people.appraiser`` is a team member."""
    model = ReferenceModelFactory()
    area = ProcessAreaFactory(reference_model=model, abbreviation="PP", maturity_level=2)
    practices = [
        PracticeFactory(process_area=area, goal=None, code=f"SP 1.{n}", order=n) for n in (1, 2)
    ]
    unit, other_unit = OrgUnitFactory(code="avionics"), OrgUnitFactory(code="ground")
    project = ProjectFactory(org_unit=unit, code="fms")
    lead = UserFactory(username="lead", roles=[APPRAISER])
    appraisal = AppraisalFactory(
        reference_model=model,
        method=Appraisal.Method.SCAMPI_A,
        state=Appraisal.State.SCHEDULED,
        lead_appraiser=lead,
        scope=False,
    )
    appraisal.process_areas.set([area])
    appraisal.org_units.set([unit, other_unit])
    appraisal.projects.set([project])
    appraisal.team.set([lead, people.appraiser])
    return Setup(appraisal, area, practices, unit, other_unit, project, lead, people.appraiser)


@pytest.fixture
def conducting(setup: Setup) -> Setup:
    Appraisal.objects.filter(pk=setup.appraisal.pk).update(state=Appraisal.State.IN_PROGRESS)
    setup.appraisal.refresh_from_db()
    return setup


def cover(
    setup: Setup, places: list[str] | None = None, appraisal: Appraisal | None = None
) -> None:
    """Evidence meeting the coverage rule (a direct artifact and an affirmation) for
    every practice of ``setup`` at each place (``u<pk>``/``p<pk>``; all by default)."""
    keys = places or [f"u{setup.unit.pk}", f"u{setup.other_unit.pk}", f"p{setup.project.pk}"]
    for key in keys:
        where = {"project_id": int(key[1:])} if key[0] == "p" else {"org_unit_id": int(key[1:])}
        for kind in (Evidence.Kind.DIRECT, Evidence.Kind.AFFIRMATION):
            evidence = Evidence.objects.create(
                appraisal=appraisal or setup.appraisal, kind=kind, title=f"{kind} at {key}", **where
            )
            evidence.practices.set(setup.practices)


def validate(appraisal: Appraisal, participant: User, on=None) -> None:
    """A validation session where ``participant`` agreed with every finding (SCAMPI A
    v1.2, 2.5), as a Class A appraisal needs before it delivers its final findings."""
    from datetime import date

    from appraisals.models import FindingFeedback, FindingsValidation

    session = FindingsValidation.objects.create(appraisal=appraisal, held_on=on or date(2026, 3, 5))
    for finding in appraisal.findings.all():
        FindingFeedback.objects.create(
            appraisal=appraisal,
            validation=session,
            finding=finding,
            participant=participant,
            response=FindingFeedback.Response.AGREE,
        )
