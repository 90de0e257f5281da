"""A project manager updates a deployment from "My projects" in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from deployment.models import ProjectDeployment
from opf.core.roles import PROJECT_MANAGER
from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_project_manager_updates_a_deployment_from_my_projects(
    page: Page, live_server, sign_in, console_errors
):
    pm = UserFactory(username="pm", roles=[PROJECT_MANAGER])
    deployment = ProjectDeploymentFactory(
        project=ProjectFactory(name="Cockpit Display", manager=pm)
    )
    sign_in("pm")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My projects").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My projects")
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#deployment-{deployment.pk}")
    expect(row).to_contain_text("Not started")
    row.get_by_label("Status").select_option("plan")
    row.get_by_label("Notes").fill("Kick-off on Monday")
    row.get_by_role("button", name="Save").click()
    row = page.locator(f"#deployment-{deployment.pk}")
    expect(row.locator("[data-state]")).to_have_text("Planning")
    expect(row).to_contain_text("Saved.")
    assert page.evaluate("window.notReloaded") is True
    deployment.refresh_from_db()
    assert (deployment.state, deployment.notes, deployment.version) == (
        "planning",
        "Kick-off on Monday",
        2,
    )

    # Someone else changes it meanwhile: the next save is refused, nothing is lost.
    ProjectDeployment.objects.filter(pk=deployment.pk).update(notes="Changed by EPG", version=3)
    row.get_by_label("Notes").fill("My stale edit")
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#deployment-{deployment.pk}")).to_contain_text(
        re.compile("Someone else changed this record")
    )
    expect(page.locator(f"#deployment-{deployment.pk}")).to_contain_text("Changed by EPG")
    deployment.refresh_from_db()
    assert deployment.notes == "Changed by EPG"
    assert [e for e in console_errors if "409" not in e] == []
