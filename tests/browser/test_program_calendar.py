"""An executive opens the program calendar from the menu, narrows it to one unit and
sees that unit's appraisal and not another's (#20); on a laptop and on a phone."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opf.core.roles import EXECUTIVE
from tests.appraisals.factories import AppraisalFactory
from tests.factories import OrgUnitFactory, UserFactory
from tests.lessons.factories import ComplianceAuditFactory
from tests.opf.steering_factories import SteeringMeetingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path("/tmp/shots-calendar")


def _calendar() -> dict[str, str]:
    today = timezone.localdate()
    company = OrgUnitFactory(name="Company")
    engineering = OrgUnitFactory(name="Engineering", parent=company)
    payments = OrgUnitFactory(name="Payments", parent=engineering)
    sales = OrgUnitFactory(name="Sales", parent=company)
    for title, unit, day in (
        ("Payments SCAMPI C", payments, 3),
        ("Sales gap analysis", sales, 5),
    ):
        appraisal = AppraisalFactory(
            title=title,
            planned_start=today + timedelta(days=day),
            planned_end=today + timedelta(days=day + 2),
            scope=False,
        )
        appraisal.org_units.add(unit)
    ComplianceAuditFactory(project__name="Atlas", project__org_unit=payments, planned_date=today)
    SteeringMeetingFactory(title="Quarterly review", scheduled_at=timezone.now() + timedelta(1))
    return {"Engineering": str(engineering.pk), "Sales": str(sales.pk)}


def _open_from_menu(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name="Program calendar", exact=True)
    if not link.is_visible():
        nav.get_by_text("Organization and steering").click()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Program calendar")


def test_an_executive_narrows_the_program_calendar_to_a_unit(
    page: Page, live_server, sign_in, console_errors, sound_page
):
    UserFactory(username="exec", roles=[EXECUTIVE])
    units = _calendar()
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    sign_in("exec")
    _open_from_menu(page)
    agenda = page.locator("#agenda")
    expect(agenda).to_contain_text("Payments SCAMPI C")
    expect(agenda).to_contain_text("Sales gap analysis")
    expect(agenda).to_contain_text("Quarterly review")
    sound_page(page)

    page.locator("select#id_org_unit").select_option(units["Engineering"])
    expect(agenda).to_contain_text("Engineering and the units below it")
    expect(page).to_have_url(re.compile(r"org_unit=\d+"))
    expect(agenda.get_by_role("link", name="Appraisal: Payments SCAMPI C")).to_be_visible()
    expect(agenda).to_contain_text("Compliance audit: Atlas")
    expect(agenda).not_to_contain_text("Sales gap analysis")
    expect(agenda).not_to_contain_text("Quarterly review")
    sound_page(page, within="#agenda")
    page.screenshot(path=str(SHOTS / "program-calendar-desktop.png"), full_page=True)

    # the next month keeps the unit; the previous one brings back this month
    page.get_by_role("link", name=re.compile("Next month")).click()
    expect(page.locator("#calendar-scope")).to_contain_text("Engineering")
    page.get_by_role("link", name=re.compile("Previous month")).click()
    expect(agenda).to_contain_text("Payments SCAMPI C")

    page.get_by_role("link", name="Appraisal: Payments SCAMPI C").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Payments SCAMPI C")
    assert console_errors == []


def test_the_program_calendar_on_a_phone(
    page: Page, live_server, sign_in, console_errors, sound_page
):
    UserFactory(username="exec", roles=[EXECUTIVE])
    units = _calendar()
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(PHONE)
    sign_in("exec")
    page.get_by_role("link", name=re.compile("^Menu")).click()
    _open_from_menu(page)
    # The page's scripts are ready (the unit picker is built) before the choice is made:
    # a change before HTMX has bound the form would go unheard.
    expect(page.locator("#id_org_unit + .ts-wrapper")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    page.locator("select#id_org_unit").select_option(units["Sales"])
    agenda = page.locator("#agenda")
    expect(agenda).to_contain_text("Sales and the units below it")
    expect(agenda).to_contain_text("Sales gap analysis")
    expect(agenda).not_to_contain_text("Payments SCAMPI C")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a phone"
    sound_page(page)
    page.screenshot(path=str(SHOTS / "program-calendar-phone.png"), full_page=True)
    assert console_errors == []
