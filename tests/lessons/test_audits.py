"""Compliance audits: checklist construction, score, non-compliances and their
rights and transitions, recurrence raising a proposal against the asset."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment.models import ProjectDeployment, TailoringRecord
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    ImprovementProposal,
    NonCompliance,
    RecurrenceRule,
)
from lessons.services import audits
from opf.core.errors import TransitionRefused
from tests.deployment.factories import ProjectDeploymentFactory, TailoringRecordFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import AuditItemFactory, ComplianceAuditFactory, NonComplianceFactory

pytestmark = pytest.mark.django_db
R = AuditItem.Result


def run_audit(audit, people, results: list[str]) -> list[AuditItem]:
    audits.audit_build_checklist(audit, actor=people.epg)
    audits.audit_start(audit, actor=people.appraiser)
    items = list(audit.items.order_by("pk"))
    for item, result in zip(items, results, strict=True):
        audits.audit_item_record(item, result=result, evidence="seen", actor=people.appraiser)
    return items


def test_checklist_has_one_item_per_deployed_version_minus_waived(audit, deployments, people):
    waived, tailored, kept = deployments
    ProjectDeployment.objects.filter(pk=waived.pk).update(state=ProjectDeployment.State.WAIVED)
    TailoringRecordFactory(deployment=kept, state=TailoringRecord.State.REQUESTED)
    ProjectDeploymentFactory()  # another project's deployment is not audited here

    created = audits.audit_build_checklist(
        audit, actor=people.epg, work_products=["Project plan", "project plan ", ""]
    )

    assert {i.asset_version_id for i in created if i.asset_version_id} == {
        tailored.asset_version_id,
        kept.asset_version_id,
    }
    assert [i.work_product for i in created if not i.asset_version_id] == ["Project plan"]
    # A requested (not approved) tailoring changes nothing: the standard process is checked.
    assert all(i.tailoring_id is None and i.checks == "" for i in created)
    # Building again adds nothing twice.
    assert (
        audits.audit_build_checklist(audit, actor=people.epg, work_products=["Project plan"]) == []
    )
    assert audit.items.count() == 3


def test_a_tailored_deployment_yields_an_audit_item_citing_the_tailoring(
    audit, deployments, people, client_as, api_as
):
    """SP 3.2: an approved tailoring is audited (what the project does instead), it is
    not a gap in the checklist."""
    _waived, tailored, _kept = deployments
    record = TailoringRecordFactory(
        deployment=tailored,
        state=TailoringRecord.State.APPROVED,
        what="Peer review by pairing instead of formal inspections",
        why="Two-person team.",
    )
    TailoringRecordFactory(deployment=tailored, state=TailoringRecord.State.REJECTED)

    audits.audit_build_checklist(audit, actor=people.epg)

    item = audit.items.get(asset_version=tailored.asset_version)
    assert item.deployment_id == tailored.pk
    assert item.tailoring_id == record.pk
    assert "Peer review by pairing instead of formal inspections" in item.checks
    assert f"#{record.pk}" in item.checks and "Two-person team." in item.checks
    assert "as tailored" in item.name
    page = client_as(people.epg).get(audit.get_absolute_url()).content.decode()
    assert "Peer review by pairing instead of formal inspections" in page
    assert record.get_absolute_url() in page
    data = api_as(people.epg).get(f"/api/v1/audit-items/{item.pk}/").json()
    assert data["tailoring"] == record.pk
    assert "Peer review by pairing" in data["checks"]


def test_the_organizations_own_process_can_be_audited(people, client_as, api_as):
    """No project: the process group's own process (OPF), named as a process area; its
    checklist is work products; a finding raises a non-compliance without a project."""
    from opf.reference.models import ProcessArea

    opf_area = ProcessArea.objects.get(abbreviation="OPF", reference_model__builtin=True)
    response = client_as(people.epg).post(
        "/audits/add/",
        {
            "project": "",
            "process_areas": [opf_area.pk],
            "auditor": people.appraiser.pk,
            "planned_date": "2026-07-01",
            "scope": "The program's own process",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    audit = ComplianceAudit.objects.get(scope="The program's own process")
    assert audit.project is None and list(audit.process_areas.all()) == [opf_area]
    assert "Organization process" in str(audit)

    created = api_as(people.epg).post(
        "/api/v1/compliance-audits/",
        {"auditor": people.appraiser.pk, "planned_date": "2026-08-01", "scope": "By API"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    by_api = ComplianceAudit.objects.get(pk=created.json()["id"])
    audits.audit_build_checklist(by_api, actor=people.epg, work_products=["Policy"])
    with pytest.raises(TransitionRefused, match="names the process areas"):
        audits.audit_start(by_api, actor=people.epg)

    items = audits.audit_build_checklist(
        audit, actor=people.epg, work_products=["Program policy", "Improvement plan"]
    )
    assert [i.work_product for i in items] == ["Program policy", "Improvement plan"]
    audits.audit_start(audit, actor=people.appraiser)
    audits.audit_item_record(
        items[0], result=R.COMPLIANT, evidence="Approved 2026-02-01.", actor=people.appraiser
    )
    audits.audit_item_record(
        items[1],
        result=R.NON_COMPLIANT,
        evidence="No budget in the plan.",
        actor=people.appraiser,
        raise_non_compliance=True,
    )
    audits.audit_complete(audit, actor=people.appraiser)
    nc = NonCompliance.objects.get(item=items[1])
    assert nc.project is None and nc.audit == audit
    page = client_as(people.epg).get(audit.get_absolute_url())
    assert page.status_code == 200 and "organization process" in page.content.decode()


def test_only_the_assigned_auditor_or_process_group_builds_and_records(audit, people):
    with pytest.raises(PermissionDenied):
        audits.audit_build_checklist(audit, actor=people.pm)
    other = ComplianceAuditFactory(auditor=people.epg)
    with pytest.raises(PermissionDenied):
        audits.audit_build_checklist(other, actor=people.appraiser)
    assert audits.audit_build_checklist(audit, actor=people.appraiser)


def test_start_needs_a_checklist_and_complete_needs_every_result(audit, people):
    with pytest.raises(TransitionRefused, match="checklist"):
        audits.audit_start(audit, actor=people.appraiser)
    audits.audit_build_checklist(audit, actor=people.epg)
    audits.audit_start(audit, actor=people.appraiser)
    with pytest.raises(TransitionRefused, match="3 checklist item"):
        audits.audit_complete(audit, actor=people.appraiser)


def test_score_excludes_not_applicable_and_is_stored_on_completion(audit, people):
    run_audit(audit, people, [R.COMPLIANT, R.NON_COMPLIANT, R.NOT_APPLICABLE])
    audits.audit_complete(audit, actor=people.appraiser)
    audit.refresh_from_db()
    assert audit.state == ComplianceAudit.State.COMPLETED
    assert audit.score == Decimal("50.0")
    assert audit.performed_date == timezone.localdate()


def test_results_only_while_in_progress_and_evidence_required_for_non_compliance(audit, people):
    audits.audit_build_checklist(audit, actor=people.epg)
    item = audit.items.first()
    with pytest.raises(TransitionRefused):
        audits.audit_item_record(item, result=R.COMPLIANT, evidence="", actor=people.appraiser)
    audits.audit_start(audit, actor=people.appraiser)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audits.audit_item_record(item, result=R.NON_COMPLIANT, evidence=" ", actor=people.appraiser)


def test_non_compliant_item_raises_one_nc_owned_by_the_project_manager(audit, people):
    items = run_audit(audit, people, [R.NON_COMPLIANT, R.COMPLIANT, R.COMPLIANT])
    nc = audits.non_compliance_raise(items[0], actor=people.appraiser, severity="major")
    again = audits.non_compliance_raise(items[0], actor=people.appraiser)
    assert again.pk == nc.pk
    assert nc.owner == people.pm
    assert nc.project == audit.project
    assert nc.asset_id == items[0].asset_version.asset_id
    assert nc.due_date == timezone.localdate() + timedelta(days=30)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        audits.non_compliance_raise(items[1], actor=people.appraiser)


def test_nc_transitions_refuse_missing_fields_with_clear_messages(people, project):
    nc = NonComplianceFactory(project=project, severity=NonCompliance.Severity.MAJOR)
    with pytest.raises(TransitionRefused) as refused:
        audits.non_compliance_start_correction(nc, actor=people.pm)
    message = refused.value.message
    for words in ("due date", "corrective action", "root cause", "five whys"):
        assert words in message
    nc.due_date = date(2026, 12, 1)
    nc.corrective_action = "Hold the reviews."
    nc.root_cause_category = NonCompliance.RootCause.EXECUTION
    nc.five_whys = "Why? Deadline. Why? Not planned."
    nc.save()
    audits.non_compliance_start_correction(nc, actor=people.pm)
    with pytest.raises(TransitionRefused):  # the PM does not verify their own correction
        audits.non_compliance_verify(nc, actor=people.pm, reason="done")
    with pytest.raises(TransitionRefused, match="reason"):
        audits.non_compliance_verify(nc, actor=people.appraiser, reason="")
    audits.non_compliance_verify(nc, actor=people.appraiser, reason="Two iterations sampled.")
    audits.non_compliance_close(nc, actor=people.epg)
    nc.refresh_from_db()
    assert nc.state == NonCompliance.State.CLOSED
    assert nc.verification_note == "Two iterations sampled."
    assert nc.closed_on == timezone.localdate()
    assert nc.history.count() >= 4


def test_project_manager_answers_only_their_own_projects_ncs(people, project, client_as, api_as):
    mine = NonComplianceFactory(project=project)
    theirs = NonComplianceFactory(project=ProjectFactory(manager=people.other_pm))
    client = client_as(people.pm)
    data = {
        "title": mine.title,
        "project": project.pk,
        "severity": "minor",
        "corrective_action": "Fix.",
    }
    assert client.post(f"/non-compliances/{mine.pk}/edit/", data).status_code == 302
    assert client.get(f"/non-compliances/{theirs.pk}/edit/").status_code == 403
    api = api_as(people.pm)
    assert (
        api.patch(
            f"/api/v1/non-compliances/{theirs.pk}/", {"corrective_action": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        api.patch(
            f"/api/v1/non-compliances/{mine.pk}/", {"corrective_action": "Again."}, format="json"
        ).status_code
        == 200
    )


def test_overdue_and_age_are_shown(people, project, client_as):
    late = NonComplianceFactory(project=project, due_date=timezone.localdate() - timedelta(days=2))
    NonCompliance.objects.filter(pk=late.pk).update(
        opened_on=timezone.localdate() - timedelta(days=40)
    )
    late.refresh_from_db()
    assert late.overdue and late.age_days == 40
    page = client_as(people.member).get("/non-compliances/", {"overdue": "true"}).content.decode()
    assert late.title in page and "overdue" in page
    detail = client_as(people.member).get(late.get_absolute_url()).content.decode()
    assert "40 days" in detail


def test_api_transitions_answer_409_when_refused(people, project, api_as):
    nc = NonComplianceFactory(project=project)
    api = api_as(people.pm)
    response = api.post(f"/api/v1/non-compliances/{nc.pk}/start-correction/", {}, format="json")
    assert response.status_code == 409
    assert "corrective action" in response.json()["detail"]


def _nc_on(asset, project, *, days_ago: int = 0) -> NonCompliance:
    return NonComplianceFactory(
        project=project, asset=asset, opened_on=timezone.localdate() - timedelta(days=days_ago)
    )


def test_recurrence_in_three_projects_raises_one_proposal_against_the_asset(people):
    from tests.deployment.factories import ProcessAssetFactory

    asset = ProcessAssetFactory()
    first = [_nc_on(asset, ProjectFactory()) for _ in range(2)]
    assert audits.check_recurrence(asset.pk, actor=people.epg) is None
    _nc_on(asset, ProjectFactory(), days_ago=400)  # too old: outside the 6 months
    assert audits.check_recurrence(asset.pk, actor=people.epg) is None
    third = _nc_on(asset, ProjectFactory())
    proposal = audits.check_recurrence(asset.pk, actor=people.epg)
    assert proposal is not None
    assert proposal.asset == asset and proposal.source == ImprovementProposal.Source.RECURRENCE
    assert set(proposal.non_compliances.all()) == {*first, third}
    # Once: a later NC joins the open proposal instead of raising another.
    fourth = _nc_on(asset, ProjectFactory())
    assert audits.check_recurrence(asset.pk, actor=people.epg) == proposal
    assert ImprovementProposal.objects.filter(asset=asset).count() == 1
    assert fourth in proposal.non_compliances.all()


def test_recurrence_rule_is_editable(people):
    from tests.deployment.factories import ProcessAssetFactory

    RecurrenceRule.objects.create(name="Two in a year", min_projects=2, months=12)
    asset = ProcessAssetFactory()
    _nc_on(asset, ProjectFactory(), days_ago=200)
    _nc_on(asset, ProjectFactory())
    assert audits.check_recurrence(asset.pk) is not None


def test_audit_page_records_a_result_in_place_and_raises_the_nc(audit, people, client_as):
    audits.audit_build_checklist(audit, actor=people.epg, work_products=["Plan"])
    audits.audit_start(audit, actor=people.appraiser)
    item = audit.items.filter(asset_version__isnull=False).first()
    client = client_as(people.appraiser)
    response = client.post(
        f"/audit-items/{item.pk}/result/",
        {
            "result": "non_compliant",
            "evidence": "No records.",
            "raise_non_compliance": "on",
            "severity": "major",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in response.content.decode()
    nc = NonCompliance.objects.get(item=item)
    assert nc.severity == "major"
    # The score in the heading moves with the results, out of band: 0 of 1 counted.
    assert '<span class="badge ok" id="score" aria-live="polite" hx-swap-oob="true">0' in (
        response.content.decode()
    )
    compliant = client.post(
        f"/audit-items/{item.pk}/result/",
        {"result": "compliant", "evidence": "Plan signed."},
        HTTP_HX_REQUEST="true",
    )
    assert 'hx-swap-oob="true">100' in compliant.content.decode()
    bad = client.post(
        f"/audit-items/{item.pk}/result/",
        {"result": "non_compliant", "evidence": ""},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 400 and "evidence" in bad.content.decode().lower()
    assert (
        client_as(people.member)
        .post(f"/audit-items/{item.pk}/result/", {"result": "compliant"})
        .status_code
        == 403
    )


def test_build_checklist_api(audit, people, api_as):
    response = api_as(people.appraiser).post(
        f"/api/v1/compliance-audits/{audit.pk}/build-checklist/",
        {"work_products": ["Plan"]},
        format="json",
    )
    assert response.status_code == 200
    assert len(response.json()) == 4
    assert (
        api_as(people.member)
        .post(f"/api/v1/compliance-audits/{audit.pk}/build-checklist/", {}, format="json")
        .status_code
        == 403
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_audit_page_queries_do_not_grow_with_items(people, client_as):
    client = client_as(people.epg)
    audit = ComplianceAuditFactory(auditor=people.appraiser)
    AuditItemFactory.create_batch(2, audit=audit)
    small = _count(client, audit.get_absolute_url())
    AuditItemFactory.create_batch(10, audit=audit)
    for item in audit.items.all()[:5]:
        NonComplianceFactory(project=audit.project, audit=audit, item=item)
    assert _count(client, audit.get_absolute_url()) == small


def test_compliance_page_by_project_unit_and_asset(audit, people, client_as):
    run_audit(audit, people, [R.COMPLIANT, R.NON_COMPLIANT, R.COMPLIANT])
    audits.audit_complete(audit, actor=people.appraiser)
    client = client_as(people.executive)
    small = _count(client, "/audits/compliance/")
    page = client.get("/audits/compliance/").content.decode()
    assert "66.7 %" in page and audit.project.name in page and audit.project.org_unit.name in page
    assert "<svg" in page
    other = ComplianceAuditFactory(auditor=people.appraiser, project=ProjectFactory())
    ProjectDeploymentFactory.create_batch(2, project=other.project)
    run_audit(other, people, [R.COMPLIANT, R.COMPLIANT])
    audits.audit_complete(other, actor=people.appraiser)
    assert _count(client, "/audits/compliance/") == small
