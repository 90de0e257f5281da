"""Action items: progress weighted by effort, late items, the board's moves
(HTMX and plain posts), assignees' own updates, "My work", and fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import queries, services
from actions.filters import ActionItemFilterSet
from actions.models import ActionItem
from opf.core.errors import TransitionRefused
from tests.actions.factories import (
    ActionItemFactory,
    CommitmentFactory,
    ImprovementFactory,
    MilestoneFactory,
    PilotFactory,
    PlanIssueFactory,
    PlanMeetingFactory,
    PlanReviewFactory,
    PlanTeamMemberFactory,
    ProcessActionPlanFactory,
)
from tests.factories import UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def item(**kwargs) -> ActionItem:
    status = kwargs.pop("status", "todo")
    made = ActionItem(**kwargs)
    made.status = status
    return made


def test_progress_is_done_planned_effort_over_all_planned_effort():
    items = [
        item(planned_effort=Decimal("30"), status="done"),
        item(planned_effort=Decimal("10"), status="doing"),
        item(planned_effort=Decimal("60"), status="todo"),
    ]
    progress = services.plan_progress(items)
    assert (progress.done, progress.total, progress.percent) == (30, 100, 30)


def test_progress_counts_unestimated_items_as_one_hour_and_rounds_half_up():
    items = [
        item(planned_effort=Decimal("0"), status="done"),
        item(planned_effort=Decimal("0"), status="blocked"),
        item(planned_effort=Decimal("6"), status="done"),
    ]
    progress = services.plan_progress(items)
    assert (progress.done, progress.total, progress.percent) == (7, 8, 88)  # 87.5 → 88


def test_progress_of_no_items_is_zero():
    assert services.plan_progress([]).percent == 0


def test_late_means_open_and_past_its_due_date():
    assert item(due=today() - timedelta(days=1)).is_late(today())
    assert not item(due=today()).is_late(today())
    assert not item(due=today() - timedelta(days=1), status="done").is_late(today())
    assert not item(due=None).is_late(today())


def test_plan_page_shows_progress_late_items_and_timeline(people, client_as):
    plan = ProcessActionPlanFactory()
    late = ActionItemFactory(plan=plan, title="Late one", due=today() - timedelta(days=3))
    done = ActionItemFactory(plan=plan, planned_effort=Decimal("24"))
    services.action_item_move(done, status="done", actor=people.epg)
    MilestoneFactory(plan=plan, title="Pilot ready")
    response = client_as(people.member).get(plan.get_absolute_url())
    page = response.content.decode()
    assert response.context["progress"].percent == 75  # 24 of 32 hours
    assert 'id="progress-percent">75%' in page
    assert [i.pk for i in response.context["items"] if i.late] == [late.pk]
    assert 'class="late"' in page and "<svg" in page and "Pilot ready" in page


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def populate(plan, people, n: int) -> None:
    """n items (some late, some with a milestone), milestones and reviews."""
    milestone = MilestoneFactory(plan=plan)
    for index in range(n):
        ActionItemFactory(
            plan=plan,
            assignee=people.member,
            milestone=milestone if index % 2 else None,
            due=today() + timedelta(days=index - n // 2),
        )
        MilestoneFactory(plan=plan)
        PlanReviewFactory(plan=plan)
        PlanTeamMemberFactory(plan=plan)
        CommitmentFactory(plan=plan)
        PlanIssueFactory(plan=plan, owner=people.pm)
        PlanMeetingFactory(plan=plan)
        PilotFactory(action_plan=plan)
        plan.improvements.add(ImprovementFactory(state="selected"))


def test_plan_page_and_board_queries_do_not_grow(people, client_as):
    client = client_as(people.member)
    plan = ProcessActionPlanFactory()
    populate(plan, people, 2)
    urls = [plan.get_absolute_url(), f"/action-plans/{plan.pk}/board/"]
    small = [count(client, url) for url in urls]
    populate(plan, people, 15)
    assert [count(client, url) for url in urls] == small
    assert small[1] <= 12


def test_board_moves_a_card_with_htmx_and_without_js(people, client_as):
    plan = ProcessActionPlanFactory()
    mine = ActionItemFactory(plan=plan, assignee=people.member)
    client = client_as(people.member)
    board = client.get(f"/action-plans/{plan.pk}/board/").content.decode()
    assert f"/action-items/{mine.pk}/move/" in board
    response = client.post(
        f"/action-items/{mine.pk}/move/", {"status": "doing"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    doing = html.index('id="column-doing"')
    assert html.index(f'id="item-{mine.pk}"') > doing
    assert ActionItem.objects.get(pk=mine.pk).status == "doing"
    response = client.post(f"/action-items/{mine.pk}/move/", {"status": "done"})
    assert response.status_code == 302
    assert response.url == f"/action-plans/{plan.pk}/board/"
    assert ActionItem.objects.get(pk=mine.pk).status == "done"
    bad = client.post(f"/action-items/{mine.pk}/move/", {"status": "lost"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "Choose a status" in bad.content.decode()


def test_only_the_assignee_and_the_process_group_move_an_item(people, client_as):
    theirs = ActionItemFactory(assignee=people.pm)
    assert (
        client_as(people.member)
        .post(f"/action-items/{theirs.pk}/move/", {"status": "doing"})
        .status_code
        == 403
    )
    board = client_as(people.member).get(f"/action-plans/{theirs.plan_id}/board/").content
    assert f"/action-items/{theirs.pk}/move/".encode() not in board
    with pytest.raises(TransitionRefused):
        services.action_item_move(theirs, status="done", actor=people.member)
    assert (
        client_as(people.epg)
        .post(f"/action-items/{theirs.pk}/move/", {"status": "blocked"})
        .status_code
        == 302
    )
    assert ActionItem.objects.get(pk=theirs.pk).status == "blocked"


def test_moves_are_in_the_history(people):
    mine = ActionItemFactory(assignee=people.member)
    services.action_item_move(mine, status="doing", actor=people.member)
    entry = mine.history.first()
    assert entry.status == "doing" and entry.history_user == people.member


def test_assignee_updates_spent_effort_but_not_the_plan_of_their_item(people, api_as):
    mine = ActionItemFactory(assignee=people.member)
    api = api_as(people.member)
    ok = api.patch(f"/api/v1/action-items/{mine.pk}/", {"spent_effort": "3.5"}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ActionItem.objects.get(pk=mine.pk).spent_effort == Decimal("3.5")
    refused = api.patch(f"/api/v1/action-items/{mine.pk}/", {"title": "Mine now"}, format="json")
    assert refused.status_code == 400 and "title" in field_errors(refused)
    other = ActionItemFactory(assignee=people.pm)
    assert (
        api.patch(
            f"/api/v1/action-items/{other.pk}/", {"spent_effort": "1.0"}, format="json"
        ).status_code
        == 403
    )
    moved = api.post(f"/api/v1/action-items/{mine.pk}/move/", {"status": "done"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "done"
    assert (
        api.post(
            f"/api/v1/action-items/{other.pk}/move/", {"status": "done"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/api/v1/action-items/{mine.pk}/move/", {"status": "nowhere"}, format="json"
        ).status_code
        == 400
    )


def test_assignee_edit_page_only_enables_their_fields(people, client_as):
    mine = ActionItemFactory(assignee=people.member)
    form = client_as(people.member).get(f"/action-items/{mine.pk}/edit/").context["form"]
    assert not form.fields["spent_effort"].disabled
    assert form.fields["title"].disabled and form.fields["assignee"].disabled


def test_api_filters_items_by_plan_assignee_status_and_due_range(people, api_as):
    plan = ProcessActionPlanFactory()
    early = ActionItemFactory(plan=plan, assignee=people.member, due=date(2026, 3, 1))
    ActionItemFactory(plan=plan, assignee=people.pm, due=date(2026, 3, 2))
    ActionItemFactory(assignee=people.member, due=date(2026, 3, 1))
    api = api_as(people.executive)
    rows = api.get(
        "/api/v1/action-items/",
        {
            "plan": plan.pk,
            "assignee": people.member.pk,
            "status": "todo",
            "due_before": "2026-03-01",
            "due_after": "2026-02-01",
        },
    ).json()["results"]
    assert [r["id"] for r in rows] == [early.pk]
    assert api.get("/api/v1/action-items/", {"due_before": "soon"}).status_code == 400


def test_the_home_page_lists_my_open_items_and_pending_reviews(people, client_as):
    late = ActionItemFactory(assignee=people.member, due=today() - timedelta(days=1))
    ActionItemFactory(assignee=people.pm)
    finished = ActionItemFactory(assignee=people.member)
    services.action_item_move(finished, status="done", actor=people.epg)
    plan = ProcessActionPlanFactory()
    PlanReviewFactory(plan=plan, reviewer=people.member)
    services.plan_submit(plan, actor=people.epg)
    response = client_as(people.member).get("/")
    blocks = {block.kind.slug: block for block in response.context["waiting"]}
    assert [e.id for e in blocks["action-items"].entries] == [late.pk]
    assert blocks["action-items"].late_count == 1
    reviews = blocks["plan-reviews"].entries
    assert [e.url for e in reviews] == [plan.reviews.get().get_absolute_url()]
    assert plan.title in response.content.decode()


def test_timeline_places_rows_on_a_date_axis():
    plan_items = [item(pk=1, title="A", due=today() + timedelta(days=10))]
    timeline = queries.timeline([], plan_items, today())
    assert timeline is not None
    row = timeline.rows[0]
    assert row.x == queries.LABEL_WIDTH + queries.AXIS_WIDTH  # the last date: the axis end
    assert timeline.today_x == queries.LABEL_WIDTH
    assert queries.timeline([], [item(pk=2, title="B", due=None)], today()) is None


def test_items_of_a_closed_plan_no_longer_move(people, client_as):
    mine = ActionItemFactory(assignee=people.member)
    services.plan_cancel(mine.plan, actor=people.epg, reason="Dropped")
    mine.refresh_from_db()
    with pytest.raises(TransitionRefused, match="Cancelled"):
        services.action_item_move(mine, status="done", actor=people.member)
    response = client_as(people.member).post(
        f"/action-items/{mine.pk}/move/", {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409 and "no longer move" in response.content.decode()
    assert ActionItem.objects.get(pk=mine.pk).status == "todo"


def test_an_item_is_done_only_through_its_move_which_dates_it(people, api_as):
    """``done_on`` is the move's (actions.services.action_item_move): no edit sets the status."""
    item = ActionItemFactory()
    api = api_as(people.epg)
    url = f"/api/v1/action-items/{item.pk}/"
    edited = api.patch(url, {"status": "done"}, format="json")
    assert edited.status_code == 400 and "status" in field_errors(edited)
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("todo", None)
    moved = api.post(f"{url}move/", {"status": "done"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "done"
    item.refresh_from_db()
    assert item.done_on == today()
    services.action_item_move(item, status="blocked", actor=people.epg)
    item.refresh_from_db()
    assert item.done_on is None


def test_item_list_filters_offer_each_assignee_and_milestone_with_items_once(people):
    """The assignee and milestone selects list those with items, each once, however
    many items they have (a semi-join, not a DISTINCT over every item)."""
    plan = ProcessActionPlanFactory()
    busy, idle = MilestoneFactory(plan=plan), MilestoneFactory(plan=plan)
    for _ in range(3):
        ActionItemFactory(plan=plan, milestone=busy, assignee=people.member)
    ActionItemFactory(plan=plan, assignee=people.pm)
    form = ActionItemFilterSet(data={}).form
    assert list(form.fields["assignee"].queryset) == sorted(
        [people.member, people.pm], key=lambda user: user.username
    )
    assert list(form.fields["milestone"].queryset) == [busy]
    assert idle not in form.fields["milestone"].queryset


def test_waiting_items_list_queries_do_not_grow_with_items_people_or_milestones(people, client_as):
    """The home page's link (``?waiting=action-items``): its filter selects and rows
    cost the same queries however many items, assignees and milestones there are."""
    ActionItemFactory(assignee=people.member, milestone=MilestoneFactory())
    client = client_as(people.member)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/action-items/", {"waiting": "action-items"}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _ in range(6):
        plan = ProcessActionPlanFactory()
        milestone = MilestoneFactory(plan=plan)
        ActionItemFactory(plan=plan, milestone=milestone, assignee=people.member)
        ActionItemFactory(plan=plan, milestone=milestone, assignee=UserFactory())
    assert count() == small
