"""Issue #19: the business case in money (worked numbers, ranking by the ratio, actual
cost) and the gates that mean something (pilot adoption, plan completion) in
service, page and API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions import services
from actions.business_case import BusinessCase, ratio_score
from actions.models import (
    ActionItem,
    Improvement,
    Pilot,
    PlanIssue,
    PrioritizationCriterion,
    ProcessActionPlan,
)
from opf.core.errors import TransitionRefused
from opf.core.services import save_object
from tests.actions.factories import (
    ActionItemFactory,
    CommitmentFactory,
    CostRateFactory,
    ImprovementFactory,
    PilotFactory,
    PlanIssueFactory,
    PrioritizationCriterionFactory,
    ProcessActionPlanFactory,
    SuccessCriterionFactory,
)
from tests.lessons.factories import MeasureFactory
from tests.problems import field_errors

D = Decimal


# --- business case: worked numbers ----------------------------------------------------


def test_worked_example_cost_return_payback_and_ratio():
    # 120 h x 90/h + 2,000 other = 12,800; 48,000 a year of benefit.
    case = BusinessCase(
        rate=D("90"), estimated_hours=D("120"), other_cost=D("2000"), money_per_year=D("48000")
    )
    assert case.cost == D("12800.00")
    assert case.annual_benefit == D("48000.00")
    assert case.expected_return == D("35200.00")
    assert case.payback_months == D("3.2")
    assert case.ratio == D("3.75")
    assert case.ratio_score == 4  # 3 <= 3.75 < 5


def test_hours_saved_are_valued_at_the_rate_and_spent_hours_give_the_actual_cost():
    # 200 h saved a year x 90 = 18,000; cost 300 h x 90 + 15,000 = 42,000.
    case = BusinessCase(
        rate=D("90"),
        estimated_hours=D("300"),
        other_cost=D("15000"),
        hours_per_year=D("200"),
        spent_hours=D("66"),
    )
    assert case.annual_benefit == D("18000.00") and case.cost == D("42000.00")
    assert case.expected_return == D("-24000.00")
    assert case.payback_months == D("28.0")  # 42,000 x 12 / 18,000
    assert case.ratio == D("0.43") and case.ratio_score == 1
    assert case.actual_cost == D("5940.00")  # 66 h x 90


def test_no_benefit_no_return_payback_or_ratio():
    case = BusinessCase(rate=D("90"), estimated_hours=D("10"))
    assert (case.expected_return, case.payback_months, case.ratio, case.ratio_score) == (
        None,
        None,
        None,
        None,
    )
    assert case.actual_cost is None


@pytest.mark.parametrize(
    ("benefit", "cost", "score"),
    [("5", "1", 5), ("4.99", "1", 4), ("3", "1", 4), ("2", "1", 3), ("1", "1", 2), ("0.9", "1", 1)],
)
def test_ratio_bands(benefit, cost, score):
    assert ratio_score(D(benefit), D(cost)) == score


@pytest.mark.django_db
def test_the_rate_is_a_program_setting_and_the_case_follows_it(people):
    improvement = ImprovementFactory(
        estimated_hours=D("120"), other_cost=D("2000"), benefit_money_per_year=D("48000")
    )
    assert services.business_case_of(improvement).rate == D("90")  # default
    rate = CostRateFactory(hourly_rate=D("100"))
    case = services.business_case_of(improvement)
    assert case.cost == D("14000.00") and case.payback_months == D("3.5")
    rate.hourly_rate = D("90")
    save_object(rate, actor=people.epg, reason="New blended rate")
    assert rate.history.first().history_change_reason == "New blended rate"
    assert services.business_case_of(improvement).cost == D("12800.00")


@pytest.mark.django_db
def test_a_computed_criterion_ranks_by_the_ratio(people):
    CostRateFactory(hourly_rate=D("90"))
    manual = PrioritizationCriterionFactory(weight=3)
    PrioritizationCriterionFactory(weight=10, source=PrioritizationCriterion.Source.BENEFIT_COST)
    strong = ImprovementFactory(
        estimated_hours=D("120"), other_cost=D("2000"), benefit_money_per_year=D("48000")
    )
    weak = ImprovementFactory(estimated_hours=D("100"), benefit_money_per_year=D("9000"))
    no_case = ImprovementFactory()
    for improvement in (strong, weak, no_case):
        services.improvement_score(
            improvement=improvement, criterion=manual, value=5, actor=people.epg
        )
    ranked = list(Improvement.objects.filter(pk__in=[strong.pk, weak.pk, no_case.pk]).ranked())
    # strong: 3x5 + 10x4 = 55; weak (ratio 1.0 -> 2): 15 + 20 = 35; no case: 15.
    assert [(i.pk, i.priority) for i in ranked] == [
        (strong.pk, 55),
        (weak.pk, 35),
        (no_case.pk, 15),
    ]
    assert ranked[0].ratio_score == services.business_case_of(strong).ratio_score == 4


@pytest.mark.django_db
def test_a_computed_criterion_is_not_scored_by_hand(people, client_as):
    computed = PrioritizationCriterionFactory(source=PrioritizationCriterion.Source.BENEFIT_COST)
    improvement = ImprovementFactory()
    with pytest.raises(ValidationError, match="computed"):
        services.improvement_score(
            improvement=improvement, criterion=computed, value=3, actor=people.epg
        )
    page = client_as(people.epg).post(
        f"/improvements/{improvement.pk}/scores/{computed.pk}/", {"value": "3"}
    )
    assert page.status_code == 404 and not improvement.scores.exists()


@pytest.mark.django_db
def test_the_benefit_measure_needs_a_baseline_and_a_better_target(people, api_as):
    lower = MeasureFactory(name="Escaped defects per KLOC", unit="defects/KLOC", direction="lower")
    api = api_as(people.epg)
    worse = api.post(
        "/api/v1/improvements/",
        {
            "title": "Peer reviews",
            "benefit_measure": lower.pk,
            "benefit_baseline": "1.2",
            "benefit_target": "1.8",
        },
        format="json",
    )
    assert worse.status_code == 400 and "benefit_target" in field_errors(worse)
    missing = api.post(
        "/api/v1/improvements/",
        {"title": "Peer reviews", "benefit_measure": lower.pk, "benefit_baseline": "1.8"},
        format="json",
    )
    assert missing.status_code == 400 and "benefit_target" in field_errors(missing)
    made = api.post(
        "/api/v1/improvements/",
        {
            "title": "Peer reviews",
            "benefit_measure": lower.pk,
            "benefit_baseline": "1.8",
            "benefit_target": "1.2",
            "estimated_hours": "120",
            "other_cost": "2000",
            "benefit_money_per_year": "48000",
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    case = made.json()["business_case"]
    assert (case["cost"], case["payback_months"], case["ratio"]) == ("12800.00", "3.2", "3.75")
    assert case["actual_cost"] is None
    listed = api.get("/api/v1/improvements/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert any(row["business_case"]["ratio"] == "3.75" for row in rows)


@pytest.mark.django_db
def test_the_improvement_page_shows_payback_and_actual_cost(people, client_as):
    improvement = ImprovementFactory(
        estimated_hours=D("120"), other_cost=D("2000"), benefit_money_per_year=D("48000")
    )
    plan = ProcessActionPlanFactory()
    plan.improvements.add(improvement)
    ActionItemFactory(plan=plan, spent_effort=D("30"))
    ActionItemFactory(plan=plan, spent_effort=D("36"))
    html = client_as(people.member).get(improvement.get_absolute_url()).content.decode()
    assert "12800.00" in html and "3.2" in html and "3.75" in html
    assert "5940.00" in html  # 66 h spent x 90


# --- pilots: adopt only when every criterion is met -------------------------------------


def _evaluated(unmet: bool = True) -> Pilot:
    pilot = PilotFactory(state=Pilot.State.EVALUATED)
    SuccessCriterionFactory(pilot=pilot, comparator="<=", target=D("15"), result=D("11"))
    SuccessCriterionFactory(
        pilot=pilot, comparator=">=", target=D("90"), result=D("72") if unmet else D("95")
    )
    return pilot


@pytest.mark.django_db
class TestPilotGate:
    def test_an_unmet_criterion_refuses_adopt_unless_an_executive_overrides(self, people):
        pilot = _evaluated()
        with pytest.raises(TransitionRefused, match="Not every success criterion"):
            services.pilot_decide(pilot, decision="adopt", rationale="Looks fine", actor=people.epg)
        with pytest.raises(ValidationError, match="reason for the override"):
            services.pilot_decide(pilot, decision="adopt", rationale="Go", actor=people.executive)
        assert Pilot.objects.get(pk=pilot.pk).state == Pilot.State.EVALUATED
        services.pilot_decide(
            pilot,
            decision="adopt",
            rationale="Go",
            override_reason="Coverage will rise with the tool upgrade.",
            actor=people.executive,
        )
        pilot.refresh_from_db()
        assert (pilot.decision, pilot.override_reason) == (
            "adopt",
            "Coverage will rise with the tool upgrade.",
        )
        entry = pilot.history.first()
        assert entry.history_user == people.executive
        assert "override" in entry.history_change_reason.lower()

    def test_a_met_pilot_is_adopted_by_the_process_group(self, people):
        pilot = _evaluated(unmet=False)
        services.pilot_decide(pilot, decision="adopt", rationale="Both met", actor=people.epg)
        assert Pilot.objects.get(pk=pilot.pk).override_reason == ""

    def test_an_unmeasured_criterion_refuses_adopt(self, people):
        pilot = PilotFactory(state=Pilot.State.EVALUATED)
        SuccessCriterionFactory(pilot=pilot, comparator="<=", target=D("15"))
        with pytest.raises(TransitionRefused, match="Not yet measured"):
            services.pilot_decide(pilot, decision="adopt", rationale="x", actor=people.epg)

    def test_adapt_says_what_changes(self, people):
        pilot = _evaluated()
        with pytest.raises(ValidationError, match="what changes"):
            services.pilot_decide(pilot, decision="adapt", rationale="Close", actor=people.epg)
        services.pilot_decide(
            pilot,
            decision="adapt",
            rationale="Close",
            changes="Link types reduced to three.",
            actor=people.epg,
        )
        assert Pilot.objects.get(pk=pilot.pk).changes == "Link types reduced to three."

    def test_api_409_for_the_process_group_and_override_step_for_executives(self, people, api_as):
        pilot = _evaluated()
        url = f"/api/v1/pilots/{pilot.pk}"
        refused = api_as(people.epg).post(
            f"{url}/decide/", {"decision": "adopt", "rationale": "x"}, format="json"
        )
        assert refused.status_code == 409 and "72" not in refused.json()["detail"]
        assert "Not every success criterion" in refused.json()["detail"]
        assert api_as(people.epg).post(f"{url}/adopt-override/", {"reason": "x"}).status_code == 403
        no_reason = api_as(people.executive).post(f"{url}/adopt-override/", {}, format="json")
        assert no_reason.status_code in (400, 409)
        done = api_as(people.executive).post(
            f"{url}/adopt-override/", {"reason": "Strategic: the customer asks."}, format="json"
        )
        assert done.status_code == 200, done.json()
        assert (done.json()["decision"], done.json()["override_reason"]) == (
            "adopt",
            "Strategic: the customer asks.",
        )

    def test_page_refuses_then_executive_overrides(self, people, client_as):
        pilot = _evaluated()
        epg = client_as(people.epg)
        page = epg.post(
            f"/pilots/{pilot.pk}/decide/", {"decision": "adopt", "rationale": "x"}, follow=True
        )
        assert "Not every success criterion" in page.content.decode()
        assert Pilot.objects.get(pk=pilot.pk).state == Pilot.State.EVALUATED
        executive = client_as(people.executive)
        assert "override" in executive.get(pilot.get_absolute_url()).content.decode()
        executive.post(
            f"/pilots/{pilot.pk}/decide/",
            {"decision": "adopt", "rationale": "x", "override_reason": "Customer mandate."},
        )
        assert Pilot.objects.get(pk=pilot.pk).override_reason == "Customer mandate."


# --- plans: complete only when the work is closed or carried over -------------------------


@pytest.fixture
def running(people):
    plan = ProcessActionPlanFactory(state=ProcessActionPlan.State.IN_PROGRESS, owner=people.epg)
    improvement = ImprovementFactory(state=Improvement.State.IN_ACTION)
    plan.improvements.add(improvement)
    ActionItemFactory(plan=plan, status=ActionItem.Status.DONE, title="Write the guideline")
    return plan


@pytest.mark.django_db
class TestPlanGate:
    def test_several_records_are_carried_over_together_or_not_at_all(self, running, people):
        item = ActionItemFactory(plan=running, title="Migrate the last project")
        issue = PlanIssueFactory(plan=running, title="Tool licence missing")
        next_plan = ProcessActionPlanFactory()
        services.carry_over(item, to_plan=next_plan, reason="Earlier", actor=people.epg)
        item.refresh_from_db()
        with pytest.raises(TransitionRefused, match="already carried over"):
            services.carry_over_many(
                [issue, item], to_plan=next_plan, reason="Next quarter", actor=people.epg
            )
        issue.refresh_from_db()
        assert issue.carried_to is None  # the issue's carry-over was rolled back
        with pytest.raises(ValidationError, match="Tick"):
            services.carry_over_many([], to_plan=next_plan, reason="x", actor=people.epg)
        copies = services.carry_over_many(
            [issue], to_plan=next_plan, reason="Next quarter", actor=people.epg
        )
        assert [c.plan for c in copies] == [next_plan]
        assert services.open_work(running).records() == []

    def test_an_open_item_refuses_complete_until_carried_over(self, running, people):
        item = ActionItemFactory(plan=running, title="Migrate the last project")
        improvement = running.improvements.get()
        yes = [{"improvement": improvement, "reached": "yes"}]
        with pytest.raises(TransitionRefused, match="Migrate the last project"):
            services.plan_complete(running, actor=people.epg, outcomes=yes)
        next_plan = ProcessActionPlanFactory()
        with pytest.raises(ValidationError, match="why"):
            services.carry_over(item, to_plan=next_plan, reason=" ", actor=people.epg)
        with pytest.raises(ValidationError, match="another plan"):
            services.carry_over(item, to_plan=running, reason="Later", actor=people.epg)
        with pytest.raises(PermissionDenied):
            services.carry_over(item, to_plan=next_plan, reason="Later", actor=people.member)
        copy = services.carry_over(
            item, to_plan=next_plan, reason="Waits for the tool upgrade", actor=people.epg
        )
        item.refresh_from_db()
        assert (item.carried_to, item.carry_reason) == (next_plan, "Waits for the tool upgrade")
        assert (copy.plan, copy.title, copy.status) == (next_plan, item.title, "todo")
        assert "Carried over" in item.history.first().history_change_reason
        with pytest.raises(TransitionRefused, match="carried over"):
            services.action_item_move(item, status="done", actor=people.epg)
        services.plan_complete(running, actor=people.epg, outcomes=yes)
        improvement.refresh_from_db()
        assert improvement.state == "implemented" and improvement.objective_reached == "yes"

    def test_open_issues_and_commitments_refuse_too(self, running, people):
        issue = PlanIssueFactory(plan=running, title="Tool licence missing")
        commitment = CommitmentFactory(plan=running, what="Two testers for the pilot")
        with pytest.raises(TransitionRefused) as refused:
            services.plan_complete(running, actor=people.epg)
        assert "Tool licence missing" in str(refused.value.message)
        assert "Two testers for the pilot" in str(refused.value.message)
        services.issue_close(issue, actor=people.epg, reason="Licence bought")
        services.carry_over(
            commitment, to_plan=ProcessActionPlanFactory(), reason="Next wave", actor=people.epg
        )
        assert not services.open_work(running)

    def test_an_objective_not_reached_keeps_the_improvement_open_with_the_note(
        self, running, people
    ):
        improvement = running.improvements.get()
        with pytest.raises(ValidationError, match="not answered"):
            services.plan_complete(running, actor=people.epg)
        with pytest.raises(ValidationError, match="note"):
            services.plan_complete(
                running,
                actor=people.epg,
                outcomes=[{"improvement": improvement, "reached": "partly"}],
            )
        services.plan_complete(
            running,
            actor=people.epg,
            outcomes=[
                {"improvement": improvement, "reached": "partly", "note": "Two units of five."}
            ],
        )
        improvement.refresh_from_db()
        assert improvement.state == Improvement.State.IN_ACTION
        assert (improvement.objective_reached, improvement.objective_note) == (
            "partly",
            "Two units of five.",
        )
        assert "Partly" in improvement.history.first().history_change_reason

    def test_api_409_lists_the_open_item_then_carry_over_then_complete(
        self, running, people, api_as
    ):
        item = ActionItemFactory(plan=running, title="Migrate the last project")
        api = api_as(people.epg)
        outcome = {"improvement": running.improvements.get().pk, "reached": "yes"}
        refused = api.post(
            f"/api/v1/action-plans/{running.pk}/complete/", {"outcomes": [outcome]}, format="json"
        )
        assert refused.status_code == 409 and "Migrate the last project" in refused.json()["detail"]
        next_plan = ProcessActionPlanFactory()
        missing = api.post(f"/api/v1/action-items/{item.pk}/carry-over/", {}, format="json")
        assert missing.status_code == 400 and "to_plan" in field_errors(missing)
        carried = api.post(
            f"/api/v1/action-items/{item.pk}/carry-over/",
            {"to_plan": next_plan.pk, "reason": "Next release"},
            format="json",
        )
        assert carried.status_code == 200, carried.json()
        assert carried.json()["carried_to"] == next_plan.pk
        done = api.post(
            f"/api/v1/action-plans/{running.pk}/complete/", {"outcomes": [outcome]}, format="json"
        )
        assert done.status_code == 200 and done.json()["state"] == "completed"

    def test_page_lists_the_open_work_carries_it_and_completes(self, running, people, client_as):
        issue = PlanIssueFactory(plan=running, title="Tool licence missing")
        next_plan = ProcessActionPlanFactory(title="Wave two")
        client = client_as(people.epg)
        html = client.get(running.get_absolute_url()).content.decode()
        assert "Tool licence missing" in html and issue.get_absolute_url() in html
        assert "complete-form" not in html
        improvement = running.improvements.get()
        refused = client.post(
            f"/action-plans/{running.pk}/complete/",
            {f"reached_{improvement.pk}": "yes"},
            follow=True,
        )
        assert "Tool licence missing" in refused.content.decode()
        refused = client.post(
            f"/action-plans/{running.pk}/carry-over/",
            {"to_plan": next_plan.pk, "reason": "Licence next quarter"},
            follow=True,
        )
        assert "Tick what to carry over" in refused.content.decode()
        client.post(
            f"/action-plans/{running.pk}/carry-over/",
            {
                "records": [f"planissue-{issue.pk}"],
                "to_plan": next_plan.pk,
                "reason": "Licence next quarter",
            },
        )
        assert PlanIssue.objects.get(pk=issue.pk).carried_to == next_plan
        assert next_plan.issues.filter(title="Tool licence missing").exists()
        assert "complete-form" in client.get(running.get_absolute_url()).content.decode()
        client.post(f"/action-plans/{running.pk}/complete/", {f"reached_{improvement.pk}": "yes"})
        assert ProcessActionPlan.objects.get(pk=running.pk).state == "completed"


@pytest.mark.django_db
def test_schema_declares_the_business_case_and_the_new_steps(people, api_as):
    schema = api_as(people.member).get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/cost-rates/",
        "/api/v1/action-items/{id}/carry-over/",
        "/api/v1/plan-issues/{id}/carry-over/",
        "/api/v1/commitments/{id}/carry-over/",
        "/api/v1/pilots/{id}/adopt-override/",
    ):
        assert path in schema["paths"], path
    improvement = schema["components"]["schemas"]["Improvement"]["properties"]
    assert improvement["business_case"]["readOnly"] is True
    assert "readOnly" not in improvement["estimated_hours"]
    complete = schema["paths"]["/api/v1/action-plans/{id}/complete/"]["post"]
    body = complete["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "outcomes" in schema["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]
