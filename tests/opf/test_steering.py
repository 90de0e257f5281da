"""Steering meetings, decisions, follow-ups, program documents; the frozen briefing;
meeting reminders and calendar entries."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from deployment.models import AssetVersion
from opf.core.calendar import events_for
from opf.core.errors import TransitionRefused
from opf.documents.models import Document
from opf.documents.services import document_render
from opf.notifications.models import Notification
from opf.notifications.services import send_due_reminders
from opf.steering import services
from opf.steering.documents import briefing_context
from opf.steering.models import FollowUp, ProgramDocument, SteeringMeeting
from tests.deployment.factories import ReleasedVersionFactory
from tests.opf.steering_factories import (
    FollowUpFactory,
    ProgramDocumentFactory,
    SteeringMeetingFactory,
)

pytestmark = pytest.mark.django_db


def released_this_month(n: int) -> None:
    for version in ReleasedVersionFactory.create_batch(n):
        AssetVersion.objects.filter(pk=version.pk).update(released_at=timezone.now())


def test_a_frozen_briefing_does_not_change_when_data_changes(
    people, django_capture_on_commit_callbacks
):
    released_this_month(2)
    meeting = SteeringMeetingFactory(scheduled_at=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=False):
        document = services.briefing_document(meeting, actor=people.epg)
    meeting.refresh_from_db()
    frozen = meeting.briefing_figures
    assert frozen["momentum"]["totals"][-1] == 2
    assert meeting.history.first().history_change_reason == "Briefing frozen"

    released_this_month(3)  # later data
    meeting.refresh_from_db()
    assert meeting.briefing_figures == frozen
    context = briefing_context(meeting)
    momentum = next(p for p in context["panels"] if p.panel.slug == "momentum")
    assert momentum.figures["totals"][-1] == 2
    # the chart's table: month, then one column per series (their sum is the total)
    assert sum(int(v) for v in momentum.charts["momentum"].table.rows[-1][1:]) == 2

    assert document_render(document.pk) is True
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    with document.file.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Steering committee briefing" in text and "Momentum per month" in text

    # Once the meeting is held, its briefing is history: no refreeze.
    SteeringMeeting.objects.filter(pk=meeting.pk).update(state="held")
    meeting.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.freeze_briefing(meeting, actor=people.epg)


def test_briefing_page_and_api(people, client_as, api_as, django_capture_on_commit_callbacks):
    meeting = SteeringMeetingFactory()
    url = f"/steering-meetings/{meeting.pk}/briefing/"
    assert client_as(people.member).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        response = client_as(people.epg).post(url)
    document = Document.objects.get(kind="steering_briefing")
    assert response.url == document.get_absolute_url()
    detail = client_as(people.executive).get(meeting.get_absolute_url()).content.decode()
    assert document.get_absolute_url() in detail
    with django_capture_on_commit_callbacks(execute=False):
        api = api_as(people.epg).post(f"/api/v1/meetings/{meeting.pk}/briefing/")
    assert api.status_code == 202
    assert set(api.json()["figures"]) >= {"maturity", "momentum", "institutionalization"}
    assert (
        api_as(people.executive).post(f"/api/v1/meetings/{meeting.pk}/briefing/").status_code == 403
    )


def test_meeting_can_be_held_only_once_started(people, api_as):
    later = SteeringMeetingFactory(scheduled_at=timezone.now() + timedelta(hours=1))
    response = api_as(people.epg).post(f"/api/v1/meetings/{later.pk}/hold/", {}, format="json")
    assert response.status_code == 409
    earlier = SteeringMeetingFactory(scheduled_at=timezone.now() - timedelta(hours=1))
    response = api_as(people.epg).post(f"/api/v1/meetings/{earlier.pk}/hold/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "held"
    cancel = api_as(people.epg).post(f"/api/v1/meetings/{later.pk}/cancel/", {}, format="json")
    assert cancel.status_code == 409  # a reason is required


def test_follow_up_owner_completes_it(people, api_as, client_as):
    item = FollowUpFactory(owner=people.executive)
    other = FollowUpFactory()
    api = api_as(people.executive)
    done = api.post(f"/api/v1/follow-ups/{item.pk}/complete/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    item.refresh_from_db()
    assert item.completed_at is not None
    assert api.post(f"/api/v1/follow-ups/{other.pk}/complete/", {}, format="json").status_code in (
        403,
        409,
    )
    other.refresh_from_db()
    assert other.status == FollowUp.Status.OPEN
    page = client_as(people.epg).post(
        f"/follow-ups/{other.pk}/do/drop/", {"reason": "Overtaken by events"}
    )
    assert page.status_code == 302
    other.refresh_from_db()
    assert other.status == FollowUp.Status.DROPPED


def test_approving_a_policy_supersedes_the_previous_revision(people, api_as):
    first = ProgramDocumentFactory(kind="policy")
    second = ProgramDocumentFactory(kind="policy")
    assert (first.revision, second.revision) == (1, 2)
    for document in (first, second):
        services.program_document_submit(document, actor=people.epg)
    api = api_as(people.executive)
    assert (
        api.post(f"/api/v1/program-documents/{first.pk}/approve/", {}, format="json").status_code
        == 200
    )
    assert (
        api.post(f"/api/v1/program-documents/{second.pk}/approve/", {}, format="json").status_code
        == 200
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "approved")
    assert second.approved_by == people.executive
    # Approved text is read-only; members cannot approve.
    assert api.patch(
        f"/api/v1/program-documents/{second.pk}/", {"title": "x"}, format="json"
    ).status_code in (403, 409)
    assert (
        api_as(people.epg)
        .patch(f"/api/v1/program-documents/{second.pk}/", {"title": "x"}, format="json")
        .status_code
        == 409
    )
    draft = ProgramDocumentFactory(kind="policy")
    services.program_document_submit(draft, actor=people.epg)
    assert api_as(people.member).post(
        f"/api/v1/program-documents/{draft.pk}/approve/", {}, format="json"
    ).status_code in (403, 409)
    assert ProgramDocument.objects.get(pk=draft.pk).state == "submitted"


def test_meeting_reminder_goes_to_attendees_with_the_briefing(people):
    meeting = SteeringMeetingFactory(
        scheduled_at=timezone.now() + timedelta(days=2), chair=people.executive
    )
    meeting.attendees.add(people.epg, people.member)
    briefing = Document.objects.create(
        kind="steering_briefing", subject_id=meeting.pk, title="b", status=Document.Status.DONE
    )
    far = SteeringMeetingFactory(scheduled_at=timezone.now() + timedelta(days=30))
    far.attendees.add(people.epg)
    sent = send_due_reminders("steering_meeting_coming_up", lead_days=3)
    assert sent == 3
    notes = Notification.objects.filter(kind="steering_meeting_coming_up")
    assert {n.recipient for n in notes} == {people.executive, people.epg, people.member}
    assert all(n.url == briefing.get_absolute_url() for n in notes)
    assert send_due_reminders("steering_meeting_coming_up", lead_days=3) == 0  # once per meeting


def test_meetings_are_in_the_attendees_calendar(people):
    meeting = SteeringMeetingFactory(title="Q4 review")
    meeting.attendees.add(people.member)
    cancelled = SteeringMeetingFactory(title="Dropped", state="cancelled")
    cancelled.attendees.add(people.member)
    titles = [e.title for e in events_for(people.member)]
    assert "Steering committee: Q4 review" in titles
    assert all("Dropped" not in t for t in titles)
    assert not [e for e in events_for(people.other_pm) if "Q4 review" in e.title]


def test_each_new_revision_of_a_kind_is_numbered_through_page_and_api(people, api_as, client_as):
    """Revisions are numbered by the model's validation, which every door runs: a
    second and third policy through the API and the page are revisions 2 and 3,
    never a 400 about (kind, revision)."""
    api = api_as(people.epg)
    body = {"kind": "policy", "title": "Policy", "text": "We improve."}
    first = api.post("/api/v1/program-documents/", body, format="json")
    second = api.post("/api/v1/program-documents/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert (first.json()["revision"], second.json()["revision"]) == (1, 2)
    page = client_as(people.epg).post(
        "/program-documents/add/", {"kind": "policy", "title": "Policy", "text": "Again."}
    )
    assert page.status_code == 302, page.content
    assert list(
        ProgramDocument.objects.filter(kind="policy").values_list("revision", flat=True)
    ) == [3, 2, 1]
    # the plan's numbering is its own
    assert (
        api.post("/api/v1/program-documents/", {**body, "kind": "plan"}, format="json").json()[
            "revision"
        ]
        == 1
    )


@pytest.mark.parametrize("kind", ["policy", "plan"])
def test_the_process_group_cannot_approve_its_own_policy_or_plan(kind, people, api_as, client_as):
    """#20, separation of duties: the process group drafts and submits the policy and
    the improvement plan; only an executive approves them, in the page and the API."""
    document = ProgramDocumentFactory(kind=kind)
    services.program_document_submit(document, actor=people.epg)
    refused = api_as(people.epg).post(
        f"/api/v1/program-documents/{document.pk}/approve/", {}, format="json"
    )
    assert refused.status_code == 403, refused.content
    page = client_as(people.epg).post(f"/program-documents/{document.pk}/do/approve/", {})
    assert page.status_code == 403
    assert ProgramDocument.objects.get(pk=document.pk).state == "submitted"
    approved = api_as(people.executive).post(
        f"/api/v1/program-documents/{document.pk}/approve/", {}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert ProgramDocument.objects.get(pk=document.pk).approved_by == people.executive
