"""A project manager is told of a deployment created on their project: the badge
counts it, the inbox lists it, and following it lands on the deployment (#16)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from deployment.models import ProjectDeployment
from opf.core.roles import PROCESS_GROUP, PROJECT_MANAGER
from opf.core.services import save_object
from opf.notifications.models import Notification
from tests.deployment.factories import ReleasedVersionFactory
from tests.factories import ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_project_manager_follows_a_new_deployment_from_the_badge(
    page: Page, live_server, sign_in, console_errors
):
    pm = UserFactory(username="pm", roles=[PROJECT_MANAGER])
    epg = UserFactory(username="epg", roles=[PROCESS_GROUP])
    project = ProjectFactory(name="Cockpit Display", manager=pm)
    deployment = save_object(
        ProjectDeployment(project=project, asset_version=ReleasedVersionFactory()), actor=epg
    )
    sign_in("pm")
    inbox_link = page.locator("a.inbox-link")
    expect(inbox_link.locator(".badge")).to_have_text("1")
    inbox_link.click()
    entry = page.locator(".notification.unread")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("New deployment on Cockpit Display")
    entry.get_by_role("link").click()
    page.wait_for_url(f"**{deployment.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(deployment.asset_version))
    assert Notification.objects.get(recipient=pm).read_at is not None
    assert console_errors == []
