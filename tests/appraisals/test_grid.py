"""The characterization grid: one click sets one cell (HTMX), coverage, fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.models import Characterization, Evidence
from tests.factories import OrgUnitFactory, PracticeFactory, ProjectFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def conducting(conducting):
    """A Class C appraisal: the grid's mechanics without the Class A coverage refusal
    (that rule has its own tests in test_method_rules)."""
    conducting.appraisal.method = "scampi_c"
    conducting.appraisal.save(update_fields=["method"])
    return conducting


def cell_url(s, practice, place: str) -> str:
    return f"/appraisals/{s.appraisal.pk}/grid/{practice.pk}/{place}/"


def test_a_click_sets_one_cell_and_returns_only_that_cell(conducting, client_as):
    s = conducting
    client = client_as(s.member)
    place = f"p{s.project.pk}"
    response = client.post(cell_url(s, s.practices[0], place), {"value": "LI"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<td id="c-{s.practices[0].pk}-{place}"')
    assert 'value="LI" class="small primary"' in html and 'aria-pressed="true"' in html
    assert "<html" not in html
    cell = Characterization.objects.get()
    assert (cell.project, cell.value, cell.practice) == (s.project, "LI", s.practices[0])
    client.post(cell_url(s, s.practices[0], place), {"value": "FI"}, **HTMX)
    assert Characterization.objects.get().value == "FI"
    assert Characterization.objects.get().history.count() == 2


def test_without_javascript_the_cell_form_redirects_back(conducting, client_as):
    s = conducting
    response = client_as(s.lead).post(cell_url(s, s.practices[1], f"u{s.unit.pk}"), {"value": "PI"})
    assert response.status_code == 302
    assert response.url.endswith(f"/grid/#c-{s.practices[1].pk}-u{s.unit.pk}")


def test_bad_values_and_places_are_refused_in_the_cell(conducting, client_as):
    s = conducting
    client = client_as(s.lead)
    bad = client.post(cell_url(s, s.practices[0], f"u{s.unit.pk}"), {"value": "XX"}, **HTMX)
    assert bad.status_code == 400
    assert "not a valid choice" in bad.content.decode()
    outside = OrgUnitFactory()
    out = client.post(cell_url(s, s.practices[0], f"u{outside.pk}"), {"value": "FI"}, **HTMX)
    assert out.status_code in (400, 403)
    foreign = PracticeFactory()
    assert (
        client.post(cell_url(s, foreign, f"u{s.unit.pk}"), {"value": "FI"}, **HTMX).status_code
        == 400
    )
    assert client.post(cell_url(s, s.practices[0], "zz"), {"value": "FI"}, **HTMX).status_code in (
        400,
        403,
    )
    assert not Characterization.objects.exists()


def test_only_the_team_characterizes_and_only_in_progress(setup, conducting, people, client_as):
    s = conducting
    for user in (people.epg,):
        assert (
            client_as(user)
            .post(cell_url(s, s.practices[0], f"u{s.unit.pk}"), {"value": "FI"})
            .status_code
            == 302
        )
    for user in (people.executive, people.member, people.pm):
        assert (
            client_as(user)
            .post(cell_url(s, s.practices[0], f"u{s.unit.pk}"), {"value": "NI"})
            .status_code
            == 403
        )
        page = client_as(user).get(f"/appraisals/{s.appraisal.pk}/grid/").content.decode()
        assert "cell-form" not in page
    assert Characterization.objects.get().value == "FI"


def test_the_grid_shows_values_and_evidence_coverage(conducting, client_as):
    s = conducting
    evidence = Evidence.objects.create(
        appraisal=s.appraisal, kind="direct", title="Plan", org_unit=s.unit
    )
    evidence.practices.add(s.practices[0])
    page = client_as(s.lead).get(f"/appraisals/{s.appraisal.pk}/grid/").content.decode()
    covered = page.split(f'id="c-{s.practices[0].pk}-u{s.unit.pk}"')[1].split("</td>")[0]
    assert 'title="Direct artifact mapped">D<' in covered
    assert "No affirmation yet" in covered and "not covered" in covered
    bare = page.split(f'id="c-{s.practices[1].pk}-u{s.unit.pk}"')[1].split("</td>")[0]
    assert "No direct artifact yet" in bare


def test_the_grid_runs_a_fixed_number_of_queries(conducting, client_as):
    s = conducting
    client = client_as(s.lead)
    url = f"/appraisals/{s.appraisal.pk}/grid/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(3, 15):
        practice = PracticeFactory(process_area=s.area, goal=None, code=f"SP 2.{n}")
        Characterization.objects.create(
            appraisal=s.appraisal, practice=practice, org_unit=s.unit, value="FI"
        )
        evidence = Evidence.objects.create(
            appraisal=s.appraisal, kind="affirmation", title=f"Interview {n}", org_unit=s.unit
        )
        evidence.practices.add(practice)
    for _ in range(4):
        s.appraisal.org_units.add(OrgUnitFactory())
        project = ProjectFactory(org_unit=s.unit)
        s.appraisal.projects.add(project)
        Characterization.objects.create(
            appraisal=s.appraisal,
            practice=s.practices[0],
            project=project,
            value="LI",
            carried_over=True,
        )
    assert count() == small
