"""A project manager keeps ten deployments up to date on "My projects": one compact
table that fits a laptop screen, the status changed in its row (HTMX) and, without
JavaScript, by a plain form post that comes back to the filtered page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from deployment.models import ProjectDeployment
from opf.core.roles import PROJECT_MANAGER
from tests.browser.conftest import signed_in_without_javascript
from tests.deployment.factories import (
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def ten_deployments(manager) -> list[ProjectDeployment]:
    project = ProjectFactory(name="Cockpit Display", manager=manager)
    return [
        ProjectDeploymentFactory(
            project=project,
            asset_version=ReleasedVersionFactory(
                asset=ProcessAssetFactory(name=f"Process asset number {i}")
            ),
        )
        for i in range(10)
    ]


def test_ten_deployments_fit_one_screen_and_a_status_changes_in_place(
    page: Page, live_server, sign_in, console_errors
):
    pm = UserFactory(username="pm", roles=[PROJECT_MANAGER])
    deployments = ten_deployments(pm)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("pm")
    page.goto(f"{live_server.url}/my-projects/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My projects")
    table = page.locator(".deployments-table")
    expect(table.locator("tbody tr")).to_have_count(10)
    box = table.bounding_box()
    assert box is not None and box["height"] <= 900, box

    page.evaluate("window.notReloaded = true")
    first = deployments[0]
    row = page.locator(f"#deployment-{first.pk}")
    row.get_by_label("Status").select_option("plan")
    row.get_by_role("button", name="Save").click()
    row = page.locator(f"#deployment-{first.pk}")
    expect(row.locator("[data-state]")).to_have_text("Planning")
    expect(row).to_contain_text("Saved.")
    assert page.evaluate("window.notReloaded") is True  # the row was swapped
    first.refresh_from_db()
    assert (first.state, first.version) == ("planning", 2)

    # Filter by status (GET parameters): only the one in planning is left.
    page.get_by_label("Status", exact=True).first.select_option("planning")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".deployments-table tbody tr")).to_have_count(1)
    assert "status=planning" in page.url
    page.screenshot(path="/tmp/shots-dash/test-my-projects-desktop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/my-projects/")
    page.screenshot(path="/tmp/shots-dash/test-my-projects-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    assert console_errors == []


def test_without_javascript_a_row_is_a_plain_form(browser: Browser, live_server):
    pm = UserFactory(username="pm", roles=[PROJECT_MANAGER])
    deployment = ten_deployments(pm)[3]
    page = signed_in_without_javascript(browser, live_server, "pm")
    page.goto(f"{live_server.url}/my-projects/?status=not_started")
    row = page.locator(f"#deployment-{deployment.pk}")
    row.get_by_label("Status").select_option("waive")
    row.get_by_role("button", name="Save").click()
    # refused (no reason): the message is beside the field, nothing changed
    expect(page.locator("main")).to_contain_text("Give a reason for the waiver.")
    deployment.refresh_from_db()
    assert deployment.state == "not_started"
    page.goto(f"{live_server.url}/my-projects/?status=not_started")
    row = page.locator(f"#deployment-{deployment.pk}")
    row.get_by_label("Status").select_option("plan")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/my-projects/?status=not_started")
    expect(page.locator(f"#deployment-{deployment.pk}")).to_have_count(0)  # filtered out now
    deployment.refresh_from_db()
    assert deployment.state == "planning"
    page.context.close()
