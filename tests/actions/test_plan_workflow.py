"""Process action plans: every transition allowed, refused, and by the wrong role,
in services, pages and the API; improvements follow the plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from actions import services
from actions.models import Improvement, PlanReview, ProcessActionPlan
from opf.core.errors import TransitionRefused
from tests.actions.factories import ImprovementFactory, PlanReviewFactory, ProcessActionPlanFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(people):
    plan = ProcessActionPlanFactory(owner=people.epg, sponsor=people.executive)
    plan.improvements.set([ImprovementFactory(state=Improvement.State.SELECTED)])
    return plan


def in_review(plan, reviewer):
    review = PlanReviewFactory(plan=plan, reviewer=reviewer)
    services.plan_submit(plan, actor=_epg(plan))
    return review


def _epg(plan):
    return plan.owner


def state(plan) -> str:
    return ProcessActionPlan.objects.get(pk=plan.pk).state


def test_submit_needs_a_named_reviewer(plan, people):
    with pytest.raises(TransitionRefused, match="reviewer"):
        services.plan_submit(plan, actor=people.epg)
    assert state(plan) == "draft"
    PlanReviewFactory(plan=plan, reviewer=people.pm)
    services.plan_submit(plan, actor=people.epg)
    assert state(plan) == "in_review"


def test_members_and_executives_cannot_submit(plan, people):
    PlanReviewFactory(plan=plan, reviewer=people.pm)
    for user in (people.member, people.executive, people.pm):
        with pytest.raises(TransitionRefused):
            services.plan_submit(plan, actor=user)
    assert state(plan) == "draft"


def test_approval_waits_for_every_review_and_needs_an_executive(plan, people):
    first = in_review(plan, people.pm)
    second = PlanReviewFactory(plan=plan, reviewer=people.member)
    with pytest.raises(TransitionRefused, match="waiting for"):
        services.plan_approve(plan, actor=people.executive)
    services.review_approve(first, actor=people.pm)
    with pytest.raises(TransitionRefused, match=str(people.member)):
        services.plan_approve(plan, actor=people.executive)
    services.review_approve(second, actor=people.member, reason="Fine by me.")
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.plan_approve(plan, actor=people.epg)  # the process group does not approve
    assert state(plan) == "in_review"
    services.plan_approve(plan, actor=people.executive)
    plan.refresh_from_db()
    assert plan.state == "approved" and plan.approved_at is not None
    assert PlanReview.objects.get(pk=second.pk).comments == "Fine by me."


def test_a_reviewer_records_only_their_own_review(plan, people):
    review = in_review(plan, people.pm)
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.review_approve(review, actor=people.other_pm)
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.review_approve(review, actor=people.epg)
    assert PlanReview.objects.get(pk=review.pk).decision == "pending"


def test_a_review_is_recorded_only_while_the_plan_is_in_review(plan, people):
    review = PlanReviewFactory(plan=plan, reviewer=people.pm)
    with pytest.raises(TransitionRefused, match="in review"):
        services.review_approve(review, actor=people.pm)


def test_requested_changes_send_the_plan_back_to_draft_with_the_comments(plan, people):
    review = in_review(plan, people.pm)
    with pytest.raises(TransitionRefused, match="reason"):
        services.review_request_changes(review, actor=people.pm, reason="  ")
    services.review_request_changes(review, actor=people.pm, reason="Add the training cost.")
    assert state(plan) == "draft"
    review.refresh_from_db()
    assert review.decision == "changes_requested"
    assert review.comments == "Add the training cost."
    assert review.decided_at is not None
    last = ProcessActionPlan.history.filter(id=plan.pk).first()
    assert "Add the training cost." in last.history_change_reason
    # Resubmitting asks every reviewer again.
    services.plan_submit(plan, actor=people.epg)
    assert PlanReview.objects.get(pk=review.pk).decision == "pending"


def test_request_changes_on_the_plan_by_reviewer_executive_or_nobody_else(plan, people):
    in_review(plan, people.pm)
    with pytest.raises(TransitionRefused, match="named reviewer or an executive"):
        services.plan_request_changes(plan, actor=people.member, reason="No.")
    with pytest.raises(TransitionRefused, match="named reviewer or an executive"):
        services.plan_request_changes(plan, actor=people.epg, reason="No.")
    assert state(plan) == "in_review"
    services.plan_request_changes(plan, actor=people.executive, reason="Cheaper option?")
    assert state(plan) == "draft"
    services.plan_submit(plan, actor=people.epg)
    services.plan_request_changes(plan, actor=people.pm, reason="Name the pilot projects.")
    assert state(plan) == "draft"
    assert PlanReview.objects.get(plan=plan).comments == "Name the pilot projects."


def approved(plan, people):
    review = in_review(plan, people.pm)
    services.review_approve(review, actor=people.pm)
    services.plan_approve(plan, actor=people.executive)


def test_start_and_complete_move_the_improvements(plan, people):
    improvement = plan.improvements.get()
    with pytest.raises(TransitionRefused):
        services.plan_start(plan, actor=people.epg)  # still a draft
    approved(plan, people)
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.plan_start(plan, actor=people.member)
    services.plan_start(plan, actor=people.epg)
    improvement.refresh_from_db()
    assert state(plan) == "in_progress" and improvement.state == "in_action"
    assert improvement.history.first().history_change_reason == "Action plan started"
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.plan_complete(plan, actor=people.executive)
    services.plan_complete(
        plan, actor=people.epg, outcomes=[{"improvement": improvement, "reached": "yes"}]
    )
    improvement.refresh_from_db()
    assert state(plan) == "completed" and improvement.state == "implemented"
    assert improvement.objective_reached == "yes"
    with pytest.raises(TransitionRefused):
        services.plan_cancel(plan, actor=people.epg, reason="Too late")


def test_cancel_needs_a_reason_and_keeps_it(plan, people):
    with pytest.raises(TransitionRefused, match="reason"):
        services.plan_cancel(plan, actor=people.epg)
    with pytest.raises(TransitionRefused, match="not allowed"):
        services.plan_cancel(plan, actor=people.pm, reason="Mine")
    services.plan_cancel(plan, actor=people.epg, reason="Superseded by the new tool.")
    plan.refresh_from_db()
    assert plan.state == "cancelled" and plan.cancel_reason == "Superseded by the new tool."


def test_only_selected_improvements_are_planned(plan, people):
    candidate = ImprovementFactory()
    with pytest.raises(ValidationError):
        services.check_improvements(plan, [candidate])
    # Those the plan already has stay allowed after they moved on.
    kept = plan.improvements.get()
    Improvement.objects.filter(pk=kept.pk).update(state=Improvement.State.IN_ACTION)
    kept.refresh_from_db()
    assert services.check_improvements(plan, [kept]) == [kept]


def test_the_sponsor_must_be_an_executive(plan, people):
    plan.sponsor = people.pm
    with pytest.raises(ValidationError, match="executive"):
        plan.full_clean()


# --- pages --------------------------------------------------------------------------


def test_plan_page_steps_and_refusals_as_messages(plan, people, client_as):
    client = client_as(people.epg)
    url = f"/action-plans/{plan.pk}/do/submit/"
    response = client.post(url, follow=True)
    assert "Name at least one reviewer" in response.content.decode()
    assert state(plan) == "draft"
    PlanReviewFactory(plan=plan, reviewer=people.pm)
    client.post(url)
    assert state(plan) == "in_review"
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f"/action-plans/{plan.pk}/do/approve/" not in page  # not an executive
    assert f"/action-plans/{plan.pk}/do/request_changes/" not in page  # not a reviewer
    reviewer_page = client_as(people.pm).get(plan.get_absolute_url()).content.decode()
    assert f"/action-plans/{plan.pk}/do/request_changes/" in reviewer_page
    client_as(people.pm).post(
        f"/action-plans/{plan.pk}/do/request_changes/", {"reason": "Add a pilot."}
    )
    assert state(plan) == "draft"
    page = client_as(people.member).get(plan.get_absolute_url()).content.decode()
    assert "Add a pilot." in page and "Changes requested" in page


def test_new_plan_form_offers_selected_improvements_and_executives_only(people, client_as):
    selected = ImprovementFactory(state=Improvement.State.SELECTED)
    candidate = ImprovementFactory()
    form = client_as(people.epg).get("/action-plans/add/").context["form"]
    assert list(form.fields["improvements"].queryset) == [selected]
    assert candidate not in form.fields["improvements"].queryset
    assert list(form.fields["sponsor"].queryset) == [people.executive]


# --- API ------------------------------------------------------------------------------


def test_api_walks_the_plan_from_draft_to_completed(plan, people, api_as):
    epg, executive, pm = api_as(people.epg), api_as(people.executive), api_as(people.pm)
    base = f"/api/v1/action-plans/{plan.pk}"
    refused = epg.post(f"{base}/submit/", {}, format="json")
    assert refused.status_code == 409 and "reviewer" in refused.json()["detail"]
    created = epg.post(
        "/api/v1/plan-reviews/", {"plan": plan.pk, "reviewer": people.pm.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    review = created.json()["id"]
    assert epg.post(f"{base}/submit/", {}, format="json").json()["state"] == "in_review"
    assert executive.post(f"{base}/approve/", {}, format="json").status_code == 409
    assert (
        api_as(people.other_pm)
        .post(f"/api/v1/plan-reviews/{review}/approve/", {}, format="json")
        .status_code
        == 403
    )
    decided = pm.post(f"/api/v1/plan-reviews/{review}/approve/", {"reason": "OK"}, format="json")
    assert decided.status_code == 200 and decided.json()["decision"] == "approved"
    assert epg.post(f"{base}/approve/", {}, format="json").status_code == 403
    assert executive.post(f"{base}/approve/", {}, format="json").json()["state"] == "approved"
    assert pm.post(f"{base}/start/", {}, format="json").status_code == 403
    assert epg.post(f"{base}/start/", {}, format="json").json()["state"] == "in_progress"
    unanswered = epg.post(f"{base}/complete/", {}, format="json")
    assert unanswered.status_code == 400 and "outcomes" in field_errors(unanswered)
    outcome = {"improvement": plan.improvements.get().pk, "reached": "yes"}
    completed = epg.post(f"{base}/complete/", {"outcomes": [outcome]}, format="json")
    assert completed.json()["state"] == "completed"
    cancel = epg.post(f"{base}/cancel/", {"reason": "x"}, format="json")
    assert cancel.status_code == 409
    history = epg.get(f"{base}/history/").json()
    assert len(history) >= 5


def test_api_refuses_a_candidate_improvement_with_a_field_error(people, api_as):
    response = api_as(people.epg).post(
        "/api/v1/action-plans/",
        {"title": "P", "improvements": [ImprovementFactory().pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "selected" in field_errors(response)["improvements"][0]


def test_api_request_changes_needs_comments(plan, people, api_as):
    in_review(plan, people.pm)
    response = api_as(people.pm).post(
        f"/api/v1/action-plans/{plan.pk}/request-changes/", {"reason": ""}, format="json"
    )
    assert response.status_code == 409
    assert state(plan) == "in_review"


def test_api_filters_plans_by_state(plan, people, api_as):
    other = ProcessActionPlanFactory()
    services.plan_cancel(other, actor=people.epg, reason="No budget")
    rows = api_as(people.member).get("/api/v1/action-plans/", {"state": "cancelled"}).json()
    assert [r["id"] for r in rows["results"]] == [other.pk]
