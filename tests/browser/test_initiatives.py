"""A process-group member records a new initiative in a page and starts it; an
executive then sees on the dashboard that it replaced an initiative that ended without
deploying anything (churn, #20)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from opf.core.roles import EXECUTIVE, PROCESS_GROUP
from opf.initiatives.models import Initiative
from tests.browser.conftest import choose
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_process_group_creates_an_initiative_and_the_executive_sees_the_churn(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", first_name="Erin", last_name="Process", roles=[PROCESS_GROUP])
    UserFactory(username="exec", first_name="Eve", last_name="Sponsor", roles=[EXECUTIVE])
    quality = OrgUnitFactory(name="Quality")
    OrgUnitFactory(name="Human resources")
    today = date.today()
    Initiative.objects.create(
        name="Six Sigma in Quality",
        method=Initiative.Method.SIX_SIGMA,
        owning_unit=quality,
        start=today - timedelta(days=400),
        end=today - timedelta(days=60),
        state=Initiative.State.ENDED,
        outcome="The black belts left.",
    )

    sign_in("epg")
    page.goto(f"{live_server.url}/initiatives/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Initiatives")
    page.get_by_role("link", name="New initiative").click()
    page.get_by_label("Name").fill("Lean in HR")
    choose(page, "Method", "Lean")
    choose(page, "Owning org unit", "Human resources")
    choose(page, "Owner (advocate)", "Erin Process")
    choose(page, "Sponsor", "Eve Sponsor")
    page.locator("#id_start").fill((today - timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lean in HR")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("status").first).to_contain_text("The initiative is active.")
    assert Initiative.objects.get(name="Lean in HR").state == Initiative.State.ACTIVE

    page.context.clear_cookies()
    sign_in("exec")
    page.locator("#dashboard-link").click()
    panel = page.locator("#panel-initiatives")
    expect(panel).to_contain_text("Six Sigma in Quality")
    expect(panel).to_contain_text("ended without deploying anything")
    expect(panel.get_by_role("link", name="Lean in HR").first).to_be_visible()
    engagement = page.locator("#panel-engagement")
    engagement.get_by_text("Per executive").click()
    expect(engagement.get_by_role("link", name="Eve Sponsor")).to_be_visible()
    assert console_errors == []
