"""An executive opens the dashboard, filters by org unit (HTMX swap) and follows a panel link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from appraisals.models import Appraisal
from opf.core.roles import EXECUTIVE
from tests.appraisals.factories import AppraisalFactory, RatingFactory
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
    page.get_by_label("Org unit", exact=True).select_option(label="Beta Division")
    expect(page.locator("#dashboard-scope")).to_contain_text("Beta Division and below")
    maturity = page.locator("#panel-maturity")
    expect(maturity).not_to_contain_text("Alpha Division")
    expect(maturity).to_contain_text("Beta Division")
    assert page.evaluate("window.notReloaded") is True  # swapped, not reloaded
    assert f"org_unit={units[1].pk}" in page.url  # the filtered view can be bookmarked

    page.locator("#panel-maturity").get_by_role("link", name="Maturity by org unit").click()
    expect(page).to_have_url(f"{live_server.url}/maturity/")
    assert console_errors == []
