"""Action items in reminders and calendar feeds; the action plan as a PDF and
its chapters in the process improvement plan; the demo's plans and pilots."""

from __future__ import annotations

import io
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from pypdf import PdfReader

from actions import services
from actions.calendar import events_for
from actions.models import ActionItem, Pilot, ProcessActionPlan
from opf.documents.models import Document
from opf.documents.services import document_render
from opf.notifications.services import send_due_reminders
from tests.actions.factories import (
    ActionItemFactory,
    MilestoneFactory,
    PilotFactory,
    PlanMeetingFactory,
    PlanTeamMemberFactory,
    ProcessActionPlanFactory,
    SuccessCriterionFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_items_due_soon_remind_assignee_and_owner_once(people):
    plan = ProcessActionPlanFactory(owner=people.epg)
    ActionItemFactory(plan=plan, assignee=people.member, due=TODAY + timedelta(days=2))
    ActionItemFactory(plan=plan, assignee=people.member, due=TODAY + timedelta(days=9))
    done = ActionItemFactory(plan=plan, assignee=people.member, due=TODAY + timedelta(days=1))
    ActionItem.objects.filter(pk=done.pk).update(status="done")
    assert send_due_reminders("action-item-due", lead_days=3, today=TODAY) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people.epg.email, people.member.email])
    assert send_due_reminders("action-item-due", lead_days=3, today=TODAY) == 0


def test_overdue_items_remind_once_per_due_date(people):
    plan = ProcessActionPlanFactory(owner=people.epg)
    late = ActionItemFactory(plan=plan, assignee=people.pm, due=TODAY - timedelta(days=1))
    cancelled = ProcessActionPlanFactory()
    ActionItemFactory(plan=cancelled, assignee=people.pm, due=TODAY - timedelta(days=1))
    ProcessActionPlan.objects.filter(pk=cancelled.pk).update(state="cancelled")
    assert send_due_reminders("action-item-overdue", today=TODAY) == 2  # pm and the owner
    assert send_due_reminders("action-item-overdue", today=TODAY) == 0
    ActionItem.objects.filter(pk=late.pk).update(due=TODAY - timedelta(days=2))  # a new due event
    assert send_due_reminders("action-item-overdue", today=TODAY) == 2


def test_calendar_has_my_items_my_plans_milestones_and_meetings(people):
    plan = ProcessActionPlanFactory(owner=people.epg)
    PlanTeamMemberFactory(plan=plan, user=people.member)
    item = ActionItemFactory(plan=plan, assignee=people.member, due=TODAY)
    milestone = MilestoneFactory(plan=plan, due=TODAY + timedelta(days=5))
    meeting = PlanMeetingFactory(plan=plan, date=TODAY + timedelta(days=1))
    ActionItemFactory(assignee=people.pm)
    uids = {e.uid for e in events_for(people.member)}
    assert uids == {
        f"action-item-{item.pk}",
        f"milestone-{milestone.pk}",
        f"plan-meeting-{meeting.pk}",
    }
    assert f"action-item-{item.pk}" not in {e.uid for e in events_for(people.pm)}


def pdf_text(document: Document) -> str:
    assert document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_action_plan_pdf_has_team_items_milestones_and_timeline(people):
    plan = ProcessActionPlanFactory(title="Estimation rollout", owner=people.epg)
    PlanTeamMemberFactory(plan=plan, user=people.member, role="Practitioner")
    ActionItemFactory(plan=plan, title="Calibrate the model", due=date(2027, 1, 15))
    MilestoneFactory(plan=plan, title="Model calibrated", due=date(2027, 2, 1))
    document = Document.objects.create(
        kind="process_action_plan", title="PAP", requested_by=people.epg, subject_id=plan.pk
    )
    text = pdf_text(document)
    for expected in (
        "Contents",
        "Estimation rollout",
        "Practitioner",
        "Calibrate the model",
        "15 Jan 2027",
        "Model calibrated",
        "Timeline",
    ):
        assert expected in text, expected


def test_the_plan_page_requests_the_pdf(people, client_as):
    plan = ProcessActionPlanFactory()
    client = client_as(people.member)
    response = client.post(
        "/documents/new/", {"kind": "process_action_plan", "subject_id": plan.pk}
    )
    assert response.status_code == 302
    assert Document.objects.get().subject_id == plan.pk
    assert 'value="process_action_plan"' in client.get(plan.get_absolute_url()).content.decode()


def test_the_improvement_plan_has_action_and_pilot_planning_chapters(people):
    plan = ProcessActionPlanFactory(title="Traceability rollout")
    pilot = PilotFactory(action_plan=plan, title="Trace links on Atlas")
    SuccessCriterionFactory(pilot=pilot, measure="Linked requirements")
    services.plan_cancel(
        ProcessActionPlanFactory(title="Dropped idea"), actor=people.epg, reason="x"
    )
    document = Document.objects.create(
        kind="improvement_plan", title="Plan", requested_by=people.epg
    )
    text = pdf_text(document)
    assert text.index("Action planning") < text.index("Pilot planning")
    for expected in ("Traceability rollout", "Trace links on Atlas", "Linked requirements"):
        assert expected in text
    assert "Dropped idea" not in text


def test_benchmark_dataset_adds_plans_items_and_reviews():
    from actions.dataset import ITEMS_PER_PLAN, PLANS_AT_SCALE_1
    from opf.organization.dataset import Dataset

    call_command("build_dataset", "--scale", "0.05", stdout=StringIO())
    plans = Dataset(scale=0.05, seed=0).count(PLANS_AT_SCALE_1, 6)
    assert plans == 15 and ProcessActionPlan.objects.count() == plans
    assert set(ProcessActionPlan.objects.values_list("state", flat=True)) == set(
        ProcessActionPlan.State.values
    )
    assert ActionItem.objects.count() == plans * ITEMS_PER_PLAN
    assert ActionItem.objects.exclude(status="done").filter(due__lt=date.today()).exists()
    assert Pilot.objects.count() == len(range(0, plans, 4))  # a pilot per fourth plan
