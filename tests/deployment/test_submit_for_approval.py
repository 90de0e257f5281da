"""Submit for approval, explicitly (#16): drafts that need an executive are submitted
naming who decides; the executive (or the named one) approves or sends back with a
comment; everyone concerned is told once, never the person who clicked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from deployment import notices as deployment_notices
from deployment import services
from deployment import worklist as deployment_worklist
from opf.core.errors import TransitionRefused
from opf.core.roles import EXECUTIVE
from opf.notifications.models import Notification
from opf.steering import notices as steering_notices
from opf.steering import services as steering
from opf.steering import worklist as steering_worklist
from tests.deployment.factories import (
    AssetVersionFactory,
    DeploymentPlanFactory,
    ReleasedVersionFactory,
    StandardProcessSetFactory,
)
from tests.factories import ProjectFactory, UserFactory
from tests.opf.steering_factories import ProgramDocumentFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def _set():
    standard_set = StandardProcessSetFactory()
    standard_set.asset_versions.set([ReleasedVersionFactory()])
    return standard_set


def _plan():
    plan = DeploymentPlanFactory()
    plan.asset_versions.set([ReleasedVersionFactory()])
    plan.target_projects.set([ProjectFactory()])
    return plan


@dataclass(frozen=True)
class Kind:
    make: Any
    submit: Any
    approve: Any
    send_back: Any
    due: str  # the notice kind telling approvers
    decided: str  # the notice kind telling the submitter
    api: str
    to_approve: Any  # the worklist query of the approvers


KINDS = {
    "asset version": Kind(
        AssetVersionFactory,
        services.asset_version_submit,
        services.asset_version_approve,
        services.asset_version_send_back,
        deployment_notices.APPROVAL_DUE,
        deployment_notices.APPROVAL_DECIDED,
        "asset-versions",
        deployment_worklist.versions_to_approve,
    ),
    "standard set": Kind(
        _set,
        services.standard_set_submit,
        services.standard_set_approve,
        services.standard_set_send_back,
        deployment_notices.APPROVAL_DUE,
        deployment_notices.APPROVAL_DECIDED,
        "standard-sets",
        deployment_worklist.sets_to_approve,
    ),
    "deployment plan": Kind(
        _plan,
        services.deployment_plan_submit,
        services.deployment_plan_approve,
        services.deployment_plan_send_back,
        deployment_notices.APPROVAL_DUE,
        deployment_notices.APPROVAL_DECIDED,
        "deployment-plans",
        deployment_worklist.plans_to_approve,
    ),
    "program document": Kind(
        ProgramDocumentFactory,
        steering.program_document_submit,
        steering.program_document_approve,
        steering.program_document_send_back,
        steering_notices.DOCUMENT_APPROVAL_DUE,
        steering_notices.DOCUMENT_DECIDED,
        "program-documents",
        steering_worklist.documents_to_approve,
    ),
}
NAMES = list(KINDS)


def told(kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


@pytest.fixture
def erin(people):
    """A second executive, named approver in some tests."""
    return UserFactory(username="erin", first_name="Erin", last_name="Exec", roles=[EXECUTIVE])


@pytest.mark.parametrize("name", NAMES)
def test_submit_tells_every_executive_once_and_not_the_actor(name, people, erin):
    kind = KINDS[name]
    record = kind.make()
    kind.submit(record, actor=people.epg)
    assert record.state == "submitted" and record.submitted_by == people.epg
    assert told(kind.due) == ["erin", "executive"]
    assert record.pk in {r.pk for r in kind.to_approve(erin, None)}


@pytest.mark.parametrize("name", NAMES)
def test_a_named_approver_alone_is_told_and_alone_decides(name, people, erin):
    kind = KINDS[name]
    record = kind.make()
    kind.submit(record, actor=people.epg, approver=erin)
    assert told(kind.due) == ["erin"]
    assert list(kind.to_approve(people.executive, None)) == []
    assert [r.pk for r in kind.to_approve(erin, None)] == [record.pk]
    for someone in (people.executive, people.epg):
        with pytest.raises(TransitionRefused, match=r"^Waiting for approval by Erin Exec\.$"):
            kind.approve(record, actor=someone)
    kind.approve(record, actor=erin)
    assert record.state == "approved"
    assert told(kind.decided) == ["epg"]


@pytest.mark.parametrize("name", NAMES)
def test_approval_only_from_submitted_and_only_by_an_executive(name, people):
    kind = KINDS[name]
    record = kind.make()
    with pytest.raises(TransitionRefused, match="the record is draft"):
        kind.approve(record, actor=people.executive)
    kind.submit(record, actor=people.epg)
    with pytest.raises(TransitionRefused, match=r"^Waiting for approval by an executive\.$"):
        kind.approve(record, actor=people.epg)
    assert type(record).objects.get(pk=record.pk).state == "submitted"


@pytest.mark.parametrize("name", NAMES)
def test_send_back_needs_a_comment_returns_to_draft_and_tells_the_submitter(name, people):
    kind = KINDS[name]
    record = kind.make()
    kind.submit(record, actor=people.epg)
    with pytest.raises(TransitionRefused, match="comment"):
        kind.send_back(record, actor=people.executive, reason="  ")
    kind.send_back(record, actor=people.executive, reason="Shorten the scope.")
    assert type(record).objects.get(pk=record.pk).state == "draft"
    assert told(kind.decided) == ["epg"]
    notice = Notification.objects.get(kind=kind.decided)
    assert "sent back" in notice.title and notice.body == "Shorten the scope."
    kind.submit(record, actor=people.epg)  # after changes, submitted again
    assert type(record).objects.get(pk=record.pk).state == "submitted"


def test_a_submitted_draft_is_locked_under_the_approvers_eyes(people, api_as):
    version = AssetVersionFactory(change_summary="Original")
    services.asset_version_submit(version, actor=people.epg)
    response = api_as(people.epg).patch(
        f"/api/v1/asset-versions/{version.pk}/", {"change_summary": "Sneaky"}, format="json"
    )
    assert response.status_code == 409
    assert "sent back to draft to change it" in response.json()["detail"]
    version.refresh_from_db()
    assert version.change_summary == "Original"


@pytest.mark.parametrize("name", NAMES)
def test_api_submit_names_the_approver_and_send_back_wants_a_comment(name, people, erin, api_as):
    kind = KINDS[name]
    record = kind.make()
    url = f"/api/v1/{kind.api}/{record.pk}"
    bad = api_as(people.epg).post(f"{url}/submit/", {"approver": people.pm.pk}, format="json")
    assert bad.status_code == 400 and "approver" in field_errors(bad)
    response = api_as(people.epg).post(f"{url}/submit/", {"approver": erin.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted" and response.json()["approver"] == erin.pk
    refused = api_as(people.executive).post(f"{url}/approve/", {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Waiting for approval by Erin Exec."
    assert api_as(erin).post(f"{url}/send-back/", {}, format="json").status_code == 409
    response = api_as(erin).post(f"{url}/send-back/", {"reason": "Not yet."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "draft"


def test_pages_offer_submit_naming_an_approver_then_send_back_with_a_comment(
    people, erin, client_as
):
    version = AssetVersionFactory()
    page = client_as(people.epg).get(version.get_absolute_url()).content.decode()
    assert "Submit for approval" in page and "Any executive" in page and "Erin Exec" in page
    assert ">Approve<" not in page
    do = f"/asset-versions/{version.pk}/do"
    client_as(people.epg).post(f"{do}/submit/", {"approver": erin.pk})
    version.refresh_from_db()
    assert (version.state, version.approver) == ("submitted", erin)
    page = client_as(people.executive).post(f"{do}/approve/", follow=True).content.decode()
    assert "Waiting for approval by Erin Exec." in page
    page = client_as(erin).get(version.get_absolute_url()).content.decode()
    assert ">Send back<" in page and ">Approve<" in page and "Comment" in page
    client_as(erin).post(f"{do}/send_back/", {"reason": "Cite the pilot."})
    version.refresh_from_db()
    assert version.state == "draft"
    assert told(deployment_notices.APPROVAL_DECIDED) == ["epg"]
