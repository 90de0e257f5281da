"""A closed appraisal is locked with everything in it (#21, finding 4); reopening it
takes a reason that history keeps, and its lead appraiser (#18: a Class A's ratings
are the lead's), or for a class that does not rate, the process group too."""

from __future__ import annotations

import pytest

from appraisals import services
from appraisals.models import Appraisal, Characterization, Finding, Rating
from opf.core.errors import TransitionRefused
from tests.appraisals.factories import RatingFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(conducting):
    """The conducting setup, closed, with a confirmed rating and a recommendation."""
    appraisal = conducting.appraisal
    RatingFactory(
        appraisal=appraisal,
        process_area=conducting.area,
        org_unit=conducting.unit,
        value="satisfied",
    )
    RecommendationFactory(appraisal=appraisal, statement="Keep plans current")
    Appraisal.objects.filter(pk=appraisal.pk).update(state=Appraisal.State.CLOSED)
    appraisal.refresh_from_db()
    return conducting


def test_a_closed_appraisals_title_dates_team_and_recommendations_do_not_change_in_the_api(
    closed, people, api_as
):
    appraisal = closed.appraisal
    api = api_as(people.epg)
    url = f"/api/v1/appraisals/{appraisal.pk}/"
    for change in (
        {"title": "Rewritten"},
        {"planned_start": "2026-01-05"},
        {"team": [people.epg.pk]},
        {"projects": []},
    ):
        response = api.patch(url, change, format="json")
        assert response.status_code == 409, change
        assert "closed" in response.json()["detail"]
    appraisal.refresh_from_db()
    assert appraisal.title != "Rewritten" and str(appraisal.planned_start) == "2026-03-02"
    assert set(appraisal.team.all()) == {closed.lead, closed.member}
    assert list(appraisal.projects.all()) == [closed.project]
    recommendation = appraisal.recommendations.get()
    response = api.patch(
        f"/api/v1/recommendations/{recommendation.pk}/", {"statement": "Other"}, format="json"
    )
    assert response.status_code == 409
    recommendation.refresh_from_db()
    assert recommendation.statement == "Keep plans current"


def test_the_services_that_write_a_closed_appraisals_results_are_refused(closed):
    appraisal, lead = closed.appraisal, closed.lead
    rating = appraisal.ratings.get()
    with pytest.raises(TransitionRefused):
        services.rating_confirm(rating, value="not_satisfied", reason="Changed mind", actor=lead)
    with pytest.raises(TransitionRefused):
        services.ratings_refresh(appraisal)
    with pytest.raises(TransitionRefused):
        services.characterize(
            appraisal=appraisal,
            practice=closed.practices[0],
            instance=f"u{closed.unit.pk}",
            value=Characterization.Value.FI,
            actor=lead,
        )
    csv = "process_area,kind,statement\nPP,weakness,Imported after closing\n"
    with pytest.raises(TransitionRefused):
        services.import_findings_csv(appraisal, csv, actor=lead)
    rating.refresh_from_db()
    assert rating.value == "satisfied"
    assert not Characterization.objects.filter(appraisal=appraisal).exists()
    assert not Finding.objects.filter(appraisal=appraisal).exists()
    assert Rating.objects.filter(appraisal=appraisal).count() == 1


def test_a_closed_appraisals_page_shows_why_and_offers_reopen_not_edit(closed, client_as):
    page = client_as(closed.lead).get(closed.appraisal.get_absolute_url()).content.decode()
    assert 'id="locked"' in page
    assert "Its lead appraiser may reopen it, giving a reason" in page
    assert f"/appraisals/{closed.appraisal.pk}/edit/" not in page
    assert f"/appraisals/{closed.appraisal.pk}/do/reopen/" in page


def test_reopen_needs_a_reason_and_the_lead_of_a_class_a(closed, people, api_as):
    appraisal = closed.appraisal
    url = f"/api/v1/appraisals/{appraisal.pk}/reopen/"
    assert api_as(closed.member).post(url, {"reason": "I want to"}).status_code == 403
    refused = api_as(people.epg).post(url, {"reason": "A rating was miscounted"})
    assert refused.status_code == 403 and "Class A" in refused.json()["detail"]
    assert api_as(closed.lead).post(url, {"reason": " "}).status_code == 409
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.CLOSED
    response = api_as(closed.lead).post(url, {"reason": "A rating was miscounted"})
    assert response.status_code == 200
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.IN_PROGRESS and appraisal.actual_end is None
    assert appraisal.history.first().history_change_reason == "A rating was miscounted"


def test_the_process_group_reopens_a_class_that_does_not_rate(closed, people, api_as):
    appraisal = closed.appraisal
    Appraisal.objects.filter(pk=appraisal.pk).update(method=Appraisal.Method.SCAMPI_B)
    url = f"/api/v1/appraisals/{appraisal.pk}/reopen/"
    assert api_as(closed.member).post(url, {"reason": "I want to"}).status_code == 403
    response = api_as(people.epg).post(url, {"reason": "Late interview notes"})
    assert response.status_code == 200
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.IN_PROGRESS


def test_after_the_lead_reopens_it_in_the_page_it_can_be_changed_again(closed, client_as, api_as):
    appraisal = closed.appraisal
    client = client_as(closed.lead)
    response = client.post(
        f"/appraisals/{appraisal.pk}/do/reopen/", {"reason": "Late evidence"}, follow=True
    )
    assert response.status_code == 200
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.IN_PROGRESS
    history = client.get(f"{appraisal.get_absolute_url()}#history").content.decode()
    assert "Late evidence" in history
    changed = api_as(closed.lead).patch(
        f"/api/v1/appraisals/{appraisal.pk}/", {"title": "Corrected"}, format="json"
    )
    assert changed.status_code == 200
    rating = appraisal.ratings.get()
    services.rating_confirm(
        rating, value="not_satisfied", reason="Late evidence", actor=closed.lead
    )
    rating.refresh_from_db()
    assert rating.value == "not_satisfied"
