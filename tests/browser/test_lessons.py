"""A member submits an improvement proposal; the process group accepts it; the
improvement it became is one click away from the proposal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from actions.models import Improvement
from lessons.models import ImprovementProposal
from opf.core.roles import PROCESS_GROUP
from tests.deployment.factories import ProcessAssetFactory
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in_on(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_member_proposes_and_process_group_accepts(
    page: Page, browser: Browser, live_server, sign_in, console_errors
):
    member = UserFactory(username="emma")
    UserFactory(username="priya", roles=[PROCESS_GROUP])
    asset = ProcessAssetFactory(name="Code review checklist")

    sign_in("emma")
    new = page.locator("details.new-menu")
    new.locator("summary").click()
    new.get_by_role("link", name="Improvement proposal").click()
    page.get_by_label("Title").fill("Shorter code review checklist")
    page.get_by_label("Asset").select_option(str(asset.pk))
    page.get_by_label("Problem").fill("Sixty items: reviewers skip it.")
    page.get_by_label("Proposed change").fill("Keep the fifteen items that find defects.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shorter code review checklist")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submitted")
    proposal = ImprovementProposal.objects.get()
    assert proposal.submitted_by == member

    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    sign_in_on(staff, live_server.url, "priya")
    staff.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    staff.get_by_role("button", name="Accept").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Accepted")
    staff.locator("#improvement-link").click()
    improvement = Improvement.objects.get()
    staff.wait_for_url(f"{live_server.url}{improvement.get_absolute_url()}")
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Shorter code review checklist")
    staff_context.close()

    # The member sees the outcome on their proposal.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    expect(page.locator("#improvement-link")).to_have_text("Shorter code review checklist")
    assert console_errors == []


def test_process_group_audits_its_own_process_without_a_project(
    page: Page, live_server, sign_in, console_errors
):
    """The organization's own process (OPF) is audited like a project's: no project,
    the process area named, the process group's work products on the checklist."""
    from lessons.models import ComplianceAudit
    from opf.core.roles import APPRAISER
    from opf.reference.models import ProcessArea
    from tests.browser.conftest import choose

    UserFactory(username="priya", roles=[PROCESS_GROUP])
    auditor = UserFactory(
        username="kenji", first_name="Kenji", last_name="Tanaka", roles=[APPRAISER]
    )
    opf_area = ProcessArea.objects.get(abbreviation="OPF", reference_model__builtin=True)

    sign_in("priya")
    page.goto(f"{live_server.url}/audits/add/")
    choose(page, "Processes audited", str(opf_area))
    choose(page, "Auditor", str(auditor))
    page.get_by_label("Planned date").fill("2026-07-01")
    page.get_by_label("Scope and notes").fill("Policy, plan and steering minutes.")
    page.get_by_role("button", name="Save").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Organization process")
    audit = ComplianceAudit.objects.get()
    assert audit.project is None and list(audit.process_areas.all()) == [opf_area]

    page.get_by_label("Work products to review").fill("Program policy\nImprovement plan")
    page.get_by_role("button", name="Build checklist").click()
    checklist = page.locator("#checklist tbody tr")
    expect(checklist).to_have_count(2)
    expect(checklist.first).to_contain_text("Program policy")
    assert console_errors == []
