"""In a real browser (#18): the lead appraiser of a Class A appraisal validates the
preliminary findings with a participant (SCAMPI A v1.2, 2.5), resolves a disagreement,
delivers the final findings and downloads the appraisal disclosure statement (PDF)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from appraisals.models import Appraisal, FindingFeedback
from opf.core.roles import APPRAISER
from opf.documents.models import Document
from opf.documents.services import document_render
from tests.appraisals.factories import AppraisalFactory, FindingFactory, qualify
from tests.browser.conftest import choose
from tests.factories import OrgUnitFactory, ProcessAreaFactory, ReferenceModelFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _class_a_in_progress() -> Appraisal:
    lead = UserFactory(username="lead", first_name="Lena", last_name="Sorensen", roles=[APPRAISER])
    member = UserFactory(username="tom", first_name="Tom", last_name="Kowalski")
    qualify(lead, issued_on=date(2024, 1, 1), expires_on=date(2027, 12, 31))
    model = ReferenceModelFactory()
    area = ProcessAreaFactory(reference_model=model, abbreviation="PP", maturity_level=2)
    appraisal = AppraisalFactory(
        title="SCAMPI A – Avionics",
        reference_model=model,
        method=Appraisal.Method.SCAMPI_A,
        state=Appraisal.State.IN_PROGRESS,
        lead_appraiser=lead,
        scope=False,
    )
    appraisal.process_areas.set([area])
    appraisal.org_units.set([OrgUnitFactory(name="Avionics")])
    appraisal.team.set([lead, member])
    FindingFactory(
        appraisal=appraisal, process_area=area, statement="Estimates are not based on history."
    )
    return appraisal


def test_the_lead_validates_preliminary_findings_and_downloads_the_ads(
    page: Page, live_server, sign_in, console_errors
):
    appraisal = _class_a_in_progress()
    sign_in("lead")
    page.goto(f"{live_server.url}{appraisal.get_absolute_url()}")
    expect(page.locator("#validation-rule")).to_contain_text(
        "activity 2.5 (validate preliminary findings)"
    )
    # Delivering before validating is refused, with the method's reason.
    page.get_by_role("button", name="Deliver findings").click()
    expect(
        page.get_by_text("Validate the preliminary findings with the participants first").first
    ).to_be_visible()

    page.get_by_role("link", name="Record a validation session").click()
    page.get_by_label("Held on").fill("2026-03-05")
    choose(page, "Participants", "Tom Kowalski")
    page.get_by_role("button", name="Save").click()

    page.goto(f"{live_server.url}{appraisal.get_absolute_url()}")
    page.get_by_role("link", name="Record feedback").click()
    page.get_by_label("Finding").select_option(index=1)
    page.get_by_label("Validation session").select_option(index=1)
    choose(page, "Participant", "Tom Kowalski")
    page.get_by_label("Response").select_option(label="Disagree")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Say what the participant disagrees with.").first).to_be_visible()
    page.get_by_label("Comment").fill("Two projects use the historical database.")
    page.get_by_label("Resolution").fill("Reworded: most projects do not use it yet.")
    page.get_by_role("button", name="Save").click()

    page.goto(f"{live_server.url}{appraisal.get_absolute_url()}")
    expect(page.locator("#validation")).to_contain_text("Reworded: most projects do not use it")
    page.get_by_role("button", name="Deliver findings").click()
    expect(page.locator("main .badge").first).to_have_text("Findings delivered")
    feedback = FindingFeedback.objects.get()
    assert (feedback.response, feedback.participant.username) == ("disagree", "tom")

    # The ADS: the page, then its PDF (the worker's job done here).
    page.get_by_role("link", name="Disclosure statement").click()
    expect(page.get_by_role("heading", name="Appraisal disclosure statement")).to_be_visible()
    page.get_by_role("button", name="Download the ADS as PDF").click()
    document = Document.objects.get(kind="appraisal_disclosure")
    assert document_render(document.pk)
    page.reload()
    link = page.get_by_role("link", name="Open the PDF")
    expect(link).to_be_visible()
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.ok and response.body().startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Appraisal disclosure statement" in text and "SCAMPI A – Avionics" in text
    assert "Lena Sorensen" in text and "5 Mar 2026" in text
    assert console_errors == []
