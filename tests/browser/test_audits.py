"""An auditor records checklist results on the audit page; each row saves in place and
the score in the heading follows at once (#17: no reload to see the score)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from lessons.services import audits
from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import ComplianceAuditFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_score_follows_each_result_without_a_reload(
    page: Page, live_server, people, sign_in, console_errors
):
    project = ProjectFactory(manager=people.pm)
    ProjectDeploymentFactory.create_batch(2, project=project)
    audit = ComplianceAuditFactory(
        project=project, auditor=people.appraiser, planned_date=date(2026, 6, 1)
    )
    audits.audit_build_checklist(audit, actor=people.epg, work_products=[])
    audits.audit_start(audit, actor=people.appraiser)
    first, second = audit.items.order_by("pk")

    sign_in(people.appraiser.username)
    page.goto(f"{live_server.url}{audit.get_absolute_url()}")
    page.evaluate("window.notReloaded = true")
    score = page.locator("#score")
    expect(score).to_be_hidden()  # nothing counted yet

    row = page.locator(f"#item-{first.pk}")
    row.get_by_label("Result").select_option("compliant")
    row.get_by_label("Evidence").fill("Plan signed on 2 June.")
    row.get_by_role("button", name="Save").click()
    expect(score).to_have_text("100.0 %")

    row = page.locator(f"#item-{second.pk}")
    row.get_by_label("Result").select_option("non_compliant")
    row.get_by_label("Evidence").fill("No peer review records.")
    row.get_by_role("button", name="Save").click()
    expect(score).to_have_text("50.0 %")
    assert page.evaluate("window.notReloaded") is True
    assert console_errors == []
