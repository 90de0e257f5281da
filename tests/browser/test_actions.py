"""An action plan goes draft → in review → reviewed → approved by three people
in a real browser; an assignee moves a card on the board without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from actions.models import ActionItem, PlanReview, ProcessActionPlan
from opf.core.roles import EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER
from tests.actions.factories import (
    ActionItemFactory,
    PlanReviewFactory,
    ProcessActionPlanFactory,
)
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_plan_is_submitted_reviewed_and_approved_by_three_people(
    page: Page, live_server, sign_in, console_errors
):
    epg = UserFactory(username="epg", roles=[PROCESS_GROUP])
    pm = UserFactory(username="pm", roles=[PROJECT_MANAGER])
    boss = UserFactory(username="boss", roles=[EXECUTIVE])
    plan = ProcessActionPlanFactory(title="Estimation rollout", owner=epg, sponsor=boss)
    PlanReviewFactory(plan=plan, reviewer=pm)
    plan_url = f"{live_server.url}{plan.get_absolute_url()}"

    sign_in("epg")
    page.goto(plan_url)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("h1 [data-state]")).to_have_text("In review")
    expect(page.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    sign_out(page)

    sign_in("pm")
    page.locator("#home-link").click()  # "Waiting for you"
    page.locator("#work-plan-reviews").get_by_role("link", name=plan.title).click()
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.locator("#messages")).to_contain_text("The plan review is approved.")
    assert PlanReview.objects.get(plan=plan).decision == "approved"
    sign_out(page)

    sign_in("boss")
    page.goto(plan_url)
    expect(page.locator("#reviews [data-decision]")).to_have_text("Approved")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("h1 [data-state]")).to_have_text("Approved")
    assert ProcessActionPlan.objects.get(pk=plan.pk).state == "approved"
    assert console_errors == []


def test_an_assignee_moves_a_card_on_the_board_without_a_reload(
    page: Page, live_server, sign_in, console_errors
):
    member = UserFactory(username="member")
    item = ActionItemFactory(title="Write the guideline", assignee=member)
    sign_in("member")
    page.goto(f"{live_server.url}/action-plans/{item.plan_id}/board/")
    page.evaluate("window.notReloaded = true")
    card = page.locator(f"#item-{item.pk}")
    card.get_by_role("button", name="Move Write the guideline to Doing").click()
    expect(page.locator(f"#column-doing #item-{item.pk}")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert ActionItem.objects.get(pk=item.pk).status == "doing"
    assert console_errors == []
