"""Submit for approval, explicitly (#16): the process group submits an asset version
naming the executive who decides; the executive finds it on the home page and sends it
back with a comment; the author reads the comment from the notification badge."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from deployment.models import AssetVersion
from opf.core.roles import EXECUTIVE, PROCESS_GROUP
from tests.deployment.factories import AssetVersionFactory, ProcessAssetFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_epg_submits_naming_exec_who_sends_it_back_with_a_comment(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", first_name="Eva", last_name="Process", roles=[PROCESS_GROUP])
    UserFactory(username="exec", first_name="Erin", last_name="Exec", roles=[EXECUTIVE])
    UserFactory(username="exec2", first_name="Ed", last_name="Other", roles=[EXECUTIVE])
    version = AssetVersionFactory(asset=ProcessAssetFactory(name="Peer review procedure"))

    sign_in("epg")
    page.goto(f"{live_server.url}{version.get_absolute_url()}")
    steps = page.locator("section.transitions")
    steps.get_by_label("Who decides").select_option(label="Erin Exec")
    steps.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".badge").filter(has_text="Waiting for approval").first).to_be_visible()
    version.refresh_from_db()
    assert version.state == AssetVersion.State.SUBMITTED
    assert version.approver is not None and version.approver.username == "exec"
    page.get_by_role("button", name="Sign out").click()

    sign_in("exec")
    block = page.locator("#work-versions-to-approve")
    expect(block).to_contain_text(str(version))
    block.get_by_role("link", name=str(version)).click()
    page.wait_for_url(f"**{version.get_absolute_url()}")
    steps = page.locator("section.transitions")
    expect(steps.get_by_role("button", name="Approve")).to_be_visible()
    steps.get_by_label("Comment").fill("Name the checklist the reviewers use.")
    steps.get_by_role("button", name="Send back").click()
    expect(page.locator(".badge").filter(has_text="Draft").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in("epg")
    inbox = page.locator("a.inbox-link")
    expect(inbox.locator(".badge")).to_have_text("1")
    inbox.click()
    entry = page.locator(".notification.unread")
    expect(entry).to_contain_text("sent back")
    expect(entry).to_contain_text("Name the checklist the reviewers use.")
    version.refresh_from_db()
    assert version.state == AssetVersion.State.DRAFT
    assert console_errors == []
