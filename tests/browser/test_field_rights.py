"""A project manager answers a non-compliance on their project: severity and
the other auditor's fields are read-only, the answer saves (#21, field rights)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from lessons.models import NonCompliance
from opf.core.roles import PROJECT_MANAGER
from tests.factories import ProjectFactory, UserFactory
from tests.lessons.factories import NonComplianceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_project_manager_answers_a_non_compliance(
    page: Page, live_server, sign_in, sound_page, console_errors
):
    manager = UserFactory(username="paula", roles=[PROJECT_MANAGER])
    nc = NonComplianceFactory(
        project=ProjectFactory(manager=manager, name="Billing"),
        title="Peer reviews skipped",
        severity=NonCompliance.Severity.MAJOR,
    )

    sign_in("paula")
    page.goto(f"{live_server.url}{nc.get_absolute_url()}")
    sound_page(page)
    page.get_by_role("link", name="Edit", exact=True).click()
    sound_page(page)
    expect(page.get_by_label("Severity")).to_be_disabled()
    expect(page.get_by_label("Title")).to_be_disabled()
    expect(page.get_by_label("Corrective action")).to_be_enabled()
    page.get_by_label("Corrective action").fill("Review every change before merging.")
    page.get_by_label("Root cause").select_option("execution")
    page.get_by_label("Evidence of correction").fill("Review log for March.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Peer reviews skipped")
    sound_page(page)
    saved = NonCompliance.objects.get(pk=nc.pk)
    assert saved.corrective_action == "Review every change before merging."
    assert saved.root_cause_category == "execution"
    assert saved.evidence == "Review log for March."
    assert saved.severity == NonCompliance.Severity.MAJOR
    assert console_errors == []
