"""Each role signs in and lands on its worklist (#16): the blocks of what waits for
it, with their counts, the count in the navigation, and a block's link to the list of
exactly its records. Screenshots (desktop and phone) go to the run's var folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from opf.core.worklist import WAITING, kinds
from tests.opf.test_worklist import EXPECTED, build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("role", ["epg", "executive", "pm", "appraiser", "member"])
def test_signing_in_lands_on_the_worklist(
    role, page: Page, live_server, people, sign_in, sound_page, console_errors
):
    build(people)
    page.set_viewport_size(DESKTOP)
    sign_in(people.by_role(role).username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Waiting for you")
    expected = EXPECTED[role]
    for slug, count in expected.items():
        block = page.locator(f"#work-{slug}")
        expect(block.locator("h3 .badge").first).to_have_text(str(count))
    expect(page.locator(".work-block")).to_have_count(len(expected))
    waiting = sum(n for slug, n in expected.items() if kinds()[slug].section == WAITING)
    if waiting:
        expect(page.locator("#waiting-count")).to_contain_text(str(waiting))
    sound_page(page)
    shots = Path(settings.VAR_DIR)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / f"worklist-{role}-desktop.png", full_page=True, caret="initial")
    page.set_viewport_size(PHONE)
    page.screenshot(path=shots / f"worklist-{role}-phone.png", full_page=True, caret="initial")
    page.set_viewport_size(DESKTOP)

    # A block leads to the list of exactly its records.
    slug = next(iter(expected))
    page.locator(f"#work-{slug} a.more").click()
    page.wait_for_url(f"**/?waiting={slug}")
    expect(page.locator("#results tbody tr")).to_have_count(expected[slug])
    sound_page(page)
    assert console_errors == []
