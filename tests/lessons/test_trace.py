"""The trace: a full chain built here, walked from either end and from the
middle, in a number of queries that does not grow with the records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Pilot, ProcessActionPlan
from lessons import trace
from lessons.models import AuditItem, NonCompliance
from lessons.services import audits, learning
from tests.appraisals.factories import ProcessNeedFactory
from tests.deployment.factories import ProjectDeploymentFactory
from tests.lessons.factories import (
    ComplianceAuditFactory,
    ImprovementProposalFactory,
    LessonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(people):
    """Need -> improvement -> action plan -> pilot; version -> deployment -> audit ->
    NC -> proposal -> improvement, and lesson -> proposal."""
    need = ProcessNeedFactory()
    improvement = need.improvements.create(title="Better reviews")
    plan = ProcessActionPlan.objects.create(title="Review plan")
    plan.improvements.add(improvement)
    pilot = Pilot.objects.create(action_plan=plan, title="Pilot reviews", objective="Try it")
    deployment = ProjectDeploymentFactory(project__manager=people.pm, asset_version__pilot=pilot)
    audit = ComplianceAuditFactory(project=deployment.project, auditor=people.appraiser)
    audits.audit_build_checklist(audit, actor=people.epg)
    audits.audit_start(audit, actor=people.appraiser)
    item = audit.items.get()
    audits.audit_item_record(
        item,
        result=AuditItem.Result.NON_COMPLIANT,
        evidence="Skipped.",
        actor=people.appraiser,
        raise_non_compliance=True,
    )
    nc = NonCompliance.objects.get(item=item)
    lesson = LessonFactory(non_compliance=nc, action_plan=plan)
    proposal = ImprovementProposalFactory(lesson=lesson)
    proposal.non_compliances.add(nc)
    learning.proposal_accept(proposal, actor=people.epg)
    proposal.refresh_from_db()
    return {
        "need": need,
        "improvement": improvement,
        "plan": plan,
        "pilot": pilot,
        "version": deployment.asset_version,
        "deployment": deployment,
        "audit": audit,
        "nc": nc,
        "lesson": lesson,
        "proposal": proposal,
        "new_improvement": proposal.improvement,
    }


def labels(nodes) -> set[tuple[str, int]]:
    return {(n.kind, n.pk) for n in nodes}


def test_forward_from_the_asset_version_reaches_the_new_improvement(chain, people):
    result = trace.trace(chain["version"], people.member)
    forward = labels(result.forward)
    for name in ("deployment", "audit", "nc", "lesson", "proposal", "new_improvement"):
        obj = chain[name]
        assert (obj._meta.model_name, obj.pk) in forward, name
    levels = {(n.kind, n.pk): n.level for n in result.forward}
    assert levels[("projectdeployment", chain["deployment"].pk)] == 1
    assert levels[("complianceaudit", chain["audit"].pk)] == 2
    assert levels[("noncompliance", chain["nc"].pk)] == 3
    back = labels(result.backward)
    assert ("pilot", chain["pilot"].pk) in back
    assert ("processneed", chain["need"].pk) in back  # why the version exists


def test_backward_from_the_new_improvement_reaches_the_asset_version(chain, people):
    result = trace.trace(chain["new_improvement"], people.member)
    back = labels(result.backward)
    for name in ("proposal", "nc", "lesson", "audit", "deployment", "version", "pilot"):
        obj = chain[name]
        assert (obj._meta.model_name, obj.pk) in back, name
    # The lesson came out of the first action plan: the walk goes on to its need.
    levels = {(n.kind, n.pk): n.level for n in result.backward}
    assert levels[("processneed", chain["need"].pk)] < levels[("lesson", chain["lesson"].pk)] < -1


def test_from_the_first_improvement_back_to_the_need_and_forward_to_the_pilot(chain, people):
    result = trace.trace(chain["improvement"], people.member)
    assert ("processneed", chain["need"].pk) in labels(result.backward)
    forward = labels(result.forward)
    assert ("processactionplan", chain["plan"].pk) in forward
    assert ("pilot", chain["pilot"].pk) in forward
    # ...and on through the version the pilot released, to its audits.
    assert ("assetversion", chain["version"].pk) in forward
    assert ("noncompliance", chain["nc"].pk) in forward
    assert ("lesson", chain["lesson"].pk) in forward  # a lesson of the action plan


def test_trace_page_and_api(chain, people, client_as, api_as):
    nc = chain["nc"]
    page = client_as(people.member).get(f"/trace/lessons/noncompliance/{nc.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and chain["proposal"].get_absolute_url() in html
    assert chain["audit"].get_absolute_url() in html
    api = api_as(people.member).get(f"/api/v1/trace/non-compliances/{nc.pk}/")
    assert api.status_code == 200
    data = api.json()
    assert data["root"] == {
        "kind": "non-compliances",
        "type": "Non-compliance",
        "id": nc.pk,
        "display": nc.title,
        "url": f"http://testserver/api/v1/non-compliances/{nc.pk}/",
        "web_url": f"http://testserver{nc.get_absolute_url()}",
        "level": 0,
    }
    # Every node is a reference whose url the API answers.
    for node in data["nodes"]:
        assert api_as(people.member).get(node["url"]).json()["id"] == node["id"]
    kinds = {(n["kind"], n["id"]) for n in data["nodes"]}
    assert ("proposals", chain["proposal"].pk) in kinds
    assert {
        "from": {"kind": "compliance-audits", "id": chain["audit"].pk},
        "to": {"kind": "non-compliances", "id": nc.pk},
    } in data["links"]
    for unknown in ("/api/v1/trace/users/1/", "/api/v1/trace/noncompliance/1/"):
        missing = api_as(people.member).get(unknown)
        assert missing.status_code == 404 and "non-compliances" in missing.json()["detail"]
        assert missing["Content-Type"] == "application/problem+json"
    for odd in ("/api/v1/trace/Asset_Versions/30/", "/api/v1/trace/asset-versions/x/"):
        missing = api_as(people.member).get(odd)
        assert missing.status_code == 404 and missing.json()["status"] == 404
    assert client_as(people.member).get("/trace/opf/user/1/").status_code == 404
    assert api_as(None).get(f"/api/v1/trace/non-compliances/{nc.pk}/").status_code == 401


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_trace_queries_do_not_grow_with_records(chain, people, client_as):
    client = client_as(people.epg)
    version = chain["version"]
    url = f"/trace/deployment/assetversion/{version.pk}/"
    small = count(client, url)
    # Five more projects use the version, each audited with a non-compliance.
    for _ in range(5):
        deployment = ProjectDeploymentFactory(asset_version=version)
        audit = ComplianceAuditFactory(project=deployment.project, auditor=people.appraiser)
        audits.audit_build_checklist(audit, actor=people.epg)
        audits.audit_start(audit, actor=people.appraiser)
        audits.audit_item_record(
            audit.items.get(),
            result=AuditItem.Result.NON_COMPLIANT,
            evidence="x",
            actor=people.appraiser,
            raise_non_compliance=True,
        )
    assert count(client, url) == small
    assert len(trace.trace(version, people.epg).forward) > 15
