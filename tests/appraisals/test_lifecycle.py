"""Each appraisal step's guard, allowed and refused, and the follow-up copy."""

from __future__ import annotations

import pytest

from appraisals import services
from appraisals.models import Appraisal, Finding, Rating
from opf.core.errors import TransitionRefused
from tests.appraisals.conftest import validate
from tests.appraisals.factories import FindingFactory, qualify
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def _state(appraisal: Appraisal) -> str:
    appraisal.refresh_from_db()
    return appraisal.state


def test_start_needs_a_lead_a_member_and_a_scope(setup, people, api_as):
    appraisal = setup.appraisal
    api = api_as(people.epg)
    appraisal.team.set([setup.lead])
    response = api.post(f"/api/v1/appraisals/{appraisal.pk}/start/")
    assert response.status_code == 409
    assert "at least one member besides the lead" in response.json()["detail"]
    appraisal.team.set([setup.lead, setup.member])
    appraisal.process_areas.clear()
    assert "process area" in api.post(f"/api/v1/appraisals/{appraisal.pk}/start/").json()["detail"]
    appraisal.process_areas.set([setup.area])
    appraisal.org_units.clear()
    appraisal.projects.clear()
    assert (
        "org unit or project"
        in api.post(f"/api/v1/appraisals/{appraisal.pk}/start/").json()["detail"]
    )
    assert _state(appraisal) == Appraisal.State.SCHEDULED
    appraisal.org_units.set([setup.unit])
    response = api.post(f"/api/v1/appraisals/{appraisal.pk}/start/")
    assert response.status_code == 200
    assert response.json()["state"] == "in_progress"
    assert response.json()["actual_start"]


def test_start_needs_a_lead(setup, people):
    Appraisal.objects.filter(pk=setup.appraisal.pk).update(lead_appraiser=None)
    setup.appraisal.refresh_from_db()
    with pytest.raises(TransitionRefused, match="lead appraiser"):
        services.appraisal_start(setup.appraisal, actor=people.epg)


def test_deliver_needs_a_finding_and_proposes_ratings(conducting, people, client_as):
    appraisal = conducting.appraisal
    page = client_as(conducting.lead).post(f"/appraisals/{appraisal.pk}/do/deliver/", follow=True)
    assert "Record at least one finding" in page.content.decode()
    assert _state(appraisal) == Appraisal.State.IN_PROGRESS
    FindingFactory(appraisal=appraisal, process_area=conducting.area)
    validate(appraisal, conducting.member)
    services.appraisal_deliver(appraisal, actor=conducting.lead)
    assert _state(appraisal) == Appraisal.State.FINDINGS_DELIVERED
    pairs = set(appraisal.ratings.values_list("process_area_id", "org_unit_id"))
    assert pairs == {
        (conducting.area.pk, conducting.unit.pk),
        (conducting.area.pk, conducting.other_unit.pk),
    }


def test_close_needs_every_rating_confirmed(conducting, people, api_as):
    appraisal = conducting.appraisal
    FindingFactory(appraisal=appraisal, process_area=conducting.area)
    validate(appraisal, conducting.member)
    services.appraisal_deliver(appraisal, actor=conducting.lead)
    api = api_as(conducting.lead)
    refused = api.post(f"/api/v1/appraisals/{appraisal.pk}/close/")
    assert refused.status_code == 409
    assert "2 not confirmed" in refused.json()["detail"]
    first, second = Rating.objects.filter(appraisal=appraisal)
    services.rating_confirm(first, value=first.proposed, actor=conducting.lead)
    assert (
        "1 not confirmed" in api.post(f"/api/v1/appraisals/{appraisal.pk}/close/").json()["detail"]
    )
    services.rating_confirm(second, value=second.proposed, actor=conducting.lead)
    closed = api.post(f"/api/v1/appraisals/{appraisal.pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"


def test_results_are_frozen_outside_in_progress(setup, people, api_as):
    api = api_as(people.epg)
    response = api.post(
        "/api/v1/findings/",
        {
            "appraisal": setup.appraisal.pk,
            "process_area": setup.area.pk,
            "kind": "weakness",
            "statement": "Too early",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "in progress" in field_errors(response)["appraisal"][0]
    assert not Finding.objects.exists()


def test_a_follow_up_copies_scope_and_team_in_one_step(setup, people, client_as):
    client = client_as(people.epg)
    response = client.post(f"/appraisals/{setup.appraisal.pk}/copy/")
    copy = Appraisal.objects.latest("pk")
    assert response.url == copy.get_absolute_url()
    assert copy.previous == setup.appraisal
    assert copy.state == Appraisal.State.PLANNED
    assert set(copy.team.all()) == {setup.lead, setup.member}
    assert list(copy.process_areas.all()) == [setup.area]
    assert set(copy.org_units.all()) == {setup.unit, setup.other_unit}
    assert list(copy.projects.all()) == [setup.project]
    assert (
        client_as(people.member).post(f"/appraisals/{setup.appraisal.pk}/copy/").status_code == 403
    )


def test_the_lead_is_always_on_the_team(people, client_as, api_as):
    qualify(people.appraiser)
    from tests.factories import ReferenceModelFactory

    model = ReferenceModelFactory()
    client = client_as(people.epg)
    response = client.post(
        "/appraisals/add/",
        {
            "title": "Team check",
            "method": "scampi_c",
            "reference_model": model.pk,
            "lead_appraiser": people.appraiser.pk,
            "planned_start": "2026-03-02",
            "planned_end": "2026-03-06",
        },
    )
    assert response.status_code == 302
    appraisal = Appraisal.objects.get(title="Team check")
    assert list(appraisal.team.all()) == [people.appraiser]
    created = api_as(people.epg).post(
        "/api/v1/appraisals/",
        {
            "title": "API team",
            "method": "scampi_c",
            "reference_model": model.pk,
            "lead_appraiser": people.appraiser.pk,
            "team": [people.epg.pk],
            "planned_start": "2026-03-02",
            "planned_end": "2026-03-06",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert set(created.json()["team"]) == {people.appraiser.pk, people.epg.pk}


def test_scope_and_team_rules_hold_on_partial_api_updates(setup, people, api_as):
    """The rules come from appraisals.services; the API reads what a PATCH leaves out."""
    from tests.factories import ReferenceModelFactory

    url = f"/api/v1/appraisals/{setup.appraisal.pk}/"
    api = api_as(people.epg)
    qualify(people.appraiser)
    moved = api.patch(url, {"reference_model": ReferenceModelFactory().pk}, format="json")
    assert moved.status_code == 400 and list(field_errors(moved)) == ["process_areas"]
    assert api.patch(url, {"lead_appraiser": people.appraiser.pk}, format="json").status_code == 200
    assert set(setup.appraisal.team.all()) == {setup.lead, setup.member, people.appraiser}
    derived = services.check_scope_and_team(setup.appraisal, {"team": [setup.member]})
    assert derived == {"team": [setup.member, setup.appraisal.lead_appraiser]}
    assert services.check_scope_and_team(setup.appraisal, {"title": "x"}) == {}
