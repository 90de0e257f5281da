"""An appraisal's team does not choose its lead, sponsor or members (#21, finding
#2: field rights); only the process group does, and the API refuses a plain
member as sponsor or lead as the page does (one rule, in ``Appraisal.clean``)."""

from __future__ import annotations

import pytest

from appraisals.forms import AppraisalForm
from appraisals.models import Appraisal
from opf.core.roles import APPRAISER
from tests.appraisals.factories import AppraisalFactory, qualify
from tests.factories import UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def led(people) -> Appraisal:
    """A planned appraisal led by another appraiser, ``people.appraiser`` on its team."""
    lead = UserFactory(username="lead", roles=[APPRAISER])
    appraisal = AppraisalFactory(lead_appraiser=lead)
    appraisal.team.set([lead, people.appraiser])
    return appraisal


def current(appraisal: Appraisal) -> Appraisal:
    return Appraisal.objects.get(pk=appraisal.pk)


def test_a_team_member_cannot_make_themselves_lead_through_the_api(led, people, api_as):
    url = f"/api/v1/appraisals/{led.pk}/"
    api = api_as(people.appraiser)
    for field, value in {
        "lead_appraiser": people.appraiser.pk,
        "sponsor": people.executive.pk,
        "team": [people.appraiser.pk],  # the lead dropped from the team
    }.items():
        response = api.patch(url, {field: value}, format="json")
        assert response.status_code == 403, (field, response.content)
        assert list(field_errors(response)) == [field]
    after = current(led)
    assert after.lead_appraiser.username == "lead"
    assert after.sponsor is None
    assert set(after.team.values_list("username", flat=True)) == {"lead", "appraiser"}
    # The rest of the appraisal is still the team's to write.
    ok = api.patch(url, {"resources": "Two rooms"}, format="json")
    assert ok.status_code == 200, ok.content
    assert current(led).resources == "Two rooms"


def test_the_process_group_chooses_lead_and_sponsor(led, people, api_as):
    qualify(people.appraiser)
    url = f"/api/v1/appraisals/{led.pk}/"
    response = api_as(people.epg).patch(
        url,
        {"lead_appraiser": people.appraiser.pk, "sponsor": people.executive.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    after = current(led)
    assert (after.lead_appraiser, after.sponsor) == (people.appraiser, people.executive)
    assert after.team.filter(pk=people.appraiser.pk).exists()


@pytest.mark.parametrize("field", ["sponsor", "lead_appraiser"])
def test_the_api_refuses_a_plain_member_as_sponsor_or_lead(led, people, api_as, field):
    url = f"/api/v1/appraisals/{led.pk}/"
    response = api_as(people.epg).patch(url, {field: people.member.pk}, format="json")
    assert response.status_code == 400, response.content
    assert field in field_errors(response)
    assert getattr(current(led), field) != people.member


def test_the_page_derives_the_same_rule(led, people):
    """The form's choices are the model's candidates; a forged choice is refused."""
    form = AppraisalForm(instance=led, user=people.epg)
    sponsors = form.fields["sponsor"].queryset  # type: ignore[attr-defined]
    assert list(sponsors) == list(Appraisal.sponsor_candidates())
    assert people.executive in sponsors and people.member not in sponsors
    led.sponsor = people.member
    assert "sponsor" in led.people_errors()


def test_a_team_member_sees_lead_sponsor_and_team_read_only(led, people, client_as):
    client = client_as(people.appraiser)
    form = AppraisalForm(instance=led, user=people.appraiser)
    assert {"lead_appraiser", "sponsor", "team"} <= set(form.read_only_fields)
    assert not form.fields["title"].disabled
    assert client.get(f"/appraisals/{led.pk}/fields/lead_appraiser/").status_code == 403
    assert client.get(f"/appraisals/{led.pk}/fields/planned_start/").status_code == 200
    detail = client.get(f"/appraisals/{led.pk}/").content.decode()
    assert f"/appraisals/{led.pk}/fields/lead_appraiser/" not in detail
    assert f"/appraisals/{led.pk}/fields/planned_start/" in detail
    forged = client.post(
        f"/appraisals/{led.pk}/fields/lead_appraiser/", {"lead_appraiser": people.appraiser.pk}
    )
    assert forged.status_code == 403
    assert current(led).lead_appraiser.username == "lead"
