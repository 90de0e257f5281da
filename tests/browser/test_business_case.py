"""The process group fills an improvement's business case and reads its payback;
then tries to complete a plan with an open item, carries the item over to the
next plan and completes, answering whether the objective was reached."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from actions.models import ActionItem, Improvement, ProcessActionPlan
from opf.core.roles import PROCESS_GROUP
from tests.actions.factories import (
    ActionItemFactory,
    CostRateFactory,
    ImprovementFactory,
    ProcessActionPlanFactory,
)
from tests.browser.conftest import signed_in_without_javascript
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_process_group_fills_a_business_case_and_sees_the_payback(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", roles=[PROCESS_GROUP])
    CostRateFactory(hourly_rate="90")
    improvement = ImprovementFactory(title="Peer reviews of estimates")
    sign_in("epg")
    page.goto(f"{live_server.url}/improvements/{improvement.pk}/edit/")
    page.get_by_label("Estimated effort (hours)").fill("120")
    page.get_by_label("Other cost (money)").fill("2000")
    page.get_by_label("Benefit a year (money)").fill("48000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#case-cost")).to_contain_text("12800.00")
    expect(page.locator("#case-payback")).to_contain_text("3.2")
    expect(page.locator("#case-ratio")).to_have_text("3.75")
    assert Improvement.objects.get(pk=improvement.pk).estimated_hours == 120
    assert console_errors == []


def test_process_group_carries_an_open_item_over_then_completes_the_plan(
    page: Page, live_server, sign_in, console_errors
):
    epg = UserFactory(username="epg", roles=[PROCESS_GROUP])
    plan = ProcessActionPlanFactory(title="Traceability rollout", state="in_progress", owner=epg)
    improvement = ImprovementFactory(title="Trace links", state="in_action")
    plan.improvements.add(improvement)
    item = ActionItemFactory(plan=plan, title="Migrate the last project")
    ProcessActionPlanFactory(title="Traceability wave two")
    sign_in("epg")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    open_work = page.locator("#open-work")
    expect(open_work.get_by_role("link", name="Migrate the last project")).to_be_visible()
    expect(page.locator("#complete-form")).to_have_count(0)
    open_work.get_by_label("Action item").check()
    carry = page.locator("#carry-form")
    carry.get_by_label("Carry over to plan").select_option(label="Traceability wave two")
    carry.get_by_label("Reason").fill("Waits for the tool upgrade.")
    carry.get_by_role("button", name="Carry over").click()
    expect(page.locator("#messages")).to_contain_text("Carried 1 record over")
    assert ActionItem.objects.get(pk=item.pk).carried_to is not None
    page.get_by_label("Objective of “Trace links” reached?").select_option("partly")
    page.get_by_label("Note on “Trace links”").fill("Three projects of five migrated.")
    page.get_by_role("button", name="Complete the plan").click()
    expect(page.locator("h1 [data-state]")).to_have_text("Completed")
    assert ProcessActionPlan.objects.get(pk=plan.pk).state == "completed"
    assert Improvement.objects.get(pk=improvement.pk).objective_reached == "partly"
    assert console_errors == []


def _many_open_plans(settings) -> tuple[ProcessActionPlan, ActionItem]:
    """A plan in progress with an open item, and more open plans than the page lists
    (``OPF_FULL_CHOICES``): the "to plan" picker searches them."""
    settings.OPF_FULL_CHOICES = 2
    epg = UserFactory(username="epg", roles=[PROCESS_GROUP])
    plan = ProcessActionPlanFactory(title="Traceability rollout", state="in_progress", owner=epg)
    item = ActionItemFactory(plan=plan, title="Migrate the last project")
    for title in ("Estimation wave one", "Estimation wave two", "Review guideline"):
        ProcessActionPlanFactory(title=title, state="approved")
    ProcessActionPlanFactory(title="Traceability wave two")
    return plan, item


def test_the_carry_over_picker_fetches_the_plans_as_the_person_types(
    page: Page, live_server, sign_in, console_errors, settings
):
    plan, item = _many_open_plans(settings)
    sign_in("epg")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    carry = page.locator("#carry-form")
    expect(carry.locator("select#id_carry_to_plan option")).to_have_count(1)  # the prompt only
    page.locator("#open-work").get_by_label("Action item").check()
    carry.get_by_role("combobox", name="Carry over to plan").focus()
    page.keyboard.type("Traceability")
    options = page.locator("#id_carry_to_plan-ts-dropdown .option")
    expect(options).to_have_count(1)  # wave two; not this plan, nor the estimation plans
    options.filter(has_text="Traceability wave two").click()
    carry.get_by_label("Reason").fill("Waits for the tool upgrade.")
    carry.get_by_role("button", name="Carry over").click()
    expect(page.locator("#messages")).to_contain_text("Carried 1 record over")
    carried_to = ActionItem.objects.get(pk=item.pk).carried_to
    assert carried_to is not None and carried_to.title == "Traceability wave two"
    assert console_errors == []


def test_without_javascript_the_carry_over_lists_every_plan_on_request(
    browser: Browser, live_server, settings
):
    plan, item = _many_open_plans(settings)
    page = signed_in_without_javascript(browser, live_server, "epg")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    carry = page.locator("#carry-form")
    to_plan = carry.get_by_label("Carry over to plan")
    expect(to_plan.locator("option")).to_have_count(1)
    carry.get_by_role("link", name="Show every choice").click()
    carry = page.locator("#carry-form")
    to_plan = carry.get_by_label("Carry over to plan")
    expect(to_plan.locator("option")).to_have_count(5)  # the prompt and the four other plans
    page.locator("#open-work").get_by_label("Action item").check()
    to_plan.select_option(label="Review guideline")
    carry.get_by_label("Reason").fill("Belongs with the guideline.")
    carry.get_by_role("button", name="Carry over").click()
    expect(page.locator("#messages")).to_contain_text("Carried 1 record over")
    carried_to = ActionItem.objects.get(pk=item.pk).carried_to
    assert carried_to is not None and carried_to.title == "Review guideline"
    page.context.close()
