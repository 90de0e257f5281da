"""CMMI-DEV v1.2 ships every process area's goal and practice titles (#18), so every
area in scope can be characterized; only SAM may be not applicable."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from appraisals import method
from opf.reference.models import Goal, Practice, ProcessArea

pytestmark = pytest.mark.django_db

AREAS = [
    "REQM",
    "PP",
    "PMC",
    "SAM",
    "MA",
    "PPQA",
    "CM",
    "RD",
    "TS",
    "PI",
    "VER",
    "VAL",
    "OPF",
    "OPD",
    "OT",
    "IPM",
    "RSKM",
    "DAR",
    "OPP",
    "QPM",
    "OID",
    "CAR",
]


def _cmmi() -> dict[str, ProcessArea]:
    return {
        a.abbreviation: a
        for a in ProcessArea.objects.filter(
            reference_model__abbreviation="CMMI-DEV", reference_model__version="1.2"
        )
    }


def test_every_area_has_specific_goals_practices_and_the_generic_goals():
    areas = _cmmi()
    assert sorted(areas) == sorted(AREAS)
    for abbreviation, area in areas.items():
        specific = Practice.objects.filter(process_area=area, code__startswith="SP ")
        assert specific.exists() and not specific.filter(goal=None).exists(), abbreviation
        generic = dict(
            Goal.objects.filter(process_area=area, kind="generic").values_list("code", "name")
        )
        assert generic["GG 2"] == "Institutionalize a Managed Process", abbreviation
        assert Practice.objects.filter(goal__process_area=area, goal__code="GG 2").count() == 10
    specific_total = Practice.objects.filter(
        process_area__in=areas.values(), code__startswith="SP "
    ).count()
    assert specific_total == 165  # 156 in the 21 areas and OPF's 9


@pytest.mark.parametrize(
    ("area", "code", "title"),
    [
        ("REQM", "SP 1.4", "Maintain Bidirectional Traceability of Requirements"),
        ("PP", "SP 2.7", "Establish the Project Plan"),
        ("SAM", "SP 2.5", "Transition Products"),
        ("RD", "SP 3.4", "Analyze Requirements to Achieve Balance"),
        ("VER", "SP 2.3", "Analyze Peer Review Data"),
        ("OPD", "SP 1.6", "Establish Work Environment Standards"),
        ("QPM", "SP 2.4", "Record Statistical Management Data"),
        ("CAR", "SP 2.3", "Record Data"),
        ("OPF", "SP 1.2", "Appraise the Organization's Processes"),  # the full text, kept
    ],
)
def test_worked_titles(area, code, title):
    assert _cmmi()[area].practices.get(code=code).name == title


def test_only_sam_may_be_not_applicable():
    assert [a for a in AREAS if method.may_be_not_applicable(a)] == ["SAM"]


def test_the_data_migration_adds_what_an_older_database_lacks_and_keeps_the_rest():
    areas = _cmmi()
    Practice.objects.filter(process_area=areas["REQM"]).delete()
    Goal.objects.filter(process_area=areas["REQM"]).delete()
    Practice.objects.filter(process_area=areas["PP"], code="SP 1.1").update(name="Kept as edited")
    migration = import_module("opf.migrations.0014_cmmi_dev_goal_and_practice_titles")
    migration.add_titles(apps, None)
    migration.add_titles(apps, None)  # twice: nothing doubles
    assert areas["REQM"].practices.filter(code__startswith="SP ").count() == 5
    assert areas["REQM"].goals.count() == 5  # SG 1, GG 2 to GG 5
    assert areas["PP"].practices.get(code="SP 1.1").name == "Kept as edited"
