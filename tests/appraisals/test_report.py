"""The findings report, changes since the previous appraisal, and the appraisal page's
query count with hundreds of findings."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals import services
from appraisals.models import Appraisal, Characterization, Finding
from tests.appraisals.conftest import cover, validate
from tests.appraisals.factories import (
    AppraisalFactory,
    EvidenceFactory,
    FindingFactory,
    FindingFeedbackFactory,
    FindingsValidationFactory,
    RatingFactory,
    RecommendationFactory,
    qualify,
)
from tests.factories import PracticeFactory, ProcessAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def _close_with(setup, values: list[str], rating: str) -> None:
    cover(setup)
    for practice, value in zip(setup.practices, values, strict=True):
        services.characterize(
            appraisal=setup.appraisal,
            practice=practice,
            instance=f"u{setup.other_unit.pk}",
            value=value,
            actor=setup.lead,
        )
    FindingFactory(
        appraisal=setup.appraisal,
        process_area=setup.area,
        kind="strength",
        statement="Good reviews",
    )
    validate(setup.appraisal, setup.member)
    services.appraisal_deliver(setup.appraisal, actor=setup.lead)
    for r in setup.appraisal.ratings.all():
        services.rating_confirm(r, value=rating, reason="checked", actor=setup.lead)
    services.appraisal_close(setup.appraisal, actor=setup.lead)


def test_the_report_groups_findings_and_shows_ratings_and_changes(conducting, people, client_as):
    s = conducting
    _close_with(s, ["PI", "LI"], "not_satisfied")
    maturity = client_as(people.member).get("/maturity/").content.decode()
    assert str(s.appraisal) in maturity and "ML 1" in maturity and str(s.other_unit) in maturity
    qualify(s.lead)  # still a qualified lead: the follow-up keeps them
    follow_up = services.appraisal_copy(s.appraisal, actor=people.epg)
    Appraisal.objects.filter(pk=follow_up.pk).update(state="in_progress")
    follow_up.refresh_from_db()
    cover(s, appraisal=follow_up)
    for practice, value in zip(s.practices, ["FI", "PI"], strict=True):
        services.characterize(
            appraisal=follow_up,
            practice=practice,
            instance=f"u{s.other_unit.pk}",
            value=value,
            actor=s.lead,
        )
    FindingFactory(
        appraisal=follow_up, process_area=s.area, kind="weakness", statement="No estimation method"
    )
    RecommendationFactory(
        appraisal=follow_up, process_area=s.area, statement="Adopt Wideband Delphi"
    )
    validate(follow_up, s.member)
    services.appraisal_deliver(follow_up, actor=s.lead)
    for r in follow_up.ratings.all():
        services.rating_confirm(r, value="satisfied", reason="re-rated", actor=s.lead)
    page = client_as(people.member).get(f"/appraisals/{follow_up.pk}/report/")
    assert page.status_code == 200
    html = page.content.decode()
    assert str(s.area) in html and "No estimation method" in html
    assert "Adopt Wideband Delphi" in html
    assert f"Changes since {s.appraisal}" in html
    up = f"{s.practices[0].code} @ {s.other_unit}: PI → FI"
    down = f"{s.practices[1].code} @ {s.other_unit}: LI → PI"
    assert up in html and down in html
    assert "Not satisfied → Satisfied" in html


def test_the_appraisal_page_runs_fixed_queries_with_300_findings(conducting, people, client_as):
    s = conducting
    client = client_as(s.lead)
    FindingFactory.create_batch(3, appraisal=s.appraisal, process_area=s.area)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(s.appraisal.get_absolute_url())
            assert response.status_code == 200
        return len(ctx.captured_queries)

    small = count()
    Finding.objects.bulk_create(
        Finding(
            appraisal=s.appraisal,
            process_area=s.area,
            practice=s.practices[n % 2],
            org_unit=s.unit if n % 3 else None,
            project=None if n % 3 else s.project,
            kind=["strength", "weakness", "observation"][n % 3],
            statement=f"Finding {n}",
        )
        for n in range(297)
    )
    # and everything else the page lists: recommendations, evidence, team, validation
    RecommendationFactory.create_batch(4, appraisal=s.appraisal, process_area=s.area)
    EvidenceFactory.create_batch(3, appraisal=s.appraisal, org_unit=s.unit)
    s.appraisal.team.add(*UserFactory.create_batch(3))
    session = FindingsValidationFactory(appraisal=s.appraisal)
    for finding in Finding.objects.filter(appraisal=s.appraisal)[:5]:
        FindingFeedbackFactory(validation=session, finding=finding)
    assert count() == small
    assert small <= 33  # 30, the validation section (2, #18) and the top bar's counts (1, #17)


@pytest.mark.usefixtures("uncached_figures")
def test_the_findings_report_runs_fixed_queries_whatever_it_shows(conducting, people, client_as):
    s = conducting
    previous = AppraisalFactory(reference_model=s.appraisal.reference_model, scope=False)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(previous=previous)
    FindingFactory(appraisal=s.appraisal, process_area=s.area, kind="strength")
    client = client_as(people.member)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/appraisals/{s.appraisal.pk}/report/")
            assert response.status_code == 200
        return len(ctx.captured_queries)

    small = count()
    other_area = ProcessAreaFactory(reference_model=s.appraisal.reference_model)
    other_practice = PracticeFactory(process_area=other_area, goal=None)
    s.appraisal.process_areas.add(other_area)
    Finding.objects.bulk_create(
        Finding(
            appraisal=s.appraisal,
            process_area=other_area if n % 4 == 0 else s.area,
            practice=other_practice if n % 4 == 0 else s.practices[n % 2] if n % 5 else None,
            org_unit=s.unit if n % 3 else None,
            project=None if n % 3 else s.project,
            kind=["strength", "weakness", "observation"][n % 3],
            severity=["low", "medium", "high"][n % 3],
            statement=f"Finding {n}",
        )
        for n in range(300)
    )
    for practice, (before, after) in zip(s.practices, [("PI", "FI"), ("LI", "PI")], strict=True):
        for appraisal, value in ((previous, before), (s.appraisal, after)):
            Characterization.objects.create(
                appraisal=appraisal, practice=practice, org_unit=s.unit, value=value
            )
    for appraisal, value in ((previous, "not_satisfied"), (s.appraisal, "satisfied")):
        RatingFactory(appraisal=appraisal, process_area=s.area, org_unit=s.unit, value=value)
    RecommendationFactory.create_batch(5, appraisal=s.appraisal, process_area=s.area)
    s.appraisal.team.add(*UserFactory.create_batch(3))
    html = client.get(f"/appraisals/{s.appraisal.pk}/report/").content.decode()
    assert len(re.findall(r": Finding \d+", html)) == 301 and str(other_area) in html
    assert f"{s.practices[0].code} @ {s.unit}: PI → FI" in html
    assert count() == small


def test_the_findings_report_pdf_is_generated_from_the_report_page(
    conducting, people, client_as, django_capture_on_commit_callbacks
):
    from opf.documents.models import Document
    from opf.documents.services import document_render
    from tests.opf.test_documents import pdf_text

    s = conducting
    FindingFactory(
        appraisal=s.appraisal, process_area=s.area, kind="weakness", statement="No peer reviews"
    )
    RecommendationFactory(appraisal=s.appraisal, process_area=s.area, statement="Adopt checklists")
    client = client_as(people.member)
    page = client.get(f"/appraisals/{s.appraisal.pk}/report/").content.decode()
    assert 'name="kind" value="appraisal_findings"' in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/documents/new/", {"kind": "appraisal_findings", "subject_id": s.appraisal.pk}
        )
    document = Document.objects.get()
    assert response.url == document.get_absolute_url()
    assert document.subject_id == s.appraisal.pk
    assert document_render(document.pk) is True
    document.refresh_from_db()
    assert document.status == "done", document.error
    text = pdf_text(document)
    assert "Appraisal findings report" in text and s.appraisal.title in text
    assert "No peer reviews" in text and "Adopt checklists" in text and str(s.area) in text


def test_a_findings_report_needs_an_appraisal_the_user_can_see(people, client_as):
    from opf.documents.models import Document

    client = client_as(people.member)
    response = client.post("/documents/new/", {"kind": "appraisal_findings"}, follow=True)
    assert "This kind of document is about one record." in response.content.decode()
    response = client.post(
        "/documents/new/", {"kind": "appraisal_findings", "subject_id": 999999}, follow=True
    )
    assert "No such record, or you cannot see it." in response.content.decode()
    assert not Document.objects.exists()


def test_the_appraisal_page_shows_a_bounded_findings_table_narrowed_by_area_and_kind(
    conducting, people, client_as
):
    from appraisals.views import FINDINGS_SHOWN

    s = conducting
    Finding.objects.bulk_create(
        Finding(
            appraisal=s.appraisal,
            process_area=s.area,
            org_unit=s.unit,
            kind="weakness" if n % 2 else "strength",
            statement=f"Finding {n:03d}",
        )
        for n in range(FINDINGS_SHOWN + 20)
    )
    client = client_as(people.member)
    page = client.get(s.appraisal.get_absolute_url()).content.decode()
    assert f"{FINDINGS_SHOWN + 20} findings" in page
    assert len(re.findall(r'href="/findings/\d+/"', page)) == FINDINGS_SHOWN
    assert f"Showing the first {FINDINGS_SHOWN} of {FINDINGS_SHOWN + 20}" in page
    weak = client.get(s.appraisal.get_absolute_url(), {"kind": "weakness"}).content.decode()
    assert f"{(FINDINGS_SHOWN + 20) // 2} findings" in weak and "Showing the first" not in weak
    assert "Finding 001" in weak and "Finding 000" not in weak
    other = client.get(s.appraisal.get_absolute_url(), {"area": "999999", "kind": "nonsense"})
    assert other.status_code == 200 and "0 findings" in other.content.decode()
