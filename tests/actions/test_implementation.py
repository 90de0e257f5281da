"""SP 2.2: commitments negotiated and revised with history, issues tracked to
closure with a resolution, review meetings with follow-up items."""

from __future__ import annotations

import pytest

from actions import services
from actions.models import ActionItem, Commitment, PlanIssue
from opf.core.errors import TransitionRefused
from tests.actions.factories import CommitmentFactory, PlanIssueFactory, PlanMeetingFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def test_a_commitment_is_agreed_revised_and_kept_with_history(people, client_as):
    commitment = CommitmentFactory()
    services.commitment_agree(commitment, actor=people.epg)
    with pytest.raises(TransitionRefused, match="reason"):
        services.commitment_revise(commitment, actor=people.epg)
    services.commitment_revise(commitment, actor=people.epg, reason="Only one tester now.")
    with pytest.raises(TransitionRefused):
        services.commitment_keep(commitment, actor=people.epg)  # revised: agree first
    services.commitment_agree(commitment, actor=people.epg)
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.commitment_keep(commitment, actor=people.member)
    services.commitment_keep(commitment, actor=people.epg)
    assert Commitment.objects.get(pk=commitment.pk).status == "kept"
    reasons = list(commitment.history.values_list("history_change_reason", flat=True))
    assert "Only one tester now." in reasons
    page = client_as(people.member).get(commitment.get_absolute_url()).content.decode()
    assert "Only one tester now." in page


def test_an_issue_closes_only_with_a_resolution(people, api_as):
    issue = PlanIssueFactory(owner=people.pm)
    api = api_as(people.epg)
    url = f"/api/v1/plan-issues/{issue.pk}"
    assert api.post(f"{url}/work/", {}, format="json").json()["status"] == "in_work"
    assert api.post(f"{url}/close/", {"reason": ""}, format="json").status_code == 409
    assert PlanIssue.objects.get(pk=issue.pk).status == "in_work"
    closed = api.post(f"{url}/close/", {"reason": "Licence renewed."}, format="json").json()
    assert (closed["status"], closed["resolution"]) == ("closed", "Licence renewed.")
    assert (
        api_as(people.pm).post(f"{url}/reopen/", {"reason": "x"}, format="json").status_code == 403
    )
    edited = api.patch(f"{url}/", {"status": "open"}, format="json")
    assert edited.status_code == 400 and "status" in field_errors(edited)
    assert PlanIssue.objects.get(pk=issue.pk).status == "closed"


def test_a_meeting_creates_follow_up_items(people, client_as):
    meeting = PlanMeetingFactory()
    client = client_as(people.epg)
    response = client.post(
        f"/plan-meetings/{meeting.pk}/follow-ups/",
        {"title": "Escalate the licence", "assignee": people.pm.pk, "due": "2026-12-01"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(meeting=meeting)
    assert (item.plan_id, item.assignee, item.title) == (
        meeting.plan_id,
        people.pm,
        "Escalate the licence",
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Escalate the licence" in page
    client.post(f"/plan-meetings/{meeting.pk}/follow-ups/", {"title": ""})
    assert ActionItem.objects.filter(meeting=meeting).count() == 1
    assert (
        client_as(people.member)
        .post(f"/plan-meetings/{meeting.pk}/follow-ups/", {"title": "Mine"})
        .status_code
        == 403
    )
