"""The process-group lead registers a webhook endpoint in the page, copies its secret,
sends a test ping and sees it delivered, signed, to a real local receiver (#22)."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import Page, expect

from opf.celery import app
from opf.core.roles import PROCESS_GROUP
from opf.webhooks.services import verify
from tests.browser.conftest import assert_sound_page
from tests.factories import UserFactory
from tests.opf.webhook_receiver import receiver

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_lead_registers_an_endpoint_and_sees_a_test_ping_delivered(
    page: Page, live_server, sign_in, console_errors
):
    UserFactory(username="epg", first_name="Erin", last_name="Process", roles=[PROCESS_GROUP])
    with receiver(200) as hook, start_worker(app, perform_ping_check=False, shutdown_timeout=20):
        sign_in("epg")
        page.goto(f"{live_server.url}/webhooks/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhook endpoints")
        page.get_by_role("link", name="New webhook endpoint").click()
        page.get_by_label("Address").fill(hook.url)
        page.get_by_label("Description").fill("Build server")
        page.get_by_label("An asset version is released").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Build server")
        secret = page.locator("#webhook-secret").inner_text()
        assert secret.startswith("whsec_")
        assert_sound_page(page)

        page.get_by_role("button", name="Send a test ping").click()
        expect(page.get_by_role("status").first).to_contain_text("test ping")
        deadline = time.monotonic() + 30
        while not hook.got and time.monotonic() < deadline:
            time.sleep(0.2)
        assert hook.got, "the ping never arrived"
        got = hook.got[0]
        headers = {k.lower(): v for k, v in got.headers.items()}
        assert headers["opf-event"] == "ping"
        assert verify(secret, headers["opf-timestamp"], got.body, headers["opf-signature"])
        for _ in range(20):  # the worker records the answer just after sending
            page.reload()
            if page.locator("tr", has_text="ping").get_by_text("Succeeded").count():
                break
            time.sleep(0.3)
        row = page.locator("tr", has_text="ping")
        expect(row).to_contain_text("Succeeded")
        expect(row).to_contain_text("200")
        assert_sound_page(page)
    assert console_errors == []
