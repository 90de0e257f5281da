"""A real browser signs in, walks the navigation and uses the HTMX parts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from opf.core.roles import PROCESS_GROUP, PROJECT_MANAGER
from opf.organization.models import Project
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_and_walk_the_navigation(page: Page, live_server, sign_in, console_errors):
    UserFactory(username="epg", roles=[PROCESS_GROUP])
    ProjectFactory.create_batch(3)
    sign_in("epg")
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for you")

    nav = page.get_by_role("navigation", name="Main")
    # Open every section (they start closed but for the current page's).
    closed = nav.locator("details.nav-section:not([open]) > summary")
    assert closed.count() >= 4
    while closed.count():
        closed.first.click()
    links = [(a.inner_text(), a.get_attribute("href")) for a in nav.get_by_role("link").all()]
    assert len(links) >= 40
    for label, href in links:
        response = page.goto(f"{live_server.url}{href}")
        assert response is not None and response.status == 200, (label, href)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert console_errors == []


def test_search_filters_the_list_without_a_page_reload(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="reader")
    ProjectFactory(name="Radar Upgrade")
    ProjectFactory(name="Payroll Integration")
    sign_in("reader")
    page.goto(f"{live_server.url}/projects/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Search").fill("radar")
    expect(page).to_have_url(re.compile(r"q=radar"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Radar Upgrade")
    assert page.evaluate("window.notReloaded") is True
    page.get_by_role("link", name="Name").click()  # sort, still in place
    expect(page).to_have_url(re.compile(r"sort=name"))
    assert page.evaluate("window.notReloaded") is True
    assert console_errors == []


def test_project_manager_edits_a_field_inline(page: Page, live_server, sign_in, console_errors):
    pm = UserFactory(username="pm", roles=[PROJECT_MANAGER])
    project = ProjectFactory(
        name="Cockpit Display", manager=pm, phase="planning", org_unit=OrgUnitFactory()
    )
    sign_in("pm")
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Edit lifecycle phase").click()
    select = page.locator("form.inline-field select[name=phase]")
    expect(select).to_be_focused()
    select.select_option("execution")
    page.locator("form.inline-field").get_by_role("button", name="Save").click()
    # The read-only value replaces the form (which has the same id) once saved.
    expect(page.locator("span#field-phase")).to_contain_text("Execution")
    expect(page.locator("form#field-phase")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True
    project.refresh_from_db()
    assert project.phase == Project.Phase.EXECUTION

    # A bad value is refused in place and nothing changes.
    page.get_by_role("link", name="Edit planned end date").click()
    page.locator("form.inline-field input[name=end_date]").fill("2000-01-01")
    page.locator("form.inline-field").get_by_role("button", name="Save").click()
    expect(page.locator("form.inline-field .errors")).to_contain_text("cannot be before the start")
    project.refresh_from_db()
    assert project.end_date is None
    assert [e for e in console_errors if "400" not in e] == []


def test_api_docs_render_under_the_content_security_policy(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="scripter")
    sign_in("scripter")
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("OPF API").first).to_be_visible(timeout=15000)
    # Swagger UI renders operations lazily; the first tag's are always on screen.
    expect(page.locator(".opblock-tag").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert console_errors == []
