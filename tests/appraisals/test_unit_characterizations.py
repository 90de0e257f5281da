"""Organizational-unit characterization per practice (#18, SCAMPI A v1.2 2.4.2): the
aggregation proposes it from the instances (NY left out), the team confirms it, and a
value departing from the proposal needs a reason kept in history. Worked examples in
the service, the page and the API."""

from __future__ import annotations

import pytest

from appraisals import queries, services
from appraisals.models import Appraisal, PracticeCharacterization
from opf.core.errors import TransitionRefused
from tests.appraisals.conftest import Setup, cover
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def _characterize(s: Setup, place: str, values: list[str]) -> None:
    for practice, value in zip(s.practices, values, strict=True):
        services.characterize(
            appraisal=s.appraisal, practice=practice, instance=place, value=value, actor=s.lead
        )


@pytest.fixture
def proposed(conducting: Setup) -> Setup:
    """avionics (FI, PI) and its project fms (LI, NY); ground (NY, NY)."""
    s = conducting
    cover(s)
    _characterize(s, f"u{s.unit.pk}", ["FI", "PI"])
    _characterize(s, f"p{s.project.pk}", ["LI", "NY"])
    _characterize(s, f"u{s.other_unit.pk}", ["NY", "NY"])
    services.unit_characterizations_propose(s.appraisal, actor=s.member)
    return s


def _row(s: Setup, practice: int, unit=None) -> PracticeCharacterization:
    return PracticeCharacterization.objects.get(
        appraisal=s.appraisal, practice=s.practices[practice], org_unit=unit or s.unit
    )


def test_the_aggregation_proposes_one_value_per_practice_and_unit(proposed):
    s = proposed
    # SP 1.1: FI and LI -> LI; SP 1.2: PI, with the project's NY left out -> PI.
    assert _row(s, 0).proposed == "LI"
    assert _row(s, 1).proposed == "PI"
    # ground: every instance NY -> no value yet (not determined).
    assert _row(s, 0, s.other_unit).proposed == ""
    assert not _row(s, 0).confirmed


def test_the_team_confirms_the_proposal_without_a_reason(proposed):
    s = proposed
    row = services.unit_characterization_confirm(_row(s, 0), value="LI", actor=s.member)
    assert (row.value, row.reason, row.confirmed_by) == ("LI", "", s.member)
    assert not row.departs


def test_departing_from_the_proposal_needs_a_reason_kept_in_history(proposed):
    s = proposed
    with pytest.raises(Exception) as refused:
        services.unit_characterization_confirm(_row(s, 1), value="LI", actor=s.member)
    assert "reason" in refused.value.message_dict  # type: ignore[attr-defined]
    assert _row(s, 1).value == ""
    reason = "The PI instance is a pilot project outside the sampled lifecycle."
    row = services.unit_characterization_confirm(
        _row(s, 1), value="LI", reason=reason, actor=s.member
    )
    assert row.departs and row.reason == reason
    last = row.history.first()
    assert (last.value, last.reason, last.history_user) == ("LI", reason, s.member)
    assert last.history_change_reason == "Departed from the proposal"


def test_the_confirmed_unit_value_decides_the_goal(proposed):
    """SP 1.2 is PI at unit level (goal not satisfied); the team's LI, with its reason,
    makes the (loose) goal satisfied."""
    s = proposed
    area_key = (s.area.pk, s.unit.pk)
    assert queries.rating_proposals_in_full(s.appraisal).areas[area_key] == "not_satisfied"
    services.unit_characterization_confirm(_row(s, 1), value="LI", reason="pilot", actor=s.lead)
    assert queries.rating_proposals_in_full(s.appraisal).areas[area_key] == "satisfied"


def test_a_moved_proposal_resets_a_plain_confirmation_but_keeps_a_reasoned_one(proposed):
    s = proposed
    services.unit_characterization_confirm(_row(s, 0), value="LI", actor=s.member)
    services.unit_characterization_confirm(_row(s, 1), value="LI", reason="pilot", actor=s.member)
    _characterize(s, f"u{s.unit.pk}", ["PI", "NI"])  # SP 1.1: PI, LI -> PI; SP 1.2: NI, NY -> NI
    services.ratings_refresh(s.appraisal)
    first, second = _row(s, 0), _row(s, 1)
    assert (first.proposed, first.value) == ("PI", "")  # to be confirmed again
    assert first.history.first().history_change_reason == "Proposal changed: to be confirmed again"
    assert (second.proposed, second.value, second.reason) == ("NI", "LI", "pilot")


def test_only_the_team_confirms_while_in_progress(proposed, people):
    s = proposed
    with pytest.raises(Exception) as refused:
        services.unit_characterization_confirm(_row(s, 0), value="LI", actor=people.epg)
    assert type(refused.value).__name__ == "PermissionDenied"
    Appraisal.objects.filter(pk=s.appraisal.pk).update(state=Appraisal.State.CLOSED)
    with pytest.raises(TransitionRefused):
        services.unit_characterization_confirm(_row(s, 0), value="LI", actor=s.member)
    assert _row(s, 0).value == ""


def test_the_page_shows_the_rule_and_confirms_without_javascript(proposed, client_as):
    s = proposed
    client = client_as(s.member)
    url = f"/appraisals/{s.appraisal.pk}/unit-characterizations/"
    page = client.get(url).content.decode()
    assert "2.4.2" in page and "needs the team&#x27;s reason" in page
    assert f'id="pc-{_row(s, 1).pk}"' in page
    confirm = f"/unit-characterizations/{_row(s, 1).pk}/confirm/"
    refused = client.post(confirm, {"value": "FI", "reason": ""}, follow=True)
    assert "departs from the proposal (PI): give the team&#x27;s reason" in refused.content.decode()
    assert _row(s, 1).value == ""
    client.post(confirm, {"value": "FI", "reason": "Retrospective records found"})
    assert (_row(s, 1).value, _row(s, 1).reason) == ("FI", "Retrospective records found")
    page = client.get(url).content.decode()
    assert "Retrospective records found" in page and "departs from the proposal" in page


def test_the_page_offers_no_confirmation_off_the_team(proposed, people, client_as):
    s = proposed
    client = client_as(people.epg)
    page = client.get(f"/appraisals/{s.appraisal.pk}/unit-characterizations/").content.decode()
    assert "Only the appraisal team confirms" in page
    assert "/confirm/" not in page
    client.post(f"/unit-characterizations/{_row(s, 0).pk}/confirm/", {"value": "FI"})
    assert _row(s, 0).value == ""


def test_the_api_resource_confirms_with_the_same_rule(proposed, people, api_as):
    s = proposed
    api = api_as(s.member)
    listed = api.get(f"/api/v1/practice-characterizations/?appraisal={s.appraisal.pk}").json()
    by_pk = {row["id"]: row for row in listed["results"]}
    row = _row(s, 1)
    assert by_pk[row.pk]["proposed"] == "PI" and by_pk[row.pk]["value"] == ""
    url = f"/api/v1/practice-characterizations/{row.pk}/confirm/"
    bad = api.post(url, {"value": "LI"}, format="json")
    assert bad.status_code == 400 and "reason" in field_errors(bad), bad.content
    ok = api.post(url, {"value": "LI", "reason": "pilot"}, format="json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["value"], ok.json()["departs"]) == ("LI", True)
    assert api_as(people.epg).post(url, {"value": "PI"}, format="json").status_code == 403
    history = api.get(f"/api/v1/practice-characterizations/{row.pk}/history/").json()
    assert any("pilot" in str(entry) for entry in history)
    fresh = api.post(f"/api/v1/appraisals/{s.appraisal.pk}/refresh-unit-characterizations/")
    assert fresh.status_code == 200 and len(fresh.json()) == 4


def test_the_schema_has_the_resource(api_as, people):
    schema = api_as(people.member).get("/api/v1/schema/?format=json").json()
    assert "/api/v1/practice-characterizations/{id}/confirm/" in schema["paths"]
