"""Completed audits and verified or closed non-compliances are locked (#21, finding 4);
the process group reopens an audit, whoever verifies reopens a non-compliance,
each with a reason that history keeps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lessons.models import AuditItem, ComplianceAudit, NonCompliance
from lessons.services import audits as services
from opf.core.errors import TransitionRefused
from tests.lessons.factories import AuditItemFactory, ComplianceAuditFactory, NonComplianceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(people):
    """A completed audit by ``people.appraiser``: one compliant item, score 100 %."""
    audit = ComplianceAuditFactory(
        auditor=people.appraiser, state=ComplianceAudit.State.IN_PROGRESS
    )
    item = AuditItemFactory(audit=audit)
    services.audit_item_record(item, result="compliant", evidence="Plan v2", actor=people.appraiser)
    services.audit_complete(audit, actor=people.appraiser)
    audit.refresh_from_db()
    assert (audit.state, audit.score) == (ComplianceAudit.State.COMPLETED, Decimal("100.0"))
    return audit


def test_a_completed_audits_item_result_is_refused_in_the_api_and_the_score_stays(
    completed, people, api_as
):
    """The security review's PATCH answered 200 and left the score behind the items."""
    item = completed.items.get()
    api = api_as(people.epg)
    url = f"/api/v1/audit-items/{item.pk}/"
    patched = api.patch(url, {"result": "non_compliant", "evidence": "Missing"}, format="json")
    assert patched.status_code == 409
    assert "completed" in patched.json()["detail"]
    recorded = api.post(f"{url}record/", {"result": "non_compliant", "evidence": "Missing"})
    assert recorded.status_code == 409
    added = api.post(
        "/api/v1/audit-items/",
        {"audit": completed.pk, "work_product": "Late addition", "result": "pending"},
        format="json",
    )
    assert added.status_code == 409
    item.refresh_from_db()
    completed.refresh_from_db()
    assert item.result == AuditItem.Result.COMPLIANT and completed.score == Decimal("100.0")
    assert completed.items.count() == 1


def test_the_services_that_write_a_completed_audit_are_refused(completed, people):
    item = completed.items.get()
    with pytest.raises(TransitionRefused):
        services.audit_item_record(item, result="non_compliant", evidence="x", actor=people.epg)
    with pytest.raises(TransitionRefused):
        services.audit_build_checklist(completed, actor=people.epg, work_products=["Extra"])
    assert completed.items.count() == 1


def test_a_completed_audits_page_says_why_and_offers_reopen_to_the_process_group(
    completed, people, client_as
):
    page = client_as(people.epg).get(completed.get_absolute_url()).content.decode()
    assert 'id="locked"' in page and "The process group may reopen it" in page
    assert f"/audits/{completed.pk}/edit/" not in page
    assert f"/audits/{completed.pk}/do/reopen/" in page
    auditor_page = client_as(people.appraiser).get(completed.get_absolute_url()).content.decode()
    assert f"/audits/{completed.pk}/do/reopen/" not in auditor_page


def test_reopening_an_audit_needs_the_process_group_and_a_reason(completed, people, api_as):
    url = f"/api/v1/compliance-audits/{completed.pk}/reopen/"
    assert api_as(people.appraiser).post(url, {"reason": "Redo"}).status_code == 403
    assert api_as(people.epg).post(url, {"reason": ""}).status_code == 409
    completed.refresh_from_db()
    assert completed.state == ComplianceAudit.State.COMPLETED
    assert api_as(people.epg).post(url, {"reason": "Item judged too early"}).status_code == 200
    completed.refresh_from_db()
    assert completed.state == ComplianceAudit.State.IN_PROGRESS
    assert completed.performed_date is None
    assert completed.history.first().history_change_reason == "Item judged too early"


def test_after_reopening_in_the_page_results_change_and_completing_rescores(
    completed, people, client_as
):
    response = client_as(people.epg).post(
        f"/audits/{completed.pk}/do/reopen/", {"reason": "New evidence"}, follow=True
    )
    assert "New evidence" in response.content.decode()  # the history on the record's page
    completed.refresh_from_db()
    assert completed.state == ComplianceAudit.State.IN_PROGRESS, response.content.decode()[-3000:]
    item = completed.items.get()
    services.audit_item_record(item, result="non_compliant", evidence="No plan", actor=people.epg)
    completed.refresh_from_db()
    services.audit_complete(completed, actor=people.epg)
    completed.refresh_from_db()
    assert (completed.state, completed.score) == (ComplianceAudit.State.COMPLETED, Decimal("0.0"))


@pytest.mark.parametrize("state", [NonCompliance.State.VERIFIED, NonCompliance.State.CLOSED])
def test_a_verified_or_closed_non_compliance_is_locked_until_reopened(state, people, api_as):
    nc = NonComplianceFactory(state=state, verification_note="Checked the plan")
    api = api_as(people.epg)
    url = f"/api/v1/non-compliances/{nc.pk}/"
    assert api.patch(url, {"severity": "critical"}, format="json").status_code == 409
    assert api.post(f"{url}reopen/", {"reason": ""}).status_code == 409
    nc.refresh_from_db()
    assert (nc.state, nc.severity) == (state, NonCompliance.Severity.MINOR)
    assert api.post(f"{url}reopen/", {"reason": "It recurred"}).status_code == 200
    nc.refresh_from_db()
    assert nc.state == NonCompliance.State.OPEN and nc.verification_note == ""
    assert nc.history.first().history_change_reason == "It recurred"
    assert api.patch(url, {"severity": "critical"}, format="json").status_code == 200
