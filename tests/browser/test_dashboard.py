"""An executive opens the dashboard, filters by org unit (HTMX swap) and follows a panel link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from appraisals.models import Appraisal
from opf.core.roles import EXECUTIVE
from tests.appraisals.factories import AppraisalFactory, RatingFactory
from tests.browser.conftest import choose
from tests.factories import OrgUnitFactory, ProcessAreaFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_executive_filters_the_dashboard_and_follows_a_link(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="exec", roles=[EXECUTIVE])
    units = [OrgUnitFactory(name="Alpha Division"), OrgUnitFactory(name="Beta Division")]
    for unit in units:
        area = ProcessAreaFactory(abbreviation=f"P{unit.pk}")
        appraisal = AppraisalFactory(
            reference_model=area.reference_model, method="scampi_a", scope=False
        )
        RatingFactory(appraisal=appraisal, process_area=area, org_unit=unit, value="satisfied")
        Appraisal.objects.filter(pk=appraisal.pk).update(
            state="closed", actual_end=timezone.localdate() - timedelta(days=5)
        )
    sign_in("exec")
    page.locator("#dashboard-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Executive dashboard")
    maturity = page.locator("#panel-maturity")
    expect(maturity).to_contain_text("Alpha Division")
    expect(maturity).to_contain_text("Beta Division")
    expect(maturity.locator('svg[role="img"]').first).to_be_visible()

    page.evaluate("window.notReloaded = true")
    choose(page.locator("#dashboard-filter"), "Org unit", "Beta Division")
    expect(page.locator("#dashboard-scope")).to_contain_text("Beta Division and below")
    maturity = page.locator("#panel-maturity")
    expect(maturity).not_to_contain_text("Alpha Division")
    expect(maturity).to_contain_text("Beta Division")
    assert page.evaluate("window.notReloaded") is True  # swapped, not reloaded
    assert f"org_unit={units[1].pk}" in page.url  # the filtered view can be bookmarked

    page.locator("#panel-maturity").get_by_role("link", name="Maturity by org unit").click()
    expect(page).to_have_url(f"{live_server.url}/maturity/")
    assert console_errors == []


# Every SVG text's size as drawn (its font size times the chart's scale on screen).
SMALLEST_TEXT = """() => {
  let smallest = 99;
  document.querySelectorAll('main svg.chart-svg').forEach(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    svg.querySelectorAll('text').forEach(t => {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
    });
  });
  return smallest;
}"""
PANEL_LEFTS = """() => [...new Set([...document.querySelectorAll('.dashboard-panel')]
  .map(p => Math.round(p.getBoundingClientRect().left)))]"""


@pytest.fixture
def demo(transactional_db):
    """The demo organization: a believable amount of everything the panels show."""
    from io import StringIO

    from django.core.management import call_command

    call_command("demo_data", stdout=StringIO())


def test_the_dashboard_fits_three_laptop_screens_and_stays_legible_on_a_phone(
    page: Page, live_server, sign_in, demo, console_errors
):
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("exec", "opf-demo")
    # The executive's home shows the headline figures above the worklist.
    home = page.locator("#home-headline")
    expect(home.locator(".headline-figure")).to_have_count(6)
    page.goto(f"{live_server.url}/dashboard/")
    figures = page.locator("#panel-headline .headline-figure")
    expect(figures).to_have_count(6)
    for label in ("Maturity", "Coverage", "Compliance rate", "Plans on track"):
        expect(page.locator("#panel-headline")).to_contain_text(label)
    expect(page.locator("#headline-momentum .headline-trend")).to_contain_text("the period before")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * 900, f"the dashboard is {height} px high"
    assert len(page.evaluate(PANEL_LEFTS)) == 2  # a grid of two columns
    assert page.evaluate(SMALLEST_TEXT) >= 11
    page.screenshot(path="/tmp/shots-dash/test-dashboard-desktop.png", full_page=True)

    # A figure opens the records behind it: the open non-compliances, filtered.
    page.locator("#headline-open-non-compliances a").click()
    expect(page).to_have_url(re.compile(r"/non-compliances/\?open=true"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Non-compliances")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/")
    assert len(page.evaluate(PANEL_LEFTS)) == 1  # one column
    assert page.evaluate(SMALLEST_TEXT) >= 11  # charts scroll sideways, never shrink
    page.screenshot(path="/tmp/shots-dash/test-dashboard-phone.png", full_page=True)
    assert console_errors == []
