"""Issue #24: the plan page's carry-over form offers the other open plans on demand.

Beyond ``OPF_FULL_CHOICES`` open plans the "to plan" select carries only its blank
choice and a signed search URL; the search builds the form again for the plan the
URL names (``CarryOverForm.for_choice_search``), so it answers the same plans the
form accepts: open ones, not this one. ``?all_choices=1`` lists them all (no
JavaScript). The page's queries do not grow with the number of open plans."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionItem, PlanIssue, ProcessActionPlan
from opf.core.permissions import can
from opf.core.ui.choices import SEARCH_SALT
from tests.actions.factories import (
    ActionItemFactory,
    PlanIssueFactory,
    ProcessActionPlanFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

State = ProcessActionPlan.State


def to_plan(html: str) -> tuple[str, list[str]]:
    """The "to plan" select's opening tag and its option values."""
    match = re.search(r'(<select[^>]*name="to_plan"[^>]*>)(.*?)</select>', html, re.S)
    assert match, "no carry-over select"
    return match.group(1), re.findall(r'<option value="([^"]*)"', match.group(2))


def search_url(tag: str) -> str:
    found = re.search(r'data-search-url="([^"]+)"', tag)
    assert found, tag
    return found.group(1)


@pytest.fixture
def running(people):
    """A plan in progress with an open issue (so the carry-over form is shown)."""
    plan = ProcessActionPlanFactory(state=State.IN_PROGRESS, owner=people.epg)
    PlanIssueFactory(plan=plan, title="Tool licence missing")
    return plan


def open_plans(count: int, title: str = "Wave") -> list[ProcessActionPlan]:
    states = [State.DRAFT, State.IN_REVIEW, State.APPROVED, State.IN_PROGRESS]
    return [
        ProcessActionPlanFactory(title=f"{title} {n}", state=states[n % len(states)])
        for n in range(count)
    ]


def test_a_few_open_plans_are_all_listed_but_this_one_and_the_closed(running, people, client_as):
    others = open_plans(3)
    ProcessActionPlanFactory(title="Done", state=State.COMPLETED)
    ProcessActionPlanFactory(title="Dropped", state=State.CANCELLED)
    tag, values = to_plan(client_as(people.epg).get(running.get_absolute_url()).content.decode())
    assert "data-search-url" not in tag
    assert sorted(values) == sorted(["", *(str(p.pk) for p in others)])


def test_many_open_plans_are_searched_and_a_found_one_is_carried_to(
    running, people, client_as, settings
):
    settings.OPF_FULL_CHOICES = 2
    waves = open_plans(3)
    release = ProcessActionPlanFactory(title="Release train", state=State.APPROVED)
    ProcessActionPlanFactory(title="Release done", state=State.COMPLETED)
    client = client_as(people.epg)
    html = client.get(running.get_absolute_url()).content.decode()
    tag, values = to_plan(html)
    assert values == [""]  # only the prompt: the plans are searched
    assert "all_choices=1" in html  # a browser without JavaScript asks for all of them
    url = search_url(tag)
    found = client.get(url, {"q": "release"}).json()
    assert [o["value"] for o in found["options"]] == [release.pk]  # not the completed one
    everyone = client.get(url).json()["options"]
    assert {o["value"] for o in everyone} == {p.pk for p in [*waves, release]}  # not this plan
    # this plan is not offered, even searched by its own title (its pk, "1" on a fresh
    # SQLite database, would match "Wave 1")
    assert running.title and client.get(url, {"q": running.title}).json()["options"] == []
    issue = running.issues.get()
    client.post(
        reverse("actions:processactionplan_carry_over", args=[running.pk]),
        {"records": [f"planissue-{issue.pk}"], "to_plan": release.pk, "reason": "Next train"},
    )
    assert PlanIssue.objects.get(pk=issue.pk).carried_to == release


def test_without_javascript_every_open_plan_is_listed_on_request(
    running, people, client_as, settings
):
    settings.OPF_FULL_CHOICES = 2
    others = open_plans(4)
    html = client_as(people.epg).get(f"{running.get_absolute_url()}?all_choices=1")
    tag, values = to_plan(html.content.decode())
    assert "data-search-url" not in tag
    assert sorted(values) == sorted(["", *(str(p.pk) for p in others)])


def test_the_search_is_for_who_may_carry_over_and_a_plan_they_see(
    running, people, client_as, settings
):
    settings.OPF_FULL_CHOICES = 1
    open_plans(2)
    client = client_as(people.epg)
    url = search_url(to_plan(client.get(running.get_absolute_url()).content.decode())[0])
    assert client.get(url).status_code == 200
    assert client_as(None).get(url).status_code == 302  # to the sign-in page
    nobody = UserFactory()
    nobody.groups.clear()
    assert not can(nobody, "add", ActionItem)
    assert client_as(nobody).get(url).status_code == 403
    epg = client_as(people.epg)
    path = "actions.forms.CarryOverForm"
    for state in ({"plan": 0}, None, "x"):  # no such plan, or no plan named at all
        token = signing.dumps([path, "to_plan", state], salt=SEARCH_SALT)
        assert epg.get(reverse("choices", args=[token])).status_code == 404, state


def test_the_plan_page_queries_do_not_grow_with_the_open_plans(running, people, client_as):
    ActionItemFactory(plan=running, title="Migrate the last project")
    client = client_as(people.epg)
    open_plans(3)
    with CaptureQueriesContext(connection) as few:
        client.get(running.get_absolute_url())
    open_plans(150)
    with CaptureQueriesContext(connection) as many:
        html = client.get(running.get_absolute_url()).content.decode()
    assert to_plan(html)[1] == [""]
    assert len(many.captured_queries) == len(few.captured_queries)
