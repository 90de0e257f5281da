"""Declarative test data for the generic pages and endpoints: each spec only
declares its model, a factory and payloads; test_crud.py does the rest."""

from __future__ import annotations

from typing import Any

from opf.models import OrgUnit, Practice, ProcessArea, Project, ReferenceModel
from tests.crud import Spec
from tests.factories import (
    GoalFactory,
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ProjectFactory,
    ReferenceModelFactory,
)


def _practice_invalid() -> dict[str, Any]:
    area = ProcessAreaFactory()
    other_goal = GoalFactory()
    return {
        "process_area": area.pk,
        "goal": other_goal.pk,
        "code": "SP 9.9",
        "name": "X",
        "order": 0,
    }


def _practice_valid() -> dict[str, Any]:
    goal = GoalFactory()
    return {
        "process_area": goal.process_area_id,
        "goal": goal.pk,
        "code": "SP 1.1",
        "name": "Establish the thing",
        "statement": "Establish and maintain the thing.",
        "order": 1,
    }


SPECS = [
    Spec(
        OrgUnit,
        OrgUnitFactory,
        "org-units",
        "org-units",
        valid=lambda: {"name": "Flight Software", "code": "flight-sw", "active": True},
        invalid=lambda: {"name": "", "code": "not a slug!", "active": True},
        invalid_fields={"name", "code"},
        change={"name": "Renamed unit"},
    ),
    Spec(
        Project,
        ProjectFactory,
        "projects",
        "projects",
        valid=lambda: {
            "name": "Radar Upgrade",
            "code": "radar-up",
            "org_unit": OrgUnitFactory().pk,
            "phase": "planning",
            "start_date": "2026-03-01",
            "active": True,
        },
        invalid=lambda: {
            "name": "Backwards",
            "code": "backwards",
            "org_unit": OrgUnitFactory().pk,
            "phase": "planning",
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
        },
        invalid_fields={"end_date"},
        change={"phase": "execution"},
    ),
    Spec(
        ReferenceModel,
        ReferenceModelFactory,
        "reference-models",
        "reference-models",
        valid=lambda: {"abbreviation": "ISO9001", "name": "ISO 9001", "version": "2015"},
        invalid=lambda: {"abbreviation": "", "name": "No abbreviation", "version": ""},
        invalid_fields={"abbreviation", "version"},
        change={"name": "Renamed model"},
    ),
    Spec(
        ProcessArea,
        ProcessAreaFactory,
        "process-areas",
        "process-areas",
        valid=lambda: {
            "reference_model": ReferenceModelFactory().pk,
            "abbreviation": "QA",
            "name": "Quality assurance",
            "category": "support",
            "maturity_level": 2,
            "order": 1,
        },
        invalid=lambda: {
            "reference_model": ReferenceModelFactory().pk,
            "abbreviation": "QA",
            "name": "Too mature",
            "category": "support",
            "maturity_level": 9,
            "order": 1,
        },
        invalid_fields={"maturity_level"},
        change={"name": "Renamed area"},
    ),
    Spec(
        Practice,
        PracticeFactory,
        "practices",
        "practices",
        valid=_practice_valid,
        invalid=_practice_invalid,
        invalid_fields={"goal"},
        change={"name": "Renamed practice"},
    ),
]
