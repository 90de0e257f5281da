"""Appraisers change the appraisals they are on the team of, and only those."""

from __future__ import annotations

import pytest

from appraisals.models import Appraisal, Finding
from tests.appraisals.factories import AppraisalFactory, FindingFactory

pytestmark = pytest.mark.django_db


def _payload(setup) -> dict:
    return {
        "appraisal": setup.appraisal.pk,
        "process_area": setup.area.pk,
        "practice": setup.practices[0].pk,
        "org_unit": setup.unit.pk,
        "kind": "weakness",
        "severity": "high",
        "statement": "No estimation method.",
    }


def test_a_team_member_records_findings_in_page_and_api(conducting, client_as, api_as):
    client = client_as(conducting.member)
    add = f"/findings/add/?appraisal={conducting.appraisal.pk}"
    form = client.get(add)
    assert form.status_code == 200
    assert f'value="{conducting.appraisal.pk}" selected' in form.content.decode()
    assert client.post(add, _payload(conducting)).status_code == 302
    created = api_as(conducting.member).post(
        "/api/v1/findings/", _payload(conducting), format="json"
    )
    assert created.status_code == 201
    finding = Finding.objects.get(pk=created.json()["id"])
    patched = api_as(conducting.member).patch(
        f"/api/v1/findings/{finding.pk}/", {"severity": "low"}, format="json"
    )
    assert patched.status_code == 200
    assert Finding.objects.count() == 2


def test_an_appraiser_off_the_team_cannot(conducting, people, client_as, api_as):
    from opf.core.roles import APPRAISER
    from tests.factories import UserFactory

    outsider = UserFactory(username="outsider", roles=[APPRAISER])
    finding = FindingFactory(appraisal=conducting.appraisal, process_area=conducting.area)
    client = client_as(outsider)
    assert client.get(f"/findings/add/?appraisal={conducting.appraisal.pk}").status_code == 403
    assert client.post("/findings/add/", _payload(conducting)).status_code == 403
    assert client.get(f"/findings/{finding.pk}/edit/").status_code == 403
    api = api_as(outsider)
    assert api.post("/api/v1/findings/", _payload(conducting), format="json").status_code == 403
    assert (
        api.patch(f"/api/v1/findings/{finding.pk}/", {"severity": "low"}, format="json").status_code
        == 403
    )
    assert api.post(f"/api/v1/findings/{finding.pk}/archive/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/appraisals/{conducting.appraisal.pk}/deliver/").status_code == 403
    assert Finding.objects.count() == 1


def test_team_members_edit_their_appraisal_but_not_others(conducting, client_as):
    other = AppraisalFactory()
    client = client_as(conducting.member)
    assert client.get(f"/appraisals/{conducting.appraisal.pk}/edit/").status_code == 200
    assert client.get(f"/appraisals/{other.pk}/edit/").status_code == 403
    assert client.get("/appraisals/add/").status_code == 403


@pytest.mark.parametrize("role", ["executive", "member", "pm"])
def test_readers_read_but_do_not_record(role, conducting, people, client_as, api_as):
    user = people.by_role(role)
    client = client_as(user)
    page = client.get(conducting.appraisal.get_absolute_url())
    assert page.status_code == 200
    assert "/findings/add/" not in page.content.decode()
    assert client.get(f"/findings/add/?appraisal={conducting.appraisal.pk}").status_code == 403
    assert (
        api_as(user).post("/api/v1/findings/", _payload(conducting), format="json").status_code
        == 403
    )


def test_the_list_offers_new_only_to_the_process_group(conducting, people, client_as):
    assert "/findings/add/" in client_as(people.epg).get("/findings/").content.decode()
    assert "/findings/add/" not in client_as(conducting.member).get("/findings/").content.decode()
    assert Appraisal.objects.filter(team=conducting.member).count() == 1


def test_findings_are_recorded_inline_on_the_appraisal_page(conducting, people, client_as):
    from tests.factories import PracticeFactory

    s = conducting
    client = client_as(s.member)
    page = client.get(s.appraisal.get_absolute_url()).content.decode()
    assert f'hx-post="/appraisals/{s.appraisal.pk}/findings/"' in page
    url = f"/appraisals/{s.appraisal.pk}/findings/"
    data = {
        "finding-process_area": s.area.pk,
        "finding-practice": s.practices[1].pk,
        "finding-project": s.project.pk,
        "finding-kind": "weakness",
        "finding-severity": "high",
        "finding-statement": "Plans are not re-baselined",
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section class="card" id="findings"')
    assert "Plans are not re-baselined" in html and "Recorded the finding." in html
    finding = Finding.objects.get()
    assert (finding.appraisal, finding.project, finding.practice) == (
        s.appraisal,
        s.project,
        s.practices[1],
    )
    bad = client.post(
        url,
        {**data, "finding-practice": PracticeFactory().pk, "finding-statement": ""},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 400
    assert 'id="id_finding-practice_errors"' in bad.content.decode()
    assert 'id="id_finding-statement_errors"' in bad.content.decode()
    assert Finding.objects.count() == 1
    assert client_as(people.executive).post(url, data).status_code == 403
    assert client_as(people.epg).post(url, data).status_code == 302
    assert Finding.objects.count() == 2
