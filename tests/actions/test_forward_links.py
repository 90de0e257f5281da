"""Forward links along the loop (#16): each step's page offers the next step's create
page, prefilled; a child added from its parent's page returns to the parent."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from actions.models import ActionItem, Milestone, Pilot, PlanReview, SuccessCriterion
from deployment.models import AssetVersion
from tests.actions.factories import ImprovementFactory, PilotFactory, ProcessActionPlanFactory
from tests.deployment.factories import AssetVersionFactory, ReleasedVersionFactory

pytestmark = pytest.mark.django_db

EFFORT = {"planned_effort": "4", "spent_effort": "0"}


def main_of(html: str) -> str:
    """The page's own content: the top bar's "New…" menu links every create page."""
    found = re.search(r"<main\b.*?</main>", html, re.S)
    assert found is not None
    return found.group(0)


def link_to(html: str, path: str) -> str:
    """The one link in the page's content that starts with ``path`` (its href, unescaped)."""
    found = re.findall(rf'href="({re.escape(path)}[^"]*)"', main_of(html))
    assert len(found) == 1, (path, found)
    return found[0].replace("&amp;", "&")


def selected(html: str, field: str) -> list[str]:
    """The values a form's select or input ``field`` starts with."""
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None, field
    return re.findall(r'<option value="(\d+)"[^>]*selected', select.group(1))


def test_a_selected_improvement_offers_an_action_plan_prefilled_with_it(people, client_as):
    client = client_as(people.epg)
    improvement = ImprovementFactory(state="selected")
    page = client.get(improvement.get_absolute_url()).content.decode()
    create = link_to(page, "/action-plans/add/")
    assert create == f"/action-plans/add/?improvements={improvement.pk}"
    assert selected(client.get(create).content.decode(), "improvements") == [str(improvement.pk)]


def test_a_candidate_improvement_offers_no_plan_yet(people, client_as):
    improvement = ImprovementFactory(state="candidate")
    page = client_as(people.epg).get(improvement.get_absolute_url()).content.decode()
    assert "/action-plans/add/" not in main_of(page)


def test_a_plan_offers_a_pilot_prefilled_with_it(people, client_as):
    client = client_as(people.epg)
    plan = ProcessActionPlanFactory(owner=people.epg)
    create = link_to(client.get(plan.get_absolute_url()).content.decode(), "/pilots/add/")
    assert create == f"/pilots/add/?action_plan={plan.pk}"
    assert selected(client.get(create).content.decode(), "action_plan") == [str(plan.pk)]


def test_an_adopted_pilot_offers_a_new_asset_version_prefilled_with_it(people, client_as):
    client = client_as(people.epg)
    pilot = PilotFactory(state=Pilot.State.DECIDED, decision=Pilot.Decision.ADOPT)
    create = link_to(client.get(pilot.get_absolute_url()).content.decode(), "/asset-versions/add/")
    assert create == f"/asset-versions/add/?pilot={pilot.pk}"
    assert selected(client.get(create).content.decode(), "pilot") == [str(pilot.pk)]


def test_a_released_version_offers_deploy_prefilled_with_it(people, client_as):
    client = client_as(people.epg)
    version = ReleasedVersionFactory()
    page = client.get(version.get_absolute_url()).content.decode()
    create = link_to(page, "/project-deployments/add/")
    assert create == f"/project-deployments/add/?asset_version={version.pk}"
    assert selected(client.get(create).content.decode(), "asset_version") == [str(version.pk)]


def test_a_draft_version_is_not_deployed_yet(people, client_as):
    draft = AssetVersionFactory(state=AssetVersion.State.DRAFT)
    page = client_as(people.epg).get(draft.get_absolute_url()).content.decode()
    assert "/project-deployments/add/" not in page


def _plan_children(plan, people):
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    return [
        (
            "/action-items/add/",
            ActionItem,
            {"plan": plan.pk, "title": "Write it", "due": due, **EFFORT},
        ),
        ("/milestones/add/", Milestone, {"plan": plan.pk, "title": "Pilot ready", "due": due}),
        ("/plan-reviews/add/", PlanReview, {"plan": plan.pk, "reviewer": people.member.pk}),
    ]


def test_a_child_added_from_its_plan_returns_to_the_plan(people, client_as):
    client = client_as(people.epg)
    plan = ProcessActionPlanFactory(owner=people.epg)
    page = client.get(plan.get_absolute_url()).content.decode()
    for path, model, data in _plan_children(plan, people):
        create = link_to(page, path)
        assert f"next={plan.get_absolute_url()}" in create
        form = client.get(create).content.decode()
        assert f'name="next" value="{plan.get_absolute_url()}"' in form
        assert f'href="{plan.get_absolute_url()}">Cancel' in form
        response = client.post(path, {**data, "next": plan.get_absolute_url()})
        assert response.status_code == 302, response.context["form"].errors
        assert response.url == plan.get_absolute_url(), model
        assert model.objects.filter(plan=plan).count() == 1


def test_a_criterion_added_from_its_pilot_returns_to_the_pilot(people, client_as):
    client = client_as(people.epg)
    pilot = PilotFactory()
    create = link_to(client.get(pilot.get_absolute_url()).content.decode(), "/success-criteria/")
    assert f"next={pilot.get_absolute_url()}" in create
    data = {"pilot": pilot.pk, "measure": "Defects", "comparator": "<=", "target": "3"}
    response = client.post("/success-criteria/add/", {**data, "next": pilot.get_absolute_url()})
    assert response.status_code == 302
    assert response.url == pilot.get_absolute_url()
    assert SuccessCriterion.objects.filter(pilot=pilot).count() == 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_a_foreign_return_address_is_ignored(target, people, client_as):
    client = client_as(people.epg)
    plan = ProcessActionPlanFactory(owner=people.epg)
    data = {"plan": plan.pk, "title": "Write it", "next": target, **EFFORT}
    response = client.post("/action-items/add/", data)
    item = ActionItem.objects.get(plan=plan)
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    assert target not in client.get(f"/action-items/add/?next={quote(target)}").content.decode()
