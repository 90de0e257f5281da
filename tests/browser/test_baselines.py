"""The process group lead makes a process-performance baseline from the measure's page:
one project mix, a known special cause excluded with its reason, frozen; the page then
shows the frozen limits, the mix, the points after judged, and the capability against
the objective (the worked example of tests/lessons/test_baselines.py)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from lessons.models import ProcessPerformanceBaseline
from opf.core.roles import PROCESS_GROUP
from tests.browser.conftest import assert_sound_page
from tests.factories import UserFactory
from tests.lessons.test_baselines import measured

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SHOTS = os.environ.get("OPF_BASELINE_SHOTS", "")  # a folder to keep the screenshots in


def test_the_process_group_makes_excludes_freezes_and_reads_a_baseline(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", roles=[PROCESS_GROUP])
    measure, _projects = measured()
    sign_in("epg")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{measure.get_absolute_url()}")
    expect(page.locator("#pooled-note")).to_contain_text("whatever their type or size")
    page.locator("#new-baseline").click()
    page.get_by_label("Name").fill("Development projects 2025")
    page.get_by_label("Development").check()
    page.get_by_label("First month").fill("2025-01-01")
    page.get_by_label("Last month").fill("2025-07-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Development projects 2025")
    expect(page.locator("#projects-per-point")).to_contain_text("2 in every point.")
    expect(page.locator("#baseline-points")).to_have_text("7")  # March still in
    baseline_url = page.url

    page.locator("#exclude-point").click()
    page.get_by_label("Month").fill("2025-03-01")
    page.get_by_label("Reason").fill("Tool outage, March")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(baseline_url)  # back on the baseline
    expect(page.locator("#exclusions")).to_contain_text("Tool outage, March")
    expect(page.locator("#baseline-points")).to_have_text("6")

    page.get_by_role("button", name="Freeze").click()
    expect(page.locator("#locked")).to_contain_text("Make a new revision to change it.")
    expect(page.locator("#baseline-centre")).to_contain_text("12 h/KLOC")
    expect(page.locator("#baseline-limits")).to_have_text("7.744 – 16.256")
    expect(page.locator("#signals")).to_contain_text("2025-08")
    capability = page.locator("#capability")
    expect(capability.locator(".capability-share")).to_have_text("5 of 6 points (83.3 %)")
    expect(capability.locator(".capability-cpk")).to_contain_text("at least 12 are needed")
    expect(page.locator("#baseline-rule")).to_contain_text("one project mix")
    assert_sound_page(page)
    baseline = ProcessPerformanceBaseline.objects.get()
    assert baseline.state == "frozen" and baseline.centre == pytest.approx(12)
    for name, size in (("laptop", (1366, 900)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(baseline_url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size[0], f"{name}: the page is {width} px wide"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/baseline-{name}.png", full_page=True)
        page.goto(f"{live_server.url}{measure.get_absolute_url()}?baseline={baseline.pk}")
        expect(page.locator("#chart-mix")).to_contain_text("project types: Development")
        assert_sound_page(page)
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/measure-baseline-{name}.png", full_page=True)
    assert console_errors == []
