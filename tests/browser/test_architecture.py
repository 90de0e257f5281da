"""The process-group lead opens the process architecture from the menu, adds a
sub-process under a process with its owner and sees it in the tree (#20); the tree
reads on a phone too."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from lessons.models import Handoff, Process
from opf.core.roles import PROCESS_GROUP, PROJECT_MANAGER
from tests.browser.conftest import assert_sound_page, choose
from tests.deployment.factories import ProjectDeploymentFactory, ReleasedVersionFactory
from tests.factories import UserFactory
from tests.lessons.factories import ProcessFactory, ValueChainFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SHOTS = os.environ.get("OPF_ARCHITECTURE_SHOTS", "")  # a folder to keep the screenshots in


def test_the_process_group_lead_adds_a_sub_process_and_sees_it_in_the_tree(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", first_name="Priya", last_name="Lead", roles=[PROCESS_GROUP])
    owner = UserFactory(first_name="Grace", last_name="Planner", roles=[PROJECT_MANAGER])
    chain = ValueChainFactory(name="Develop and deliver products", owner=owner)
    plan = ProcessFactory(name="Plan and manage projects", parent=chain, owner=owner)
    version = ReleasedVersionFactory(number="1.0", asset__code="pp-tmpl")
    plan.assets.set([version.asset])
    ProjectDeploymentFactory(asset_version=version, state="in_use")
    build = ProcessFactory(name="Build and verify", parent=chain, owner=owner)
    Handoff.objects.create(source=plan, target=build, work_product="Project plan and schedule")

    sign_in("epg")
    page.set_viewport_size({"width": 1366, "height": 900})
    menu = page.get_by_role("navigation", name="Main")
    link = menu.get_by_role("link", name="Process architecture", exact=True)
    if not link.is_visible():
        menu.locator("details.nav-section").filter(
            has=page.get_by_role("link", name="Process architecture", include_hidden=True)
        ).locator("summary").click()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Process architecture")
    expect(page.locator("#process-coverage")).to_contain_text(
        "1 of 2 processes are defined enterprise-wide"
    )
    page.get_by_role("link", name="Add a process").click()
    page.get_by_label("Name").fill("Estimate work")
    page.get_by_label("Code").fill("estimate")
    choose(page, "Kind", "Sub-process")
    choose(page, "Part of", "\u00a0\u00a0\u00a0Plan and manage projects")
    choose(page, "Owner", "Grace Planner")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Estimate work")
    made = Process.objects.get(code="estimate")
    assert made.parent == plan and made.owner == owner
    expect(page.locator("#process-standing")).to_contain_text("No released definition")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/architecture-detail.png", full_page=True)

    page.goto(f"{live_server.url}/process-architecture/")
    row = page.locator(f"#process-{made.pk}")
    expect(row).to_contain_text("Estimate work")
    expect(row).to_contain_text("Grace Planner")
    expect(row).to_have_class("process tree-depth-2")
    expect(page.locator(f"#process-{plan.pk}")).to_contain_text("in use in 1 project")
    expect(page.locator(f"#process-{plan.pk}")).to_contain_text("Project plan and schedule")
    assert_sound_page(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/architecture-laptop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(row).to_be_visible()
    box = row.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # no sideways page
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
    assert_sound_page(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/architecture-phone.png", full_page=True)
    assert console_errors == []
