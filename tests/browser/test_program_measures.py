"""The executive reads how the program itself performs (#19): the improvements' cycle
time and business case in the funnel, the severity-weighted compliance with its rule,
on a laptop and on a phone (the demo organization)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_sound_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDEST = "() => document.documentElement.scrollWidth"


def test_the_executive_reads_the_programs_own_measures(
    page: Page, live_server, sign_in, console_errors
):
    call_command("demo_data", stdout=StringIO())
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in("exec", "opf-demo")
    page.goto(f"{live_server.url}/dashboard/")
    funnel = page.locator("#panel-funnel")
    expect(funnel.locator("#funnel-case")).to_contain_text("Business case of 3 under way")
    expect(funnel.locator("#funnel-case")).to_contain_text("a year for")
    summary = funnel.locator("#funnel-details summary")
    expect(summary).to_contain_text("Cycle time finding → deployed: median")
    steps = funnel.locator("#loop-steps")
    expect(steps).to_be_hidden()
    summary.click()
    expect(steps).to_be_visible()
    expect(steps).to_contain_text("Plan approved → Released")
    expect(funnel.locator("#case-top")).to_contain_text("Estimation method calibrated")
    expect(funnel.locator("#case-summary")).to_contain_text("Spent so far")

    weighted = page.locator("#compliance-weighted")
    expect(weighted.locator("summary")).to_contain_text("Severity-weighted")
    expect(weighted.locator("summary")).to_contain_text("unweighted")
    weighted.locator("summary").click()
    expect(weighted).to_contain_text("minor 1, major 2, critical 3")
    assert_sound_page(page)
    page.locator("#panel-funnel").screenshot(path="/tmp/shots-dash/measures-funnel.png")
    page.locator("#panel-compliance").screenshot(path="/tmp/shots-dash/measures-compliance.png")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#funnel-details summary").click()
    expect(page.locator("#loop-steps")).to_be_visible()
    assert page.evaluate(WIDEST) <= 390
    page.locator("#panel-funnel").screenshot(path="/tmp/shots-dash/measures-funnel-phone.png")
    assert console_errors == []
