"""The indicative profile of a class that does not rate (#18): per org unit and area,
the staged practices counted by their unit-level value, with an indication that is
labelled as not a rating; nothing of the kind for a Class A appraisal."""

from __future__ import annotations

import pytest

from appraisals import method, queries, services
from appraisals.models import Appraisal
from opf.reference.models import Practice
from tests.appraisals.conftest import Setup
from tests.factories import GoalFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_b(conducting: Setup) -> Setup:
    """PP's SP 1.1, SP 1.2 (SG 1), GP 2.1 (GG 2) and GP 4.1 (GG 4, continuous only)."""
    s = conducting
    Appraisal.objects.filter(pk=s.appraisal.pk).update(method=Appraisal.Method.SCAMPI_B)
    s.appraisal.refresh_from_db()
    sg = GoalFactory(process_area=s.area, code="SG 1")
    Practice.objects.filter(pk__in=[p.pk for p in s.practices]).update(goal=sg)
    gg2 = GoalFactory(process_area=s.area, code="GG 2", kind="generic")
    gg4 = GoalFactory(process_area=s.area, code="GG 4", kind="generic")
    s.practices = [
        *s.practices,
        PracticeFactory(process_area=s.area, goal=gg2, code="GP 2.1"),
        PracticeFactory(process_area=s.area, goal=gg4, code="GP 4.1"),
    ]
    return s


def _characterize(s: Setup, place: str, values: list[str]) -> None:
    for practice, value in zip(s.practices, values, strict=True):
        services.characterize(
            appraisal=s.appraisal, practice=practice, instance=place, value=value, actor=s.lead
        )


def _rows(s: Setup) -> dict[str, tuple]:
    return {
        row.org_unit.code: (row.fi, row.li, row.pi, row.ni, row.undetermined, row.indication)
        for row in queries.indicative_profile(s.appraisal)
    }


def test_worked_example_counts_the_staged_practices_and_reads_the_gaps(class_b):
    s = class_b
    # avionics: FI, LI, FI at unit level (the project fms's NY left out); GP 4.1 not counted
    _characterize(s, f"u{s.unit.pk}", ["FI", "FI", "FI", "NI"])
    _characterize(s, f"p{s.project.pk}", ["FI", "LI", "NY", "NI"])
    # ground: SP 1.2 PI -> gaps; GP 2.1 not characterized yet
    _characterize(s, f"u{s.other_unit.pk}", ["LI", "PI", "NY", "NY"])
    rows = _rows(s)
    assert rows["avionics"] == (2, 1, 0, 0, 0, method.NO_GAP)
    assert rows["ground"] == (0, 1, 1, 0, 1, method.GAPS)


def test_undetermined_practices_leave_it_incomplete(class_b):
    s = class_b
    _characterize(s, f"u{s.unit.pk}", ["FI", "FI", "NY", "NY"])
    _characterize(s, f"p{s.project.pk}", ["FI", "FI", "NY", "NY"])
    assert _rows(s)["avionics"] == (2, 0, 0, 0, 1, method.INCOMPLETE)


def test_a_class_a_appraisal_has_no_indicative_profile_but_ratings(conducting, api_as):
    s = conducting
    assert queries.indicative_profile(s.appraisal) == []
    answer = api_as(s.lead).get(f"/api/v1/appraisals/{s.appraisal.pk}/indicative-profile/")
    assert answer.status_code == 200 and answer.json() == []


def test_page_and_api_label_it_as_not_a_rating(class_b, client_as, api_as):
    s = class_b
    _characterize(s, f"u{s.other_unit.pk}", ["LI", "PI", "FI", "NY"])
    page = client_as(s.member).get(s.appraisal.get_absolute_url()).content.decode()
    assert "Indicative profile – not a rating" in page
    assert "it rates no goal or area and gives no maturity level" in page
    assert "Gaps found" in page and "ML " not in page
    listed = api_as(s.member).get(f"/api/v1/appraisals/{s.appraisal.pk}/indicative-profile/")
    assert listed.status_code == 200
    ground = next(r for r in listed.json() if r["org_unit"] == s.other_unit.pk)
    assert (ground["process_area"], ground["pi"], ground["indication"]) == (s.area.pk, 1, "gaps")


def test_the_profile_reads_in_a_fixed_number_of_queries(class_b, django_assert_max_num_queries):
    s = class_b
    _characterize(s, f"u{s.unit.pk}", ["FI", "LI", "PI", "NI"])
    with django_assert_max_num_queries(8):
        small = queries.indicative_profile(s.appraisal)
    for n in range(3, 12):
        PracticeFactory(process_area=s.area, goal=None, code=f"SP 2.{n}")
    with django_assert_max_num_queries(8):
        large = queries.indicative_profile(s.appraisal)
    assert len(small) == len(large) == 2
    assert large[0].undetermined + large[1].undetermined > small[0].undetermined
