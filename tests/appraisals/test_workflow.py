"""opf.core.workflow through the Appraisal: allowed moves, refusals (409 with a message,
nothing changed), required reasons, permissions and the compare-and-set."""

from __future__ import annotations

import pytest

from appraisals import services
from appraisals.models import Appraisal
from opf.core.errors import TransitionRefused
from tests.appraisals.factories import AppraisalFactory
from tests.problems import problem

pytestmark = pytest.mark.django_db


def test_an_allowed_move_changes_the_state_and_writes_history(people):
    appraisal = AppraisalFactory()
    services.appraisal_schedule(appraisal, actor=people.epg, reason="Dates agreed")
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.SCHEDULED
    latest = appraisal.history.first()
    assert latest.history_user == people.epg
    assert latest.history_change_reason == "Dates agreed"
    assert latest.state == Appraisal.State.SCHEDULED


def test_a_move_from_the_wrong_state_is_refused_in_the_api_with_409(people, api_as):
    appraisal = AppraisalFactory()
    response = api_as(people.epg).post(f"/api/v1/appraisals/{appraisal.pk}/deliver/")
    assert response.status_code == 409
    assert "cannot be done now" in response.json()["detail"]
    assert "planned" in response.json()["detail"]
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.PLANNED
    assert appraisal.history.count() == 1


def test_a_guard_refuses_with_its_message_in_page_and_api(people, api_as, client_as):
    appraisal = AppraisalFactory(planned_start=None, planned_end=None)
    response = api_as(people.epg).post(f"/api/v1/appraisals/{appraisal.pk}/schedule/")
    assert response.status_code == 409
    assert problem(response)["detail"] == "Set the planned start and end dates before scheduling."
    assert problem(response)["code"] == "refused"
    page = client_as(people.epg).post(f"/appraisals/{appraisal.pk}/do/schedule/", follow=True)
    assert "Set the planned start and end dates before scheduling." in page.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.PLANNED


def test_a_reason_is_required_to_cancel(people, api_as, client_as):
    appraisal = AppraisalFactory()
    api = api_as(people.epg)
    refused = api.post(f"/api/v1/appraisals/{appraisal.pk}/cancel/", {"reason": "  "})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Give a reason for this step."
    page = client_as(people.epg).post(f"/appraisals/{appraisal.pk}/do/cancel/", follow=True)
    assert "Give a reason for this step." in page.content.decode()
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.PLANNED
    done = api.post(f"/api/v1/appraisals/{appraisal.pk}/cancel/", {"reason": "Budget cut"})
    assert done.status_code == 200
    assert done.json()["state"] == "cancelled"
    assert appraisal.history.first().history_change_reason == "Budget cut"


@pytest.mark.parametrize("role", ["executive", "member", "appraiser", "pm"])
def test_who_may_not_change_the_appraisal_may_not_move_it(role, people, api_as, client_as):
    appraisal = AppraisalFactory()
    user = people.by_role(role)
    response = api_as(user).post(f"/api/v1/appraisals/{appraisal.pk}/schedule/")
    assert response.status_code == 403  # refused before the step's own checks run
    page = client_as(user).get(appraisal.get_absolute_url()).content.decode()
    assert f"/appraisals/{appraisal.pk}/do/schedule/" not in page
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.PLANNED


def test_the_team_lead_may_move_the_appraisal(people):
    appraisal = AppraisalFactory(lead_appraiser=people.appraiser)
    appraisal.team.add(people.appraiser)
    services.appraisal_schedule(appraisal, actor=people.appraiser)
    assert appraisal.state == Appraisal.State.SCHEDULED


def test_the_page_offers_only_the_moves_of_the_current_state(people, client_as):
    appraisal = AppraisalFactory()
    page = client_as(people.epg).get(appraisal.get_absolute_url()).content.decode()
    assert f"/appraisals/{appraisal.pk}/do/schedule/" in page
    assert f"/appraisals/{appraisal.pk}/do/cancel/" in page
    assert f"/appraisals/{appraisal.pk}/do/start/" not in page


def test_concurrent_moves_compare_and_set_only_one_wins(people):
    appraisal = AppraisalFactory()
    first = Appraisal.objects.get(pk=appraisal.pk)
    stale = Appraisal.objects.get(pk=appraisal.pk)
    services.appraisal_schedule(first, actor=people.epg)
    with pytest.raises(TransitionRefused, match="Someone else changed this record"):
        Appraisal.workflow.run(stale, "schedule", actor=people.epg)
    with pytest.raises(TransitionRefused, match="Someone else changed this record"):
        services.appraisal_cancel(stale, actor=people.epg, reason="late")
    appraisal.refresh_from_db()
    assert appraisal.state == Appraisal.State.SCHEDULED
    assert appraisal.history.count() == 2


def test_an_unknown_move_is_404_in_the_page(people, client_as):
    appraisal = AppraisalFactory()
    assert client_as(people.epg).post(f"/appraisals/{appraisal.pk}/do/explode/").status_code == 404
