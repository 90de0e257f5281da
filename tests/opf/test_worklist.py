"""The home page is each role's worklist (#16): the blocks the apps contribute
(``<app>.worklist``), the ``my-work`` API that lists exactly the same, and the
filtered lists the blocks link to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ProcessActionPlan
from appraisals.models import Appraisal
from deployment.models import AssetVersion, DeploymentPlan, ProjectDeployment, TailoringRecord
from lessons.models import ImprovementProposal, Lesson
from opf.core import worklist
from tests.actions.factories import (
    ActionItemFactory,
    CommitmentFactory,
    PlanReviewFactory,
    ProcessActionPlanFactory,
)
from tests.appraisals.factories import AppraisalFactory, CharacterizationFactory, RatingFactory
from tests.deployment.factories import (
    AssetVersionFactory,
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    TailoringRecordFactory,
)
from tests.factories import PracticeFactory, ProjectFactory
from tests.lessons.factories import (
    ImprovementProposalFactory,
    LessonFactory,
    NonComplianceFactory,
)
from tests.opf.steering_factories import FollowUpFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

ROLES = ["epg", "executive", "pm", "appraiser", "member"]

# What each role finds on its home page, by kind, with how many records.
EXPECTED = {
    "epg": {
        "tailoring-to-decide": 1,
        "open-appraisals": 1,
        "plans-late": 1,
        "drafts-waiting": 1,
        "plans-waiting": 1,
        "stale-deployments": 1,
        "overdue-non-compliances": 1,
        "proposals-to-decide": 1,
    },
    "executive": {
        "plans-to-approve": 1,
        "versions-to-approve": 1,
        "deployment-plans-to-approve": 1,
        "follow-ups": 1,
    },
    "pm": {
        "commitments": 1,
        "non-compliances": 1,
        "deployments-to-update": 2,
        "lessons-to-reuse": 1,
    },
    "appraiser": {"ratings-to-confirm": 1, "my-appraisals": 1},
    "member": {
        "plan-reviews": 1,
        "action-items": 2,
        "my-lessons": 1,
        "my-proposals": 1,
    },
}


@dataclass
class World:
    plan: ProcessActionPlan
    late_item: object
    later_item: object
    appraisal: Appraisal
    stale: ProjectDeployment
    fresh: ProjectDeployment


def build(people) -> World:
    """Something waiting for every role, and records waiting for nobody beside them."""
    today = timezone.localdate()
    plan = ProcessActionPlanFactory(
        owner=people.epg, sponsor=people.executive, state=ProcessActionPlan.State.IN_REVIEW
    )
    PlanReviewFactory(plan=plan, reviewer=people.member)
    later_item = ActionItemFactory(plan=plan, assignee=people.member, due=today + timedelta(9))
    late_item = ActionItemFactory(plan=plan, assignee=people.member, due=today - timedelta(2))
    ActionItemFactory(plan=plan, assignee=people.member, status="done", due=today)  # done
    CommitmentFactory(plan=plan, owner=people.pm, due=today + timedelta(5))
    CommitmentFactory(plan=plan, owner=people.pm, status="kept")  # kept: done
    CommitmentFactory(plan=plan, owner=people.other_pm)  # not theirs
    AssetVersionFactory()  # a draft: nobody's yet
    AssetVersionFactory(state=AssetVersion.State.SUBMITTED)  # for the executives
    DeploymentPlanFactory(state=DeploymentPlan.State.SUBMITTED)
    FollowUpFactory(owner=people.executive, due=today + timedelta(3))

    project = ProjectFactory(manager=people.pm)
    stale = ProjectDeploymentFactory(project=project)
    ProjectDeployment.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - timedelta(days=90)
    )
    fresh = ProjectDeploymentFactory(project=project)
    ProjectDeploymentFactory(project=project, state=ProjectDeployment.State.VERIFIED)  # done
    ProjectDeploymentFactory(project=ProjectFactory(manager=people.other_pm))  # not theirs
    TailoringRecordFactory(deployment=fresh, state=TailoringRecord.State.REQUESTED)
    NonComplianceFactory(project=project, due_date=today - timedelta(1))
    NonComplianceFactory(project=ProjectFactory(manager=people.other_pm))  # not theirs
    LessonFactory(project=project, state=Lesson.State.PUBLISHED, submitted_by=people.member)
    ImprovementProposalFactory(submitted_by=people.member)

    appraisal = AppraisalFactory(conducting=True, lead_appraiser=people.appraiser)
    area = appraisal.process_areas.get()
    practices = PracticeFactory.create_batch(2, process_area=area, goal__process_area=area)
    CharacterizationFactory(
        appraisal=appraisal, practice=practices[0], org_unit=appraisal.org_units.get()
    )
    RatingFactory(appraisal=appraisal)
    AppraisalFactory(state=Appraisal.State.CLOSED, lead_appraiser=people.appraiser)  # done
    return World(plan, late_item, later_item, appraisal, stale, fresh)


@pytest.fixture
def world(people) -> World:
    return build(people)


def my_work(api_as, user) -> dict[str, dict]:
    response = api_as(user).get("/api/v1/my-work/")
    assert response.status_code == 200, response.content
    return {kind["kind"]: kind for kind in response.json()["kinds"]}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def blocks_on_page(html: str) -> dict[str, str]:
    """The home page's worklist blocks: slug -> the block's HTML."""
    found = {}
    for match in re.finditer(r'<section class="card work-block" id="work-([\w-]+)"', html):
        end = html.index("</section>", match.end())
        found[match.group(1)] = html[match.start() : end]
    return found


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_exactly_its_work_with_its_counts(role, people, world, api_as):
    kinds = my_work(api_as, people.by_role(role))
    assert {slug: kind["count"] for slug, kind in kinds.items()} == EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_my_work_lists_exactly_what_the_home_page_lists(role, people, world, api_as, client_as):
    user = people.by_role(role)
    kinds = my_work(api_as, user)
    page = client_as(user).get("/")
    assert page.status_code == 200
    blocks = blocks_on_page(page.content.decode())
    assert list(blocks) == list(kinds)  # the same kinds, in the same order
    for slug, kind in kinds.items():
        block = blocks[slug]
        assert f'<span class="badge">{kind["count"]}</span>' in block
        assert f'href="{path_of(kind["list_url"])}"' in block
        page_links = re.findall(r'<li(?: class="late")?><a href="([^"]+)"', block)
        assert page_links == [path_of(item["web_url"]) for item in kind["items"]]


@pytest.mark.parametrize("role", ROLES)
def test_each_block_links_to_a_list_of_exactly_its_records(role, people, world, api_as, client_as):
    user = people.by_role(role)
    for slug, kind in my_work(api_as, user).items():
        listed = path_of(kind["list_url"])
        assert listed.endswith(f"?waiting={slug}")
        page = client_as(user).get(listed)
        assert page.status_code == 200
        record = urlsplit(kind["items"][0]["url"]).path
        assert api_as(user).get(record).status_code == 200  # the record's API URL answers
        collection = record.rsplit("/", 2)[0]
        filtered = api_as(user).get(f"{collection}/?waiting={slug}&page_size=100").json()
        assert sorted(row["id"] for row in filtered["results"]) == sorted(
            item["id"] for item in kind["items"]
        ), slug
        for item in kind["items"]:
            assert path_of(item["web_url"]) in page.content.decode()


def test_overdue_items_come_first_and_are_marked_late(people, world, api_as):
    items = my_work(api_as, people.member)["action-items"]["items"]
    assert [item["id"] for item in items] == [world.late_item.pk, world.later_item.pk]
    assert [item["late"] for item in items] == [True, False]
    assert items[0]["since"] == world.late_item.due.isoformat()


def test_a_review_waits_since_it_was_asked(people, world, api_as):
    review = my_work(api_as, people.member)["plan-reviews"]["items"][0]
    asked = timezone.datetime.fromisoformat(review["since"])
    assert abs(asked - timezone.now()) < timedelta(minutes=1)
    assert review["note"] == world.plan.title


def test_the_appraiser_sees_characterization_progress(people, world, api_as, client_as):
    appraisal = my_work(api_as, people.appraiser)["my-appraisals"]["items"][0]
    # Two practices in scope x one org unit; one characterized.
    assert appraisal["note"] == "1 of 2 practice instances characterized"
    assert "1 of 2 practice instances characterized" in client_as(people.appraiser).get("/").text


def test_stale_deployments_are_the_old_ones_only(people, world, api_as):
    stale = my_work(api_as, people.epg)["stale-deployments"]["items"]
    assert [(item["id"], item["late"]) for item in stale] == [(world.stale.pk, True)]
    to_update = my_work(api_as, people.pm)["deployments-to-update"]["items"]
    assert [item["id"] for item in to_update] == [world.stale.pk, world.fresh.pk]


def test_a_decided_proposal_shows_what_became_of_it(people, world, api_as):
    ImprovementProposal.objects.update(state=ImprovementProposal.State.REJECTED)
    assert my_work(api_as, people.member)["my-proposals"]["items"][0]["note"] == "Rejected"
    assert "proposals-to-decide" not in my_work(api_as, people.epg)


def test_someone_with_nothing_waiting_is_told_so(people, client_as, api_as):
    assert my_work(api_as, people.other_pm) == {}
    page = client_as(people.other_pm).get("/")
    assert 'id="nothing-waiting"' in page.content.decode()


def test_the_navigation_counts_what_waits(people, world, client_as):
    badge = client_as(people.member).get("/waiting-count/")
    assert badge.status_code == 200
    assert ">3<" in badge.content.decode()  # one review and two items


def test_the_menu_counts_are_kept_until_the_data_changes(
    people, world, settings, django_assert_num_queries
):
    """Every page shows them: read once, then from the cache until someone writes,
    and a new item waiting shows at once (opf.core.freshness)."""
    from opf.core.navigation import _counts, counts

    settings.OPF_FIGURES_CACHE_SECONDS = 300
    first = counts(people.member)
    assert first["waiting"] > 0
    with django_assert_num_queries(0):
        assert counts(people.member) == first
    ActionItemFactory(
        plan=world.plan, assignee=people.member, due=timezone.localdate() + timedelta(3)
    )
    assert counts(people.member)["waiting"] == first["waiting"] + 1
    assert counts(people.member) == _counts(people.member)
    for role in ("pm", "executive", "appraiser"):  # kept per person
        assert counts(people.by_role(role)) == _counts(people.by_role(role))


def test_my_work_is_kept_until_the_data_changes(people, world, settings, api_as):
    """Asked again, the answer comes from the cache (no kind's query runs); a new item
    waiting shows at once (opf.core.freshness), and each person keeps their own."""
    settings.OPF_FIGURES_CACHE_SECONDS = 300
    first = my_work(api_as, people.member)
    with CaptureQueriesContext(connection) as again:
        assert my_work(api_as, people.member) == first
    assert not [q for q in again.captured_queries if "actions_actionitem" in q["sql"]]
    ActionItemFactory(
        plan=world.plan, assignee=people.member, due=timezone.localdate() + timedelta(3)
    )
    items = my_work(api_as, people.member)["action-items"]
    assert items["count"] == first["action-items"]["count"] + 1
    assert my_work(api_as, people.pm) != my_work(api_as, people.member)


def test_the_home_page_blocks_are_kept_until_the_data_changes(people, world, settings):
    """Each kind counts all its records (the open plans with a late item: every open
    plan probed), so the blocks are kept as the menu's counts are: asked again, no
    kind's query runs; a new item waiting shows at once, and each person keeps theirs."""
    settings.OPF_FIGURES_CACHE_SECONDS = 300
    today = timezone.localdate()
    first = worklist.worklist(people.member, today)
    counts = {block.kind.slug: block.count for block in first}
    assert counts["action-items"] == 2
    with CaptureQueriesContext(connection) as again:
        kept = worklist.worklist(people.member, today)
    assert not [q for q in again.captured_queries if "actions_" in q["sql"]]
    assert [(b.kind, b.count, b.list_url) for b in kept] == [
        (b.kind, b.count, b.list_url) for b in first
    ]
    assert [[e.title for e in b.entries] for b in kept] == [
        [e.title for e in b.entries] for b in first
    ]
    ActionItemFactory(plan=world.plan, assignee=people.member, due=today + timedelta(3))
    items = {b.kind.slug: b for b in worklist.worklist(people.member, today)}["action-items"]
    assert items.count == 3
    assert [b.count for b in worklist.worklist(people.pm, today)] == [
        b.count for b in worklist._blocks(people.pm, today)
    ]


def test_an_unknown_kind_is_a_field_error_in_the_api(people, api_as):
    response = api_as(people.pm).get("/api/v1/action-items/?waiting=nonsense")
    assert response.status_code == 400
    assert "waiting" in field_errors(response)


def test_a_kind_of_another_model_filters_a_list_to_nothing(people, world, api_as):
    response = api_as(people.member).get("/api/v1/non-compliances/?waiting=action-items")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_the_worklist_needs_a_signed_in_user(client_as, api_as, db):
    assert client_as(None).get("/").status_code == 302
    assert client_as(None).get("/waiting-count/").status_code == 302
    assert api_as(None).get("/api/v1/my-work/").status_code in (401, 403)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ROLES)
def test_queries_do_not_grow_with_the_rows(
    role, people, world, client_as, django_assert_max_num_queries
):
    user = people.by_role(role)
    client = client_as(user)
    page, api = _queries(client, "/"), _queries(client, "/api/v1/my-work/")
    build(people)  # everything twice over (and more for the shared kinds)
    build(people)
    with django_assert_max_num_queries(page):
        client.get("/")
    with django_assert_max_num_queries(api):
        client.get("/api/v1/my-work/")


def test_a_block_counts_all_its_records_and_shows_the_first_ones(people):
    """More records than a block shows: the count covers them all, the entries are
    the first ``LIMIT`` in the kind's order (the count is its own subquery)."""
    asset = ProcessAssetFactory()
    today = timezone.localdate()
    proposals = [
        ImprovementProposalFactory(
            asset=asset,
            state=ImprovementProposal.State.SUBMITTED,
            submitted_on=today - timedelta(days=days),
        )
        for days in range(worklist.LIMIT + 5)
    ]
    ImprovementProposalFactory(asset=asset, state=ImprovementProposal.State.REJECTED)
    found = worklist.block(worklist.kinds()["proposals-to-decide"], people.epg, today)
    assert found.count == worklist.LIMIT + 5
    oldest_first = sorted(proposals, key=lambda p: (p.submitted_on, p.pk))[: worklist.LIMIT]
    assert [entry.id for entry in found.entries] == [p.pk for p in oldest_first]
