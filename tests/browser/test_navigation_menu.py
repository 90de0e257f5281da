"""The navigation as people use it: the phone menu, "/" to find a record, sections
that remember being open, the "New…" menu; with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from opf.core.roles import PROCESS_GROUP
from tests.actions.factories import ProcessActionPlanFactory
from tests.appraisals.factories import FindingFactory
from tests.browser.conftest import signed_in_without_javascript
from tests.factories import ProjectFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert size is not None
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= size["height"]


def test_on_a_phone_the_page_comes_first_and_the_menu_opens_the_navigation(
    page: Page, live_server, sign_in, console_errors, sound_page
):
    UserFactory(username="member")
    page.set_viewport_size(PHONE)
    sign_in("member")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Waiting for you")
    assert in_view(page, "h1")
    nav = page.get_by_role("navigation", name="Main")
    assert not in_view(page, "nav.sidenav")  # after the page, out of the first screen

    menu = page.get_by_role("link", name=re.compile("^Menu"))
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Lessons", exact=True)).to_be_in_viewport()
    sound_page(page)
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav.get_by_role("link", name="Lessons", exact=True)).not_to_be_in_viewport()

    menu.click()
    nav.get_by_role("link", name="Lessons", exact=True).click()
    expect(heading).to_have_text("Lessons")
    assert in_view(page, "h1")
    assert console_errors == []


def test_the_phone_menu_works_without_javascript(browser: Browser, live_server):
    UserFactory(username="member")
    page = signed_in_without_javascript(browser, live_server, "member", PHONE)
    assert in_view(page, "h1")
    page.get_by_role("link", name=re.compile("^Menu")).click()
    expect(page).to_have_url(re.compile("#nav$"))
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Non-compliances")).to_be_in_viewport()
    nav.get_by_role("link", name="Non-compliances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Non-compliances")
    page.context.close()


def test_slash_finds_a_finding_a_plan_and_a_project(
    page: Page, live_server, sign_in, console_errors, sound_page
):
    UserFactory(username="member")
    finding = FindingFactory(statement="Estimates are expert guesses without history")
    ProcessActionPlanFactory(title="Calibrated estimation rollout")
    ProjectFactory(name="Flight Management System", code="FMS-7")
    page.set_viewport_size(DESKTOP)
    sign_in("member")

    box = page.locator("#find-q")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # the "/" itself is not typed
    page.keyboard.type("estimat")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find records")
    results = page.locator(".search-results")
    expect(results.get_by_role("heading", name=re.compile("^Findings"))).to_be_visible()
    expect(results.get_by_role("link", name="Calibrated estimation rollout")).to_be_visible()
    sound_page(page)

    # A code, from a list page's search box: "/" does not steal what one types there.
    page.goto(f"{live_server.url}/lessons/")
    page.get_by_label("Search").fill("a/b")
    expect(page.get_by_label("Search")).to_have_value("a/b")
    page.locator("body").click()
    page.keyboard.press("/")
    page.keyboard.type("fms-7")
    page.keyboard.press("Enter")
    page.locator(".search-results").get_by_role("link", name="Flight Management System").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flight Management System")

    # On the search page the results follow the words as they are typed, in place.
    page.goto(f"{live_server.url}/search/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Title, code or statement").press_sequentially("calibrated", delay=30)
    results = page.locator("#search-outcome .search-results")
    expect(results.get_by_role("link", name="Calibrated estimation rollout")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=calibrated$"))
    expect(results.get_by_role("link", name=finding.statement)).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True

    page.goto(f"{live_server.url}/search/?q={finding.statement[:20]}")
    page.locator(".search-results").get_by_role("link", name=finding.statement).click()
    expect(page).to_have_url(re.compile(rf"{finding.get_absolute_url()}$"))
    assert console_errors == []


def test_sections_collapse_and_remember_being_open(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", roles=[PROCESS_GROUP])
    page.set_viewport_size(DESKTOP)
    sign_in("epg")
    nav = page.get_by_role("navigation", name="Main")
    deployments = nav.locator("details[data-section=deployment]")
    expect(deployments).not_to_have_attribute("open", "")
    expect(nav.get_by_role("link", name="Deployment plans")).to_be_hidden()
    deployments.locator("summary").click()
    expect(nav.get_by_role("link", name="Deployment plans")).to_be_visible()
    work = nav.locator("details[data-section=work]")
    work.locator("summary").click()  # closed by the person
    expect(nav.get_by_role("link", name="Your open action items")).to_be_hidden()

    nav.get_by_role("link", name="Deployment plans").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deployment plans")
    expect(nav.get_by_role("link", name="Deployment plans")).to_have_attribute(
        "aria-current", "page"
    )
    nav.get_by_role("link", name="Waiting for you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for you")
    # Remembered across pages: deployments open, "Your work" closed.
    expect(nav.get_by_role("link", name="Deployment plans")).to_be_visible()
    expect(nav.get_by_role("link", name="Your open action items")).to_be_hidden()
    # The sidebar stays in view while the page scrolls.
    page.mouse.wheel(0, 3000)
    expect(nav.get_by_role("link", name="Deployment plans")).to_be_in_viewport()
    assert console_errors == []


def test_the_new_menu_opens_a_form(page: Page, live_server, sign_in, console_errors):
    UserFactory(username="member")
    sign_in("member")
    new = page.locator("details.new-menu")
    new.locator("summary").click()
    expect(new.get_by_role("link")).to_have_count(2)
    page.keyboard.press("Escape")
    expect(new.get_by_role("link", name="Lesson learned")).to_be_hidden()
    new.locator("summary").click()
    new.get_by_role("link", name="Improvement proposal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("proposal")
    assert console_errors == []
