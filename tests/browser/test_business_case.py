"""The process group fills an improvement's business case and reads its payback;
then tries to complete a plan with an open item, carries the item over to the
next plan and completes, answering whether the objective was reached."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from actions.models import ActionItem, Improvement, ProcessActionPlan
from opf.core.roles import PROCESS_GROUP
from tests.actions.factories import (
    ActionItemFactory,
    CostRateFactory,
    ImprovementFactory,
    ProcessActionPlanFactory,
)
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
