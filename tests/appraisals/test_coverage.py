"""Evidence as a rule: typed evidence, the coverage rule on the grid, and FI/LI refused
without coverage in Class A (page and API), warned in other classes."""

from __future__ import annotations

import pytest

from appraisals.models import Appraisal, Characterization, Evidence
from tests.appraisals.conftest import Setup
from tests.problems import field_errors

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _evidence(s: Setup, kind: str, place: str = "unit") -> Evidence:
    where = {"project": s.project} if place == "project" else {"org_unit": s.unit}
    evidence = Evidence.objects.create(appraisal=s.appraisal, kind=kind, title=kind, **where)
    evidence.practices.add(s.practices[0])
    return evidence


def _cell(s: Setup) -> str:
    return f"/appraisals/{s.appraisal.pk}/grid/{s.practices[0].pk}/u{s.unit.pk}/"


@pytest.mark.parametrize(
    ("kinds", "value", "saved"),
    [
        ([], "FI", False),
        (["direct"], "LI", False),  # a direct artifact alone does not cover
        (["indirect", "affirmation"], "FI", False),  # no direct artifact
        (["direct", "affirmation"], "FI", True),
        (["direct", "indirect"], "LI", True),
        ([], "PI", True),  # PI, NI and NY need no coverage
        ([], "NY", True),
    ],
)
def test_class_a_refuses_fi_and_li_without_coverage(conducting, client_as, kinds, value, saved):
    s = conducting
    for kind in kinds:
        _evidence(s, kind)
    response = client_as(s.lead).post(_cell(s), {"value": value}, **HTMX)
    assert response.status_code == (200 if saved else 400)
    assert Characterization.objects.filter(value=value).exists() is saved
    if not saved:
        assert "This instance is not covered" in response.content.decode()


def test_the_api_refuses_an_uncovered_characterization_in_class_a(conducting, api_as):
    s = conducting
    payload = {
        "appraisal": s.appraisal.pk,
        "practice": s.practices[0].pk,
        "org_unit": s.unit.pk,
        "value": "FI",
    }
    refused = api_as(s.lead).post("/api/v1/characterizations/", payload)
    assert refused.status_code == 400
    assert "not covered" in str(field_errors(refused)["value"])
    _evidence(s, "direct")
    _evidence(s, "affirmation")
    assert api_as(s.lead).post("/api/v1/characterizations/", payload).status_code == 201


def test_archived_evidence_does_not_cover(conducting, client_as):
    s = conducting
    _evidence(s, "direct")
    affirmation = _evidence(s, "affirmation")
    Evidence.objects.filter(pk=affirmation.pk).update(archived_at="2026-03-03T10:00:00Z")
    assert client_as(s.lead).post(_cell(s), {"value": "FI"}, **HTMX).status_code == 400


def test_other_classes_warn_and_save(conducting, client_as):
    s = conducting
    Appraisal.objects.filter(pk=s.appraisal.pk).update(method=Appraisal.Method.SCAMPI_B)
    response = client_as(s.lead).post(_cell(s), {"value": "FI"}, **HTMX)
    assert response.status_code == 200
    assert "Warning" in response.content.decode() and "Coverage (SCAMPI A)" in (
        response.content.decode()
    )
    assert Characterization.objects.get().value == "FI"
    redirected = client_as(s.lead).post(_cell(s), {"value": "LI"}, follow=True)
    assert "Coverage (SCAMPI A)" in redirected.content.decode()


def test_the_grid_counts_covered_instances(conducting, client_as):
    s = conducting
    _evidence(s, "direct")
    _evidence(s, "indirect")
    page = client_as(s.member).get(f"/appraisals/{s.appraisal.pk}/grid/").content.decode()
    # 2 practices x 3 places (two units and a project): one instance covered
    assert "1 of 6 instances covered" in page
    assert "Coverage rule" in page and "a direct artifact plus an indirect artifact" in page
    cell = page.split(f'id="c-{s.practices[0].pk}-u{s.unit.pk}"')[1].split("</td>")[0]
    assert 'coverage-status">covered<' in cell
