"""Initiatives, churn, departed advocates and executive engagement (#20), on
hand-built organizations. The suite's clock is pinned to 2026-06-15."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from actions.models import ActionItem, Pilot, ProcessActionPlan
from actions.services import plan_approve, plan_submit, review_approve
from deployment.models import ProjectDeployment
from opf.core.roles import EXECUTIVE, PROCESS_GROUP
from opf.initiatives.models import Initiative
from opf.organization.scope import DashboardFilter
from opf.steering import engagement as engagement_figures
from opf.steering import initiatives
from opf.steering.dashboard.panels import engagement as engagement_panel
from opf.steering.dashboard.panels import initiatives as initiatives_panel
from opf.steering.models import Body, CommitteeMembership, ProgramDocument, SteeringMeeting
from opf.steering.services import program_document_approve, program_document_submit
from tests.actions.factories import (
    ActionItemFactory,
    PilotFactory,
    PlanReviewFactory,
    ProcessActionPlanFactory,
)
from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import OrgUnitFactory, UserFactory
from tests.opf.initiative_factories import InitiativeFactory
from tests.opf.steering_factories import DecisionFactory, SteeringMeetingFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

ENDED = Initiative.State.ENDED


def _filter(user, unit=None):
    return DashboardFilter(user, unit, date(2025, 7, 1), date(2026, 6, 30))


def _six_sigma_then_lean(on: date = date(2026, 6, 15)):
    """Six Sigma ran 2025-03-01..2026-01-31 and Lean began 2026-03-01, seen from
    ``on`` (the fixed period of ``_filter``); the dashboard's own period ends today,
    so a test of the page passes today and the same story moves with it."""
    quality, hr = OrgUnitFactory(name="Quality"), OrgUnitFactory(name="HR")
    six_sigma = InitiativeFactory(
        name="Six Sigma in Quality",
        method=Initiative.Method.SIX_SIGMA,
        owning_unit=quality,
        start=on - timedelta(days=471),
        end=on - timedelta(days=135),
        state=ENDED,
        outcome="The black belts left.",
    )
    lean = InitiativeFactory(
        name="Lean in HR",
        method=Initiative.Method.LEAN,
        owning_unit=hr,
        start=on - timedelta(days=106),
    )
    return six_sigma, lean


def _deploy(initiative):
    plan = ProcessActionPlanFactory(initiative=initiative, state=ProcessActionPlan.State.COMPLETED)
    pilot = PilotFactory(action_plan=plan, decision=Pilot.Decision.ADOPT)
    ProjectDeploymentFactory(asset_version__pilot=pilot, state=ProjectDeployment.State.IN_USE)


def test_an_initiative_ended_without_deploying_and_replaced_elsewhere_is_churn(people):
    _six_sigma, _lean = _six_sigma_then_lean()
    found = initiatives.churn(_filter(people.executive))
    assert [(c["ended"]["name"], c["replaced_by"]["name"]) for c in found] == [
        ("Six Sigma in Quality", "Lean in HR")
    ]
    assert found[0]["another_unit"] and found[0]["another_method"]
    figures = initiatives_panel.build(_filter(people.executive))
    assert figures["warning"] and len(figures["churn"]) == 1


def test_a_healthy_hand_over_ended_after_deploying_does_not_warn(people):
    six_sigma, _lean = _six_sigma_then_lean()
    _deploy(six_sigma)
    assert initiatives.churn(_filter(people.executive)) == []


def test_a_deployment_not_yet_in_use_does_not_make_a_hand_over(people):
    six_sigma, _lean = _six_sigma_then_lean()
    plan = ProcessActionPlanFactory(initiative=six_sigma)
    pilot = PilotFactory(action_plan=plan, decision=Pilot.Decision.ADOPT)
    ProjectDeploymentFactory(asset_version__pilot=pilot, state=ProjectDeployment.State.PLANNING)
    assert len(initiatives.churn(_filter(people.executive))) == 1


def test_the_same_group_going_on_with_the_same_method_is_not_churn(people):
    six_sigma, lean = _six_sigma_then_lean()
    lean.owning_unit, lean.method = six_sigma.owning_unit, six_sigma.method
    lean.save()
    assert initiatives.churn(_filter(people.executive)) == []


@override_settings(OPF_CHURN_MONTHS=1)
def test_a_successor_started_after_the_threshold_is_not_churn(people):
    _six_sigma_then_lean()  # Lean started a month and a day after Six Sigma ended
    assert initiatives.churn(_filter(people.executive)) == []


def test_churn_shows_when_either_side_is_in_the_chosen_org_unit(people):
    six_sigma, lean = _six_sigma_then_lean()
    assert len(initiatives.churn(_filter(people.executive, six_sigma.owning_unit))) == 1
    assert len(initiatives.churn(_filter(people.executive, lean.owning_unit))) == 1
    assert initiatives.churn(_filter(people.executive, OrgUnitFactory())) == []


def test_a_departed_owner_with_open_work_is_flagged_with_the_work_listed(people):
    owner = UserFactory(first_name="Dana", last_name="Left")
    initiative = InitiativeFactory(owner=owner, sponsor=people.executive)
    plan = ProcessActionPlanFactory(title="Roll out value streams", initiative=initiative)
    owner.is_active = False
    owner.save()
    found = initiatives.departed_advocates(_filter(people.executive))
    assert [d["person"] for d in found] == [str(owner)]
    assert found[0]["roles"] == [f"owner of {initiative.name}"]
    assert [w["title"] for w in found[0]["work"]] == [plan.title]


def test_a_departed_owner_whose_work_is_done_is_not_flagged(people):
    owner = UserFactory(is_active=False)
    initiative = InitiativeFactory(owner=owner, state=ENDED, end=date(2026, 2, 1))
    ProcessActionPlanFactory(initiative=initiative, state=ProcessActionPlan.State.COMPLETED)
    assert initiatives.departed_advocates(_filter(people.executive)) == []


def test_an_active_owner_is_not_flagged(people):
    initiative = InitiativeFactory(owner=people.epg)
    ProcessActionPlanFactory(initiative=initiative)
    assert initiatives.departed_advocates(_filter(people.executive)) == []


def test_a_departed_process_group_lead_with_open_items_is_flagged(people):
    lead = UserFactory(roles=[PROCESS_GROUP])
    CommitteeMembership.objects.create(
        body=Body.PROCESS_GROUP, user=lead, role=CommitteeMembership.Role.LEAD
    )
    item = ActionItemFactory(assignee=lead, status=ActionItem.Status.DOING)
    lead.is_active = False
    lead.save()
    found = initiatives.departed_advocates(_filter(people.executive))
    assert found[0]["roles"] == ["process-group lead"]
    assert [w["title"] for w in found[0]["work"]] == [item.title]


def _held(when: datetime, attendees, decisions: int) -> SteeringMeeting:
    meeting = SteeringMeetingFactory(scheduled_at=when, state=SteeringMeeting.State.HELD)
    meeting.attendees.set(attendees)
    for _n in range(decisions):
        DecisionFactory(meeting=meeting)
    return meeting


def test_engagement_figures_for_a_known_meeting_history(people):
    ada = UserFactory(first_name="Ada", last_name="Active", roles=[EXECUTIVE])
    bo = UserFactory(first_name="Bo", last_name="Busy", roles=[EXECUTIVE])
    # The period before (2024-07..2025-06): three meetings, both present, 2 decisions each.
    for month in (9, 12, 3):
        year = 2024 if month > 6 else 2025
        _held(datetime(year, month, 10, 9, tzinfo=UTC), [ada, bo], 2)
    # The period: two meetings; Bo comes once; 3 decisions in all.
    _held(datetime(2025, 10, 10, 9, tzinfo=UTC), [ada, bo], 2)
    _held(datetime(2026, 4, 10, 9, tzinfo=UTC), [ada], 1)
    _held(datetime(2026, 5, 10, 9, tzinfo=UTC), [ada, bo], 0).delete()  # deleted: not counted
    # A policy submitted on 1 March and approved by Ada on 5 March: 4 days.
    document = ProgramDocument.objects.create(kind="policy", title="Policy", text="Text")
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False):
        program_document_submit(document, actor=people.epg)
    with time_machine.travel(datetime(2026, 3, 5, 9, tzinfo=UTC), tick=False):
        program_document_approve(document, actor=ada)
    # An action plan submitted for review on 2 April and approved by Bo on 12 April:
    # 10 days (#20: the plans' own reviews count in the time to decide).
    plan = ProcessActionPlanFactory(title="Estimation plan")
    PlanReviewFactory(plan=plan, reviewer=bo)
    with time_machine.travel(datetime(2026, 4, 2, 9, tzinfo=UTC), tick=False):
        plan_submit(plan, actor=people.epg)
    with time_machine.travel(datetime(2026, 4, 12, 9, tzinfo=UTC), tick=False):
        review_approve(plan.reviews.get(), actor=bo)
        plan_approve(plan, actor=bo)
    sponsored = InitiativeFactory(name="Enterprise CMMI", sponsor=ada)

    figures = engagement_figures.engagement(_filter(people.executive))

    assert figures["committee"] == {
        "meetings": 2,
        "decisions": 3,
        "mean_present": 1.5,  # executives present: Ada and Bo, then Ada alone
        "approvals": 2,
        "median_days": 7.0,  # 4 and 10
    }
    rows = {row["person"]: row for row in figures["executives"]}
    assert rows[str(ada)]["meetings_attended"] == 2
    assert rows[str(ada)]["decisions"] == 3
    assert rows[str(ada)]["approvals"] == 1 and rows[str(ada)]["median_days"] == 4.0
    assert rows[str(ada)]["initiatives"][0]["name"] == sponsored.name
    assert rows[str(ada)]["initiatives"][0]["health"] == "under_way"
    assert rows[str(bo)]["approvals"] == 1 and rows[str(bo)]["median_days"] == 10.0
    assert rows[str(bo)]["meetings_attended"] == 1 and rows[str(bo)]["falling"]
    assert rows[str(bo)]["meetings_attended_before"] == 3
    # Fewer meetings, fewer executives present and fewer decisions than the period before.
    assert len(figures["warnings"]) == 3 and figures["warning"]
    assert engagement_panel.PANEL.build is engagement_figures.engagement


def test_steady_engagement_gives_no_warning(people):
    ada = UserFactory(roles=[EXECUTIVE])
    _held(datetime(2025, 3, 10, 9, tzinfo=UTC), [ada], 1)
    _held(datetime(2026, 3, 10, 9, tzinfo=UTC), [ada], 1)
    assert engagement_figures.engagement(_filter(people.executive))["warnings"] == []


def test_the_initiatives_panel_reads_a_fixed_number_of_queries(
    people, django_assert_max_num_queries
):
    _six_sigma_then_lean()
    owner = UserFactory(is_active=False)
    ProcessActionPlanFactory(initiative=InitiativeFactory(owner=owner))
    f = _filter(people.executive)
    initiatives_panel.build(f)  # warm caches (permissions, registry)
    with django_assert_max_num_queries(12) as few:
        initiatives_panel.build(f)
    for n in range(6):
        ProcessActionPlanFactory(initiative=InitiativeFactory(owner=owner, name=f"More {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        initiatives_panel.build(f)
    _held(datetime(2026, 3, 10, 9, tzinfo=UTC), [people.executive], 1)
    with django_assert_max_num_queries(20) as once:
        engagement_figures.engagement(f)
    _held(datetime(2026, 4, 10, 9, tzinfo=UTC), [people.executive, owner], 2)
    _held(datetime(2026, 5, 10, 9, tzinfo=UTC), [people.executive], 2)
    with django_assert_max_num_queries(len(once.captured_queries)):
        engagement_figures.engagement(f)


def test_the_executive_sees_churn_on_the_dashboard_and_in_the_api(people, client_as, api_as):
    _six_sigma_then_lean(timezone.localdate())
    page = client_as(people.executive).get("/dashboard/")
    assert page.status_code == 200
    assert "ended without deploying anything" in page.content.decode()
    assert "Executive engagement" in page.content.decode()
    data = api_as(people.executive).get("/api/v1/dashboard/").json()
    assert data["panels"]["initiatives"]["churn"][0]["replaced_by"]["name"] == "Lean in HR"


def test_process_group_creates_and_ends_an_initiative_executive_reads_it(people, api_as):
    unit = OrgUnitFactory()
    payload = {
        "name": "Enterprise CMMI",
        "method": "cmmi",
        "owning_unit": unit.pk,
        "owner": people.epg.pk,
        "sponsor": people.executive.pk,
        "start": "2026-06-01",
    }
    assert api_as(people.executive).post("/api/v1/initiatives/", payload).status_code == 403
    created = api_as(people.epg).post("/api/v1/initiatives/", payload)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api_as(people.executive).get(f"/api/v1/initiatives/{pk}/").status_code == 200
    refused = api_as(people.epg).post(f"/api/v1/initiatives/{pk}/end/", {"reason": ""})
    assert refused.status_code in (400, 409)
    ended = api_as(people.epg).post(f"/api/v1/initiatives/{pk}/end/", {"reason": "Deployed."})
    assert ended.status_code == 200, ended.content
    assert ended.json()["state"] == "ended" and ended.json()["outcome"] == "Deployed."
    assert ended.json()["end"] == timezone.localdate().isoformat()


def test_a_sponsor_must_be_an_active_executive(people, api_as):
    payload = {
        "name": "Member-sponsored",
        "method": "lean",
        "owning_unit": OrgUnitFactory().pk,
        "sponsor": people.member.pk,
        "start": "2026-06-01",
    }
    refused = api_as(people.epg).post("/api/v1/initiatives/", payload, format="json")
    assert refused.status_code == 400 and "sponsor" in field_errors(refused)


def test_an_appraisal_improvement_and_plan_show_their_initiative(people, client_as):
    initiative = InitiativeFactory(name="Lean in HR")
    plan = ProcessActionPlanFactory(initiative=initiative)
    page = client_as(people.executive).get(plan.get_absolute_url())
    assert "Lean in HR" in page.content.decode()
    detail = client_as(people.executive).get(initiative.get_absolute_url()).content.decode()
    assert plan.title in detail


def test_an_ended_initiative_needs_no_sponsor_but_an_active_one_does(people):
    from opf.steering.dashboard.panels import sponsorship

    six_sigma, lean = _six_sigma_then_lean()
    Initiative.objects.filter(pk__in=[six_sigma.pk, lean.pk]).update(sponsor=None)
    flagged = [i["title"] for i in sponsorship.build(_filter(people.executive))["items"]]
    assert str(lean) in flagged
    assert str(six_sigma) not in flagged


def test_a_same_day_decision_reads_as_zero_days_not_as_no_figure():
    from django.template.loader import render_to_string

    committee = {
        "meetings": 2,
        "decisions": 3,
        "mean_present": 2.0,
        "approvals": 35,
        "median_days": 0.0,
    }
    html = render_to_string(
        "opf/dashboard/panels/engagement.html",
        {"figures": {"warnings": [], "committee": committee, "executives": []}},
    )
    assert "median 0.0 days" in html
    committee["median_days"] = None
    html = render_to_string(
        "opf/dashboard/panels/engagement.html",
        {"figures": {"warnings": [], "committee": committee, "executives": []}},
    )
    assert "median — days" in html
