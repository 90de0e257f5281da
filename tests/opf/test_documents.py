"""PDF documents: requested from a page or the API, rendered by a worker."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from pypdf import PdfReader

from opf.celery import app
from opf.core.documents import DocumentKind, kinds
from opf.documents.models import Document
from opf.documents.services import StaticFilesOnly, document_render
from tests.conformance import forget_schema
from tests.factories import OrgUnitFactory, ProjectFactory
from tests.problems import field_errors


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_plan_is_requested_on_a_page_and_rendered_by_the_task(
    people, client_as, django_capture_on_commit_callbacks
):
    unit = OrgUnitFactory(name="Avionics Division")
    ProjectFactory(org_unit=unit)
    client = client_as(people.member)
    assert "Generate the Process improvement plan" in client.get("/documents/").content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/documents/new/", {"kind": "improvement_plan"})
    assert len(callbacks) == 1  # the task is enqueued only once the request commits
    document = Document.objects.get()
    assert response.url == document.get_absolute_url()
    waiting = client.get(document.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "Queued" in waiting

    assert document_render(document.pk) is True
    assert document_render(document.pk) is False  # a redelivered message does nothing
    document.refresh_from_db()
    assert document.status == "done" and document.progress == 100 and document.pages >= 4
    text = pdf_text(document)
    assert "Process improvement plan" in text and "Avionics Division" in text
    assert "Contents" in text
    done = client.get(document.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in done and "Open the PDF" in done
    pdf = client.get(f"/documents/{document.pk}/file/")
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_a_failure_is_recorded_with_its_reason(people, monkeypatch):
    broken = DocumentKind("broken", "Broken", "documents/no-such-template.html", lambda s: {})
    monkeypatch.setitem(kinds(), "broken", broken)
    document = Document.objects.create(kind="broken", title="Broken", requested_by=people.epg)
    document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "failed"
    assert "no-such-template" in document.error


@pytest.mark.django_db
def test_api_requests_polls_and_fetches(people, api_as, django_capture_on_commit_callbacks):
    api = api_as(people.executive)
    assert api_as(None).post("/api/v1/documents/", {"kind": "improvement_plan"}).status_code == 401
    bad = api.post("/api/v1/documents/", {"kind": "poem"}, format="json")
    assert bad.status_code == 400 and "kind" in field_errors(bad)
    with django_capture_on_commit_callbacks(execute=False):
        created = api.post("/api/v1/documents/", {"kind": "improvement_plan"}, format="json")
    assert created.status_code == 202
    body = created.json()
    assert body["status"] == "queued" and body["file_url"] is None
    assert api.get(f"/api/v1/documents/{body['id']}/file/").status_code == 409
    document_render(body["id"])
    ready = api.get(f"/api/v1/documents/{body['id']}/").json()
    assert ready["status"] == "done" and ready["file_url"].endswith("/file/")
    pdf = api.get(f"/api/v1/documents/{body['id']}/file/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_documents_fetch_only_our_static_files():
    fetcher = StaticFilesOnly()
    with pytest.raises(ValueError, match="Not fetched"):
        fetcher.fetch("http://example.com/tracker.png")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch("opf-static:/css/print.css")
    assert b"@page" in response.read()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_renders_the_requested_plan(people, api_as):
    OrgUnitFactory(name="Ground Systems Unit")
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        created = api_as(people.epg).post(
            "/api/v1/documents/", {"kind": "improvement_plan"}, format="json"
        )
        assert created.status_code == 202
        deadline = time.monotonic() + 90
        document = Document.objects.get(pk=created.json()["id"])
        while not document.finished and time.monotonic() < deadline:
            time.sleep(0.5)
            document.refresh_from_db()
    assert document.status == "done", document.error
    assert "Ground Systems Unit" in pdf_text(document)


@pytest.mark.django_db
def test_a_job_left_waiting_says_background_work_is_delayed(people, client_as):
    client = client_as(people.member)
    now = timezone.now()
    sent = Document.objects.create(kind="improvement_plan", title="Sent", requested_by=people.epg)
    Document.objects.filter(pk=sent.pk).update(enqueued_at=now)
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert "Queued" in detail and "Waiting for the queue" not in detail
    assert "waiting for the queue" not in client.get("/documents/").content.decode()

    # Queued for over a minute (no worker free), or never handed to the queue (it was down).
    Document.objects.filter(pk=sent.pk).update(created_at=now - timedelta(minutes=2))
    never_sent = Document.objects.create(kind="improvement_plan", title="Unsent")
    for document in (sent, never_sent):
        waiting = client.get(document.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
        assert "Waiting for the queue: background work is delayed" in waiting
        assert 'hx-trigger="every 1s"' in waiting  # and it keeps watching
    listing = client.get("/documents/").content.decode()
    assert listing.count("waiting for the queue") == 2 and "Background work is delayed" in listing


@pytest.mark.django_db
def test_an_identical_pending_request_is_answered_with_the_one_queued(
    people, client_as, api_as, django_capture_on_commit_callbacks
):
    """#21: one member queued 15 plan PDFs in 1.2 s; the same request, still pending,
    now gets the document already queued, on the page and in the API."""
    web = client_as(people.member)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = web.post("/documents/new/", {"kind": "improvement_plan"})
        again = web.post("/documents/new/", {"kind": "improvement_plan"}, follow=True)
        by_api = api_as(people.member).post(
            "/api/v1/documents/", {"kind": "improvement_plan"}, format="json"
        )
    document = Document.objects.get()
    assert len(callbacks) == 1  # one render job
    assert first.url == again.redirect_chain[-1][0] == document.get_absolute_url()
    assert "You asked for this document already" in again.content.decode()
    assert by_api.status_code == 202 and by_api.json()["id"] == document.pk
    # Someone else's request, or one after the first is done, is a new document.
    api_as(people.pm).post("/api/v1/documents/", {"kind": "improvement_plan"}, format="json")
    assert Document.objects.count() == 2
    document_render(document.pk)
    web.post("/documents/new/", {"kind": "improvement_plan"})
    assert Document.objects.filter(requested_by=people.member).count() == 2


@pytest.fixture
def two_more_kinds(monkeypatch):
    """Two more document kinds, which the served schema then lists too."""
    for slug in ("memo", "brief"):
        kind = DocumentKind(slug, slug.title(), "documents/no-such-template.html", lambda s: {})
        monkeypatch.setitem(kinds(), slug, kind)
    forget_schema()
    yield
    monkeypatch.undo()
    forget_schema()


@pytest.mark.django_db
@pytest.mark.usefixtures("two_more_kinds")
def test_pending_requests_per_user_are_limited(people, client_as, api_as, settings):
    settings.OPF_PDF_PENDING_PER_USER = 2
    web, api = client_as(people.member), api_as(people.member)
    web.post("/documents/new/", {"kind": "improvement_plan"})
    assert api.post("/api/v1/documents/", {"kind": "memo"}, format="json").status_code == 202
    refused = api.post("/api/v1/documents/", {"kind": "brief"}, format="json")
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    assert "2 documents waiting" in refused.json()["detail"]
    page = web.post("/documents/new/", {"kind": "brief"}, HTTP_REFERER="/documents/", follow=True)
    assert page.redirect_chain[-1][0] == "/documents/"
    assert "2 documents waiting" in page.content.decode()
    assert Document.objects.filter(requested_by=people.member).count() == 2
    # The same request as a pending one is still answered; others' limits are their own.
    assert api.post("/api/v1/documents/", {"kind": "memo"}, format="json").status_code == 202
    assert api_as(people.pm).post("/api/v1/documents/", {"kind": "brief"}).status_code == 202
    # Once one is done (or failed), there is room again.
    document_render(Document.objects.get(requested_by=people.member, kind="memo").pk)
    assert api.post("/api/v1/documents/", {"kind": "brief"}, format="json").status_code == 202
