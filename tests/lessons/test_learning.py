"""Lessons and proposals: anyone submits, the process group publishes and
evaluates; accepting a proposal creates the linked improvement; the submitter
is told; lessons appear on project and asset pages and for a PM's projects."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Improvement
from lessons.filters import LessonFilterSet
from lessons.models import ImprovementProposal, Lesson
from lessons.services import learning
from opf.core.errors import TransitionRefused
from opf.notifications.models import Notification
from tests.deployment.factories import ProcessAssetFactory, ProjectDeploymentFactory
from tests.factories import ProcessAreaFactory, ProjectFactory
from tests.lessons.factories import (
    ImprovementProposalFactory,
    LessonFactory,
    PublishedLessonFactory,
)
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def test_a_member_submits_a_proposal_in_the_page_and_sees_it_under_mine(people, client_as):
    asset = ProcessAssetFactory()
    client = client_as(people.member)
    assert client.get("/proposals/submit/").status_code == 200
    response = client.post(
        "/proposals/submit/",
        {
            "title": "Shorter checklist",
            "asset": asset.pk,
            "problem": "Long.",
            "proposed_change": "Cut.",
        },
    )
    assert response.status_code == 302
    proposal = ImprovementProposal.objects.get(title="Shorter checklist")
    assert proposal.submitted_by == people.member
    assert proposal.state == ImprovementProposal.State.SUBMITTED
    ImprovementProposalFactory(title="Somebody else's")
    mine = client.get("/proposals/", {"mine": "true"}).content.decode()
    assert "Shorter checklist" in mine and "Somebody else" not in mine


def test_a_submission_needs_an_asset_or_a_process_area(people, client_as, api_as):
    response = client_as(people.member).post(
        "/proposals/submit/", {"title": "Vague", "problem": "x", "proposed_change": "y"}
    )
    assert response.status_code == 200
    assert "asset" in response.context["form"].errors
    api = api_as(people.member)
    bad = api.post(
        "/api/v1/proposals/submit/",
        {"title": "Vague", "problem": "x", "proposed_change": "y"},
        format="json",
    )
    assert bad.status_code == 400 and "asset" in field_errors(bad)
    assert not ImprovementProposal.objects.exists()


def test_members_submit_through_the_api_but_do_not_evaluate(people, api_as):
    area = ProcessAreaFactory()
    api = api_as(people.member)
    created = api.post(
        "/api/v1/proposals/submit/",
        {
            "title": "Measure reviews",
            "process_area": area.pk,
            "problem": "Unknown value.",
            "proposed_change": "Count.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["submitted_by"] == people.member.pk
    assert api.post(f"/api/v1/proposals/{pk}/accept/", {}, format="json").status_code == 403
    assert ImprovementProposal.objects.get(pk=pk).state == "submitted"


def test_accepting_creates_a_linked_improvement_and_tells_the_submitter(people, api_as):
    area = ProcessAreaFactory()
    asset = ProcessAssetFactory()
    asset.process_areas.add(area)
    proposal = ImprovementProposalFactory(
        asset=asset, submitted_by=people.member, expected_benefit="Faster."
    )
    response = api_as(people.epg).post(
        f"/api/v1/proposals/{proposal.pk}/accept/", {"reason": "Good idea."}, format="json"
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    improvement = proposal.improvement
    assert isinstance(improvement, Improvement)
    assert response.json()["improvement"] == improvement.pk
    assert improvement.title == proposal.title
    assert "Faster." in improvement.description
    assert list(improvement.process_areas.all()) == [area]
    assert improvement.proposal == proposal  # the loop closes both ways
    note = Notification.objects.get(recipient=people.member)
    assert "accepted" in note.title and note.url == proposal.get_absolute_url()
    with pytest.raises(TransitionRefused):
        learning.proposal_accept(proposal, actor=people.epg)
    assert Improvement.objects.count() == 1


def test_rejecting_needs_a_reason_and_tells_the_submitter(people, client_as):
    proposal = ImprovementProposalFactory(submitted_by=people.member)
    client = client_as(people.epg)
    client.post(f"/proposals/{proposal.pk}/do/reject/", {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.state == "submitted"
    client.post(f"/proposals/{proposal.pk}/do/reject/", {"reason": "Out of scope."})
    proposal.refresh_from_db()
    assert proposal.state == "rejected" and proposal.decision_reason == "Out of scope."
    assert Notification.objects.filter(recipient=people.member, title__contains="rejected").exists()
    page = client_as(people.member).get(proposal.get_absolute_url()).content.decode()
    assert "Out of scope." in page


def test_a_member_submits_a_lesson_and_the_process_group_publishes_it(people, client_as, api_as):
    client = client_as(people.member)
    response = client.post(
        "/lessons/submit/",
        {
            "title": "Estimate early",
            "what_happened": "Late.",
            "next_time": "Early.",
            "tags": "estimation",
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.submitted_by == people.member
    assert (
        api_as(people.member)
        .post(f"/api/v1/lessons/{lesson.pk}/publish/", {}, format="json")
        .status_code
        == 403
    )
    published = api_as(people.epg).post(f"/api/v1/lessons/{lesson.pk}/publish/", {}, format="json")
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert published.json()["published_on"]


@pytest.mark.usefixtures("uncached_figures")
def test_lesson_search_over_text_and_tags_in_fixed_queries(people, client_as):
    LessonFactory(title="Branch per release", tags="configuration")
    LessonFactory(title="Other", what_happened="Estimates slipped", tags="planning")
    client = client_as(people.member)
    page = client.get("/lessons/", {"q": "configuration"}).content.decode()
    assert "Branch per release" in page and ">Other<" not in page
    assert "Other" in client.get("/lessons/", {"q": "slipped"}).content.decode()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/lessons/", {"q": "e"}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    LessonFactory.create_batch(15, project=ProjectFactory(), asset=ProcessAssetFactory())
    assert count() == small


def test_lesson_search_finds_a_substring_of_any_field_whatever_its_case(people, client_as):
    """Each searched field, a word's middle, any case: the same rows as before the
    trigram indexes (which only change how PostgreSQL finds them)."""
    in_title = LessonFactory(title="Re-ESTIMATING the backlog", what_happened="-", next_time="-")
    in_context = LessonFactory(context="underestimated", what_happened="-", next_time="-")
    in_happened = LessonFactory(what_happened="The Estimator left.", next_time="-")
    in_next = LessonFactory(what_happened="-", next_time="Ask for an estimate")
    in_tags = LessonFactory(what_happened="-", next_time="-", tags="planning,estimates")
    LessonFactory(title="Unrelated", what_happened="Late.", next_time="Plan.", tags="risk")
    found = LessonFilterSet(data={"q": "sTiMaT"}, queryset=Lesson.objects.all()).qs
    expected = {in_title.pk, in_context.pk, in_happened.pk, in_next.pk, in_tags.pk}
    assert set(found.values_list("pk", flat=True)) == expected
    page = client_as(people.epg).get("/lessons/", {"q": "ESTIMAT"}).content.decode()
    assert "Re-ESTIMATING the backlog" in page and "Unrelated" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_lesson_search_can_use_the_trigram_indexes():
    """The indexes match the expression ``icontains`` produces (else they are dead
    weight): with sequential scans discouraged the search reads them."""
    LessonFactory()
    found = LessonFilterSet(data={"q": "estimate"}, queryset=Lesson.objects.all()).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.order_by().explain()
    for field in ("title", "context", "what_happened", "next_time", "tags"):
        assert f"lessons_lesson_{field}_trgm" in plan


def test_published_lessons_show_for_projects_and_assets(people, client_as):
    project = ProjectFactory(manager=people.pm)
    deployment = ProjectDeploymentFactory(project=project)
    on_asset = PublishedLessonFactory(title="About the asset", asset=deployment.asset_version.asset)
    on_project = PublishedLessonFactory(title="About the project", project=project)
    LessonFactory(title="Not yet published", project=project)
    PublishedLessonFactory(title="Elsewhere", project=ProjectFactory())
    client = client_as(people.member)
    partial = client.get(
        f"/lessons/for/project/{project.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert on_asset.title in partial and on_project.title in partial
    assert "Not yet published" not in partial and "Elsewhere" not in partial
    assert "<html" not in partial
    asset_page = client.get(
        f"/lessons/for/processasset/{deployment.asset_version.asset_id}/"
    ).content.decode()
    assert on_asset.title in asset_page and on_project.title not in asset_page
    assert client.get("/lessons/for/user/1/").status_code == 404


def test_lessons_for_my_projects_offers_what_their_assets_taught(people, client_as):
    project = ProjectFactory(manager=people.pm, phase="startup")
    deployment = ProjectDeploymentFactory(project=project)
    PublishedLessonFactory(title="Use the checklist", asset=deployment.asset_version.asset)
    PublishedLessonFactory(title="Unrelated lesson")
    page = client_as(people.pm).get("/lessons/mine/").content.decode()
    assert project.name in page and "Use the checklist" in page and "Unrelated lesson" not in page
    assert "no active project" in client_as(people.member).get("/lessons/mine/").content.decode()


def test_template_tags_render_the_trace_link_and_lessons_panel(people):
    from django.template import Context, Template

    project = ProjectFactory()
    lesson = LessonFactory()
    source = (
        "{% load lessons_tags %}{% trace_link a %}|{% trace_link b %}|"
        "{% lessons_panel b %}|{% lessons_panel a %}"
    )
    text = Template(source).render(Context({"a": lesson, "b": project}))
    link, none, panel, no_panel = text.split("|")
    assert f"/trace/lessons/lesson/{lesson.pk}/" in link
    assert none == "" and no_panel == ""
    assert f'hx-get="/lessons/for/project/{project.pk}/"' in panel
