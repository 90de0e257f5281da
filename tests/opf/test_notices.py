"""Every step that hands work to someone tells exactly them, once, and never the
person who did the step (#16)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from actions import notices as action_notices
from actions import services as actions
from actions.models import ActionItem, Commitment, Pilot
from appraisals import notices as appraisal_notices
from appraisals import services as appraisals
from deployment import notices as deployment_notices
from deployment import services as deployment
from deployment.models import AssetVersion, ProjectDeployment, TailoringRecord
from lessons import notices as lesson_notices
from lessons.models import NonCompliance
from lessons.services import learning
from opf.core.roles import EXECUTIVE, PROCESS_GROUP
from opf.core.services import save_object
from opf.notifications.models import Notification
from opf.steering import notices as steering_notices
from opf.steering import services as steering
from opf.steering.models import FollowUp
from tests.actions.factories import (
    PilotFactory,
    PlanMeetingFactory,
    PlanReviewFactory,
    ProcessActionPlanFactory,
)
from tests.appraisals.factories import AppraisalFactory, FindingFactory
from tests.deployment.factories import (
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import ProjectFactory, UserFactory
from tests.lessons.factories import LessonFactory
from tests.opf.steering_factories import ProgramDocumentFactory, SteeringMeetingFactory


@dataclass
class Event:
    """A step to run, whom it must tell (by role name) and who does it."""

    kind: str
    actor: str
    told: set[str]
    run: Callable[..., object]


def _plan(people, **kwargs):
    return ProcessActionPlanFactory(owner=people.pm, sponsor=people.executive, **kwargs)


def _submitted_plan(people):
    plan = _plan(people)
    review = PlanReviewFactory(plan=plan, reviewer=people.appraiser)
    actions.plan_submit(plan, actor=people.epg)
    Notification.objects.all().delete()
    return plan, review


def review_requested(people):
    plan = _plan(people)
    PlanReviewFactory(plan=plan, reviewer=people.appraiser)
    PlanReviewFactory(plan=plan, reviewer=people.member)
    actions.plan_submit(plan, actor=people.epg)


def plan_ready_for_approval(people):
    _plan, review = _submitted_plan(people)
    actions.review_approve(review, actor=people.appraiser)


def changes_requested(people):
    plan, _review = _submitted_plan(people)
    actions.plan_request_changes(plan, actor=people.appraiser, reason="Add the risks.")


def item_assigned(people):
    item = ActionItem(plan=_plan(people), title="Write the guideline", assignee=people.member)
    save_object(item, actor=people.epg)


def commitment_to_keep(people):
    commitment = Commitment(
        plan=_plan(people), what="Two testers", from_party="QA", to_party="EPG", owner=people.pm
    )
    save_object(commitment, actor=people.epg)
    actions.commitment_agree(commitment, actor=people.epg)  # the same promise: told once


def meeting_follow_up(people):
    meeting = PlanMeetingFactory(plan=_plan(people))
    actions.meeting_add_follow_up(
        meeting, title="Book the room", assignee=people.member, actor=people.epg
    )


def steering_follow_up(people):
    follow_up = FollowUp(meeting=SteeringMeetingFactory(), title="Fund the pilot", owner=people.pm)
    save_object(follow_up, actor=people.epg)


def _draft(author):
    version = AssetVersion(
        asset=ProcessAssetFactory(),
        number="2.0",
        change_summary="New.",
        link="https://pal.example/new/",
    )
    return save_object(version, actor=author)


def draft_awaits_approval(people):
    """Saving a draft tells nobody; submitting it tells every executive."""
    UserFactory(username="exec2", roles=[EXECUTIVE])
    version = _draft(people.epg)
    assert not Notification.objects.exists()
    deployment.asset_version_submit(version, actor=people.epg)


def draft_awaits_named_approver(people):
    """Naming an approver tells them alone."""
    UserFactory(username="exec2", roles=[EXECUTIVE])
    deployment.asset_version_submit(_draft(people.epg), actor=people.epg, approver=people.executive)


def draft_decided(people):
    version = _draft(people.epg)
    deployment.asset_version_submit(version, actor=people.epg)
    Notification.objects.all().delete()
    deployment.asset_version_approve(version, actor=people.executive)


def draft_sent_back(people):
    """Drafted and submitted by one of the process group, sent back by the executive."""
    author = UserFactory(username="author", roles=[PROCESS_GROUP])
    version = _draft(author)
    deployment.asset_version_submit(version, actor=author)
    Notification.objects.all().delete()
    deployment.asset_version_send_back(version, actor=people.executive, reason="Typos.")


def approved_returned_to_draft(people):
    """Approved, then returned to draft by another of the process group: the author hears."""
    author = UserFactory(username="author", roles=[PROCESS_GROUP])
    version = _draft(author)
    deployment.asset_version_submit(version, actor=author)
    deployment.asset_version_approve(version, actor=people.executive)
    Notification.objects.all().delete()
    deployment.asset_version_return_to_draft(version, actor=people.epg, reason="Typos.")


def policy_awaits_approval(people):
    document = ProgramDocumentFactory(kind="policy")
    steering.program_document_submit(document, actor=people.epg)


def policy_sent_back(people):
    document = ProgramDocumentFactory(kind="policy")
    steering.program_document_submit(document, actor=people.epg)
    steering.program_document_send_back(document, actor=people.executive, reason="Shorter.")


def deployment_created(people):
    project = ProjectFactory(manager=people.pm)
    save_object(
        ProjectDeployment(project=project, asset_version=ReleasedVersionFactory()),
        actor=people.epg,
    )


def plan_deploys(people):
    plan = DeploymentPlanFactory()
    plan.asset_versions.add(ReleasedVersionFactory())
    plan.target_projects.add(
        ProjectFactory(manager=people.pm), ProjectFactory(manager=people.other_pm)
    )
    deployment.deployment_plan_submit(plan, actor=people.epg)
    deployment.deployment_plan_approve(plan, actor=people.executive)


def tailoring_requested(people):
    target = ProjectDeploymentFactory(project=ProjectFactory(manager=people.pm))
    save_object(
        TailoringRecord(deployment=target, what="One review", why="Small team"), actor=people.pm
    )


def tailoring_decided(people):
    target = ProjectDeploymentFactory(project=ProjectFactory(manager=people.pm))
    record = TailoringRecord(deployment=target, what="One review", why="Small team")
    save_object(record, actor=people.pm)
    deployment.tailoring_approve(record, actor=people.epg)


def non_compliance_raised(people):
    project = ProjectFactory(manager=people.pm)
    nc = NonCompliance(title="No peer review", project=project, owner=people.other_pm)
    save_object(nc, actor=people.epg)


def appraisal_team(people):
    appraisal = AppraisalFactory(lead_appraiser=people.appraiser, sponsor=people.executive)
    appraisal.team.add(people.appraiser, people.member)
    appraisals.appraisal_schedule(appraisal, actor=people.epg)


def findings_delivered(people):
    appraisal = AppraisalFactory(
        conducting=True, lead_appraiser=people.appraiser, sponsor=people.executive
    )
    appraisal.team.add(people.appraiser)
    FindingFactory(appraisal=appraisal)
    appraisals.appraisal_deliver(appraisal, actor=people.epg)


def pilot_evaluated(people):
    pilot = PilotFactory(action_plan=_plan(people), state=Pilot.State.RUNNING)
    actions.pilot_evaluate(pilot, actor=people.epg)


def lesson_published(people):
    asset = ProcessAssetFactory(owner=people.other_pm)
    lesson = LessonFactory(project=ProjectFactory(manager=people.pm), asset=asset)
    learning.lesson_publish(lesson, actor=people.epg)


EVENTS = {
    "review requested": Event(
        action_notices.REVIEW_REQUESTED, "epg", {"appraiser", "member"}, review_requested
    ),
    "plan ready for approval": Event(
        action_notices.APPROVAL_DUE, "appraiser", {"executive"}, plan_ready_for_approval
    ),
    "changes requested": Event(
        action_notices.CHANGES_REQUESTED, "appraiser", {"pm"}, changes_requested
    ),
    "action item assigned": Event(action_notices.ITEM_ASSIGNED, "epg", {"member"}, item_assigned),
    "commitment to keep": Event(action_notices.ITEM_ASSIGNED, "epg", {"pm"}, commitment_to_keep),
    "meeting follow-up": Event(action_notices.ITEM_ASSIGNED, "epg", {"member"}, meeting_follow_up),
    "steering follow-up": Event(
        steering_notices.FOLLOW_UP_ASSIGNED, "epg", {"pm"}, steering_follow_up
    ),
    "draft awaits approval": Event(
        deployment_notices.APPROVAL_DUE, "epg", {"executive", "exec2"}, draft_awaits_approval
    ),
    "draft awaits the named approver": Event(
        deployment_notices.APPROVAL_DUE, "epg", {"executive"}, draft_awaits_named_approver
    ),
    "author learns the decision": Event(
        deployment_notices.APPROVAL_DECIDED, "executive", {"epg"}, draft_decided
    ),
    "a send-back tells the author": Event(
        deployment_notices.APPROVAL_DECIDED, "executive", {"author"}, draft_sent_back
    ),
    "a return to draft tells the author": Event(
        deployment_notices.APPROVAL_DECIDED, "epg", {"author"}, approved_returned_to_draft
    ),
    "policy awaits approval": Event(
        steering_notices.DOCUMENT_APPROVAL_DUE, "epg", {"executive"}, policy_awaits_approval
    ),
    "policy sent back": Event(
        steering_notices.DOCUMENT_DECIDED, "executive", {"epg"}, policy_sent_back
    ),
    "deployment created": Event(
        deployment_notices.DEPLOYMENT_CREATED, "epg", {"pm"}, deployment_created
    ),
    "deployment plan deploys": Event(
        deployment_notices.DEPLOYMENT_CREATED, "executive", {"pm", "other_pm"}, plan_deploys
    ),
    "tailoring requested": Event(
        deployment_notices.TAILORING_REQUESTED, "pm", {"epg"}, tailoring_requested
    ),
    "tailoring decided": Event(
        deployment_notices.TAILORING_DECIDED, "epg", {"pm"}, tailoring_decided
    ),
    "non-compliance raised and assigned": Event(
        lesson_notices.NON_COMPLIANCE, "epg", {"pm", "other_pm"}, non_compliance_raised
    ),
    "appraisal team and lead": Event(
        appraisal_notices.TEAM, "epg", {"appraiser", "member"}, appraisal_team
    ),
    "findings delivered to the sponsor": Event(
        appraisal_notices.FINDINGS_DELIVERED, "epg", {"executive"}, findings_delivered
    ),
    "ratings await the lead": Event(
        appraisal_notices.RATINGS_TO_CONFIRM, "epg", {"appraiser"}, findings_delivered
    ),
    "pilot decision due": Event(
        action_notices.PILOT_DECISION_DUE, "epg", {"pm", "executive"}, pilot_evaluated
    ),
    "lesson published": Event(
        lesson_notices.LESSON_PUBLISHED, "epg", {"pm", "other_pm"}, lesson_published
    ),
}


def told_of(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EVENTS))
def test_each_step_tells_exactly_whom_it_concerns_once(name, people):
    event = EVENTS[name]
    event.run(people)
    assert told_of(event.kind) == sorted(event.told)
    assert event.actor not in told_of(event.kind)
    for n in Notification.objects.filter(kind=event.kind):
        assert n.url and n.title


@pytest.mark.django_db
def test_nobody_is_told_of_their_own_step(people):
    item = ActionItem(plan=_plan(people), title="Mine", assignee=people.epg)
    save_object(item, actor=people.epg)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_saved_again_record_tells_nobody_twice_even_after_reading(people):
    item = ActionItem(plan=_plan(people), title="Write it", assignee=people.member)
    save_object(item, actor=people.epg)
    Notification.objects.update(read_at=Notification.objects.get().created_at)
    item.title = "Write it well"
    save_object(item, actor=people.epg)  # the same assignment: no new event
    assert Notification.objects.count() == 1
    item.assignee = people.pm
    save_object(item, actor=people.epg)  # a new assignee: a new event, for them
    assert told_of(action_notices.ITEM_ASSIGNED) == ["member", "pm"]


@pytest.mark.django_db
def test_a_member_added_to_a_scheduled_team_is_told_through_the_page_and_the_api(
    people, client_as, api_as
):
    """The team is many-to-many: it is written after the appraisal row, and the
    feature is told only then, so a newcomer hears whichever door added them."""
    appraisal = AppraisalFactory(lead_appraiser=people.appraiser, sponsor=people.executive)
    appraisal.team.add(people.appraiser)
    appraisals.appraisal_schedule(appraisal, actor=people.epg)
    assert told_of(appraisal_notices.TEAM) == ["appraiser"]

    response = api_as(people.epg).patch(
        f"/api/v1/appraisals/{appraisal.pk}/",
        {"team": [people.appraiser.pk, people.member.pk]},
        format="json",
    )
    assert response.status_code == 200, response.text
    assert told_of(appraisal_notices.TEAM) == ["appraiser", "member"]

    from appraisals.forms import AppraisalForm

    appraisal.refresh_from_db()
    form = AppraisalForm(instance=appraisal, user=people.epg)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or field.disabled:
            continue
        data[name] = [getattr(v, "pk", v) for v in value] if isinstance(value, list) else value
    data["team"] = [people.appraiser.pk, people.member.pk, people.pm.pk]
    page = client_as(people.epg).post(f"/appraisals/{appraisal.pk}/edit/", data)
    assert page.status_code == 302, page.content.decode()[:2000]
    assert told_of(appraisal_notices.TEAM) == ["appraiser", "member", "pm"]
