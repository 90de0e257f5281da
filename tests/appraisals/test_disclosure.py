"""The appraisal disclosure statement: scope, people, method, dates, ratings, expiry."""

from __future__ import annotations

from datetime import date

import pytest

from appraisals import services
from appraisals.models import Appraisal

pytestmark = pytest.mark.django_db


def test_a_class_a_statement_shows_ratings_and_their_expiry(conducting, people, client_as):
    s = conducting
    for rating in services.ratings_refresh(s.appraisal):
        services.rating_confirm(rating, value="satisfied", reason="Judged", actor=s.lead)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(
        state="closed", actual_start=date(2026, 3, 2), actual_end=date(2026, 3, 6)
    )
    page = client_as(people.member).get(f"/appraisals/{s.appraisal.pk}/disclosure/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "These ratings expire on 6 Mar 2029." in html
    assert str(s.lead) in html and str(s.member) in html and str(s.project) in html
    assert f"{s.unit}: ML 2" in html
    assert "SCAMPI A" in html


def test_a_class_c_statement_has_no_rating(conducting, people, client_as):
    s = conducting
    services.ratings_refresh(s.appraisal)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(method="scampi_c")
    html = (
        client_as(people.member).get(f"/appraisals/{s.appraisal.pk}/disclosure/").content.decode()
    )
    assert "Only a SCAMPI Class A appraisal rates" in html
    assert "expire on" not in html and 'id="ads-maturity"' not in html


def _pdf_text(document) -> str:
    import io

    from pypdf import PdfReader

    from opf.documents.services import document_render

    assert document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_ads_pdf_holds_what_the_method_asks(conducting, people, client_as):
    """Worked example: a Class A ending 6 March 2026 whose ratings expire 6 March 2029."""
    from opf.documents.models import Document
    from tests.appraisals.conftest import validate
    from tests.appraisals.factories import FindingFactory, qualify

    s = conducting
    qualify(s.lead)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(sponsor=people.executive)
    FindingFactory(appraisal=s.appraisal, process_area=s.area)
    validate(s.appraisal, s.member, on=date(2026, 3, 5))
    for rating in services.ratings_refresh(s.appraisal):
        services.rating_confirm(rating, value="satisfied", reason="Judged", actor=s.lead)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(
        state="closed", actual_start=date(2026, 3, 2), actual_end=date(2026, 3, 6)
    )
    client = client_as(people.member)
    page = client.get(f"/appraisals/{s.appraisal.pk}/disclosure/").content.decode()
    assert 'value="appraisal_disclosure"' in page
    assert (
        client.post(
            "/documents/new/", {"kind": "appraisal_disclosure", "subject_id": s.appraisal.pk}
        ).status_code
        == 302
    )
    # Lines wrap where the page ends them: compare with whitespace folded.
    text = " ".join(_pdf_text(Document.objects.get(kind="appraisal_disclosure")).split())
    for expected in (
        "Appraisal disclosure statement",
        "Organizational unit and sampling",
        str(s.unit),
        str(s.other_unit),
        f"{s.project} ({s.unit})",  # the sampled project and its unit
        str(s.appraisal.reference_model),
        "Staged",
        "SCAMPI A",
        "SCAMPI v1.2",
        str(people.executive),  # sponsor
        str(s.lead),
        "LA-",  # the lead's certificate
        str(s.member),
        "2 Mar 2026 – 6 Mar 2026",
        "5 Mar 2026",  # preliminary findings validated
        "These ratings expire on 6 Mar 2029.",
        "Satisfied",
        "level 2",
    ):
        assert expected in text, expected


def test_the_api_requests_the_ads_as_a_document_kind(
    conducting, people, api_as, django_capture_on_commit_callbacks
):
    from opf.documents.services import document_render

    api = api_as(people.member)
    body = {"kind": "appraisal_disclosure", "subject_id": conducting.appraisal.pk}
    with django_capture_on_commit_callbacks(execute=False):
        created = api.post("/api/v1/documents/", body, format="json")
    assert created.status_code == 202, created.content
    document_render(created.json()["id"])
    pdf = api.get(f"/api/v1/documents/{created.json()['id']}/file/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    schema = api.get("/api/v1/schema/?format=json").content.decode()
    assert "appraisal_disclosure" in schema  # the kind is in the schema's enum
