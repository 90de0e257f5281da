"""The process-group lead opens a deployed improvement and reads its measured effect:
the verdict, its reason, the numbers and the XmR chart, on a laptop and on a phone."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from opf.core.roles import PROCESS_GROUP
from tests.browser.conftest import assert_sound_page
from tests.factories import UserFactory
from tests.lessons.factories import MeasureFactory
from tests.lessons.test_measured_effect import _build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SHOTS = os.environ.get("OPF_EFFECT_SHOTS", "")  # a folder to keep the screenshots in


def test_the_process_group_lead_reads_an_improvements_measured_effect(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", roles=[PROCESS_GROUP])
    measure = MeasureFactory(name="Escaped defects", unit="defects/KLOC", direction="lower")
    improvement = _build(measure, 2, 3)
    sign_in("epg")
    for name, size in (("laptop", (1366, 900)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{live_server.url}{improvement.get_absolute_url()}")
        effect = page.locator("#effect")
        expect(effect.locator("#effect-verdict")).to_have_text("Effective")
        expect(effect.locator("#effect-reason")).to_contain_text(
            "3 points beyond the baseline's limit in the better direction"
        )
        expect(effect.locator("#effect-centre")).to_contain_text("limits 1.524 to 2.376")
        expect(effect.locator("svg.chart-svg")).to_be_visible()
        box = effect.locator("svg.chart-svg").bounding_box()
        assert box is not None and box["x"] + box["width"] <= size[0]  # no sideways page
        effect.get_by_text("How the effect is judged").click()
        expect(effect.locator("#effect-rule")).to_contain_text("12 months before")
        assert_sound_page(page)
        if SHOTS:
            effect.scroll_into_view_if_needed()
            page.screenshot(path=f"{SHOTS}/effect-{name}.png", full_page=True)
    assert console_errors == []
