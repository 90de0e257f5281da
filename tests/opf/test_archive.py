"""Nothing deleted by accident (#9, point 4): evidence is archived, not deleted.

Findings, appraisals, evidence, compliance audits and non-compliances are
archived (hidden from lists, still at their URL with an "Archived" badge,
restorable, each step in the history); their API refuses DELETE. Decided plan reviews and released asset
versions are never deleted. Deletions that remain are confirmed first and
recorded in the history with the user.
"""

from __future__ import annotations

import pytest

from actions.models import PlanReview
from deployment.models import AssetVersion
from opf.core.archive import archive_object, is_archivable
from opf.core.permissions import can
from tests.actions.factories import PlanReviewFactory
from tests.appraisals.factories import FindingFactory, RecommendationFactory
from tests.conftest import ROLES
from tests.crud import SPECS, Spec
from tests.deployment.factories import AssetVersionFactory, ReleasedVersionFactory

pytestmark = pytest.mark.django_db
ARCHIVABLE = [spec for spec in SPECS if is_archivable(spec.model)]


def test_the_evidence_models_are_archivable():
    expected = {"findings", "appraisals", "evidence", "compliance-audits", "non-compliances"}
    assert {spec.api for spec in ARCHIVABLE} >= expected


# --- pages -----------------------------------------------------------------------------------


def test_archive_in_pages_hides_from_the_list_keeps_the_url_and_restores(people, client_as):
    finding = FindingFactory(statement="Plans drift from reality")
    client = client_as(people.epg)
    detail = client.get(finding.get_absolute_url()).content.decode()
    assert f"/findings/{finding.pk}/archive/" in detail
    assert f"/findings/{finding.pk}/delete/" not in detail

    confirm = client.get(f"/findings/{finding.pk}/archive/")
    assert confirm.status_code == 200
    assert "Archive Plans drift from reality?" in confirm.content.decode()
    assert (
        client.post(f"/findings/{finding.pk}/archive/", {"reason": "duplicate"}).status_code == 302
    )
    finding.refresh_from_db()
    assert finding.archived_at is not None and finding.archived_by == people.epg
    assert finding.version == 2

    listing = client.get("/findings/").content.decode()
    assert finding.get_absolute_url() not in listing
    assert "Show archived" in listing
    shown = client.get("/findings/", {"archived": "1"}).content.decode()
    assert finding.get_absolute_url() in shown

    page = client.get(finding.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Archived" in html and f"/findings/{finding.pk}/restore/" in html
    assert f"/findings/{finding.pk}/edit/" not in html  # read-only while archived
    edit = client.get(f"/findings/{finding.pk}/edit/", follow=True)
    assert "restore it before changing it" in edit.content.decode()
    assert client.get(f"/findings/{finding.pk}/delete/").status_code == 404

    entry = finding.history.first()
    assert (entry.history_user, entry.history_change_reason) == (people.epg, "Archived: duplicate")

    assert client.post(f"/findings/{finding.pk}/restore/").status_code == 302
    finding.refresh_from_db()
    assert (finding.archived_at, finding.archived_by, finding.version) == (None, None, 3)
    assert finding.history.first().history_change_reason == "Restored"
    assert finding.get_absolute_url() in client.get("/findings/").content.decode()


# --- API -------------------------------------------------------------------------------------


def test_archive_in_the_api_delete_refused_list_filter_and_restore(people, api_as):
    finding = FindingFactory()
    api = api_as(people.epg)
    url = f"/api/v1/findings/{finding.pk}/"

    refused = api.delete(url)
    assert refused.status_code == 405
    assert "archived, not deleted" in refused.json()["detail"]

    archived = api.post(f"{url}archive/", {"reason": "raised twice"}, format="json")
    assert archived.status_code == 200, archived.json()
    body = archived.json()
    assert body["archived_by"] == people.epg.pk and body["archived_at"] and body["version"] == 2

    assert finding.pk not in [r["id"] for r in api.get("/api/v1/findings/").json()["results"]]
    listed = api.get("/api/v1/findings/", {"archived": "true"}).json()["results"]
    assert finding.pk in [r["id"] for r in listed]
    assert api.get(url).status_code == 200  # still reachable by its URL

    changed = api.patch(url, {"severity": "low"}, format="json")
    assert changed.status_code == 409 and "archived" in changed.json()["detail"]
    assert api.post(f"{url}archive/", {}, format="json").status_code == 409  # already archived
    stale = api.post(f"{url}restore/", {}, format="json", HTTP_IF_MATCH=f'"{finding.pk}-1"')
    assert stale.status_code == 412

    restored = api.post(f"{url}restore/", {}, format="json", HTTP_IF_MATCH=f'"{finding.pk}-2"')
    assert restored.status_code == 200
    assert restored.json()["archived_at"] is None and restored.json()["version"] == 3
    history = api.get(f"{url}history/").json()
    assert [entry["user"] for entry in history[:2]] == [people.epg.username] * 2
    assert finding.__class__.objects.filter(pk=finding.pk).exists()


def test_the_schema_has_archive_and_restore_and_no_delete_for_archivable_models(api_as, people):
    paths = api_as(people.epg).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert "post" in paths["/api/v1/findings/{id}/archive/"]
    assert "post" in paths["/api/v1/findings/{id}/restore/"]
    assert "delete" not in paths["/api/v1/findings/{id}/"]
    assert "delete" in paths["/api/v1/recommendations/{id}/"]


# --- who may archive and restore -----------------------------------------------------------


@pytest.mark.parametrize("spec", ARCHIVABLE, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_archive_and_restore_in_pages(spec: Spec, role: str, people, client_as):
    """Whoever may delete the record may archive and restore it; everyone else is refused."""
    obj = spec.factory()
    user = people.by_role(role)
    allowed = user is not None and can(user, "delete", obj)
    client = client_as(user)
    response = client.post(f"/{spec.page}/{obj.pk}/archive/")
    obj.refresh_from_db()
    if user is None:
        assert "/accounts/login/" in response["Location"]
    elif allowed:
        assert response.status_code == 302 and obj.archived_at is not None
    else:
        assert response.status_code in (403, 404)
    if obj.archived_at is None:
        archive_object(obj, actor=people.epg)
    response = client.post(f"/{spec.page}/{obj.pk}/restore/")
    obj.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and obj.archived_at is None
    else:
        assert response.status_code in (302, 403, 404) and obj.archived_at is not None


@pytest.mark.parametrize("spec", ARCHIVABLE, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_archive_and_restore_in_the_api(spec: Spec, role: str, people, api_as):
    obj = spec.factory()
    user = people.by_role(role)
    allowed = user is not None and can(user, "delete", obj)
    api = api_as(user)
    base = f"/api/v1/{spec.api}/{obj.pk}"
    response = api.post(f"{base}/archive/", {}, format="json")
    obj.refresh_from_db()
    if user is None:
        assert response.status_code == 401
    elif allowed:
        assert response.status_code == 200 and obj.archived_at is not None
    else:
        assert response.status_code in (403, 404) and obj.archived_at is None
    if obj.archived_at is None:
        archive_object(obj, actor=people.epg)
    response = api.post(f"{base}/restore/", {}, format="json")
    obj.refresh_from_db()
    if allowed:
        assert response.status_code == 200 and obj.archived_at is None
    else:
        assert response.status_code in (401, 403, 404) and obj.archived_at is not None


# --- approvals and released versions are never deleted -------------------------------------


def test_a_decided_plan_review_is_never_deleted(people, client_as, api_as):
    review = PlanReviewFactory(decision=PlanReview.Decision.APPROVED)
    client = client_as(people.epg)
    assert (
        f"/plan-reviews/{review.pk}/delete/"
        not in client.get(review.get_absolute_url()).content.decode()
    )
    page = client.post(f"/plan-reviews/{review.pk}/delete/", follow=True)
    assert "never deleted" in page.content.decode()
    refused = api_as(people.epg).delete(f"/api/v1/plan-reviews/{review.pk}/")
    assert refused.status_code == 409 and "never deleted" in refused.json()["detail"]
    plan = api_as(people.epg).delete(f"/api/v1/action-plans/{review.plan_id}/")
    assert plan.status_code == 409  # deleting the plan would take its approvals with it
    assert PlanReview.objects.filter(pk=review.pk).exists()

    pending = PlanReviewFactory()  # not decided yet: removing a reviewer is allowed
    assert api_as(people.epg).delete(f"/api/v1/plan-reviews/{pending.pk}/").status_code == 204
    assert pending.history.first().history_type == "-"


@pytest.mark.parametrize("state", [AssetVersion.State.RELEASED, AssetVersion.State.SUPERSEDED])
def test_released_and_superseded_asset_versions_are_never_deleted(state, people, client_as, api_as):
    version = (
        ReleasedVersionFactory()
        if state == AssetVersion.State.RELEASED
        else AssetVersionFactory(state=state)
    )
    client = client_as(people.epg)
    assert (
        f"/asset-versions/{version.pk}/delete/"
        not in client.get(version.get_absolute_url()).content.decode()
    )
    assert client.get(f"/asset-versions/{version.pk}/delete/").status_code == 302
    assert client.post(f"/asset-versions/{version.pk}/delete/").status_code == 302
    assert api_as(people.epg).delete(f"/api/v1/asset-versions/{version.pk}/").status_code == 409
    assert AssetVersion.objects.filter(pk=version.pk, state=state).exists()


# --- the deletions that remain are confirmed and recorded -----------------------------------


def test_the_generic_delete_page_confirms_then_records_the_deletion(people, client_as):
    recommendation = RecommendationFactory()
    client = client_as(people.epg)
    url = f"/recommendations/{recommendation.pk}/delete/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete" in confirm.content.decode() and 'method="post"' in confirm.content.decode()
    assert type(recommendation).objects.filter(pk=recommendation.pk).exists()  # GET deletes nothing
    assert client.post(url).status_code == 302
    assert not type(recommendation).objects.filter(pk=recommendation.pk).exists()
    entry = recommendation.history.first()
    assert (entry.history_type, entry.history_user) == ("-", people.epg)


def test_a_bad_archived_filter_in_the_api_is_400(people, api_as):
    api = api_as(people.epg)
    assert api.get("/api/v1/findings/", {"archived": "maybe"}).status_code == 400
    assert api.get("/api/v1/findings/?archived=true&archived=false").status_code == 400
    assert api.get("/api/v1/findings/", {"archived": "false"}).status_code == 200
