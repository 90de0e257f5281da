"""The asset library: release rules, immutability, upload limits, comparison."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deployment import services
from deployment.models import AssetVersion, ProjectDeployment, TrainingRecord
from opf.core.errors import TransitionRefused
from tests.deployment.factories import (
    AssetVersionFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def release(version, people):
    services.asset_version_submit(version, actor=people.epg)
    services.asset_version_approve(version, actor=people.executive)
    return services.asset_version_release(version, actor=people.epg)


def test_release_supersedes_the_previous_release(people):
    asset = ProcessAssetFactory()
    v1 = release(AssetVersionFactory(asset=asset, number="1.0"), people)
    v2 = release(AssetVersionFactory(asset=asset, number="2.0"), people)
    v1.refresh_from_db()
    assert (v1.state, v2.state) == ("superseded", "released")
    assert v2.released_at is not None
    assert v1.history.first().history_change_reason == "Superseded by v2.0"
    assert v1.history.first().history_user == people.epg


@pytest.mark.parametrize(
    ("step", "role"),
    [("approve", "epg"), ("approve", "pm"), ("release", "executive"), ("release", "pm")],
)
def test_only_executives_approve_and_the_process_group_releases(step, role, people):
    version = AssetVersionFactory()
    if step == "release":
        services.asset_version_submit(version, actor=people.epg)
        services.asset_version_approve(version, actor=people.executive)
    service = getattr(services, f"asset_version_{step}")
    with pytest.raises(TransitionRefused):
        service(version, actor=people.by_role(role))


def test_a_draft_cannot_skip_approval(people):
    with pytest.raises(TransitionRefused, match="draft"):
        services.asset_version_release(AssetVersionFactory(), actor=people.epg)


def test_released_version_has_no_edit_button_and_refuses_edits_in_pages(people, client_as):
    version = ReleasedVersionFactory(change_summary="Original")
    client = client_as(people.epg)
    page = client.get(version.get_absolute_url()).content.decode()
    assert f"/asset-versions/{version.pk}/edit/" not in page
    assert f"/asset-versions/{version.pk}/delete/" not in page
    assert "can no longer be changed" in page
    response = client.post(
        f"/asset-versions/{version.pk}/edit/",
        {
            "asset": version.asset_id,
            "number": "9",
            "change_summary": "Hacked",
            "link": version.link,
        },
    )
    assert response.status_code == 302
    assert client.post(f"/asset-versions/{version.pk}/delete/").status_code == 302
    version.refresh_from_db()
    assert version.change_summary == "Original"


@pytest.mark.parametrize("state", ["released", "superseded"])
def test_released_version_is_409_on_change_and_delete_in_the_api(state, people, api_as):
    version = AssetVersionFactory(state=state, change_summary="Original")
    api = api_as(people.epg)
    for method, payload in (("patch", {"change_summary": "Hacked"}), ("put", {}), ("delete", None)):
        response = getattr(api, method)(
            f"/api/v1/asset-versions/{version.pk}/", payload, format="json"
        )
        assert response.status_code == 409, (method, response.content)
        assert "can no longer be changed" in response.json()["detail"]
    version.refresh_from_db()
    assert version.change_summary == "Original"


def test_api_approves_and_releases(people, api_as):
    version = AssetVersionFactory()
    services.asset_version_submit(version, actor=people.epg)
    assert (
        api_as(people.epg).post(f"/api/v1/asset-versions/{version.pk}/approve/").status_code == 403
    )
    response = api_as(people.executive).post(f"/api/v1/asset-versions/{version.pk}/approve/")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    response = api_as(people.epg).post(f"/api/v1/asset-versions/{version.pk}/release/")
    assert response.status_code == 200 and response.json()["state"] == "released"


def test_releasing_a_training_asset_opens_training_for_the_people_using_it(people):
    unit = OrgUnitFactory()
    engineer = UserFactory(org_unit=unit)
    bystander = UserFactory()
    project = ProjectFactory(org_unit=unit, manager=people.pm)
    asset = ProcessAssetFactory(requires_training=True)
    ProjectDeploymentFactory(project=project, asset_version=ReleasedVersionFactory(asset=asset))
    v2 = release(AssetVersionFactory(asset=asset, number="2.0"), people)
    trainees = set(
        TrainingRecord.objects.filter(asset_version=v2, status="to_do").values_list(
            "person", flat=True
        )
    )
    assert trainees == {engineer.pk, people.pm.pk}
    assert bystander.pk not in trainees
    assert v2.training_opened == 2
    page = pytest.importorskip("django.test").Client()
    page.force_login(people.epg)
    assert str(engineer) in page.get(v2.get_absolute_url()).content.decode()


# --- uploads ---------------------------------------------------------------------


def upload_form(asset, name: str, content: bytes) -> dict:
    return {
        "asset": asset.pk,
        "number": "3.0",
        "change_summary": "With a file.",
        "file": SimpleUploadedFile(name, content),
    }


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def api_upload(api, asset, name: str, content: bytes):
    """A new version with its file: multipart, on its own operation (the API's other
    bodies are JSON, #22)."""
    return api.post(
        "/api/v1/asset-versions/upload/", upload_form(asset, name, content), format="multipart"
    )


def test_a_version_file_is_uploaded_on_its_own_not_in_the_json_body(
    people, api_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    asset = ProcessAssetFactory()
    api = api_as(people.epg)
    refused = api.post(
        "/api/v1/asset-versions/", upload_form(asset, "p.pdf", PDF), format="multipart"
    )
    assert refused.status_code == 415
    version = AssetVersionFactory(asset=asset)
    replaced = api.post(
        f"/api/v1/asset-versions/{version.pk}/file/",
        {"file": SimpleUploadedFile("p.pdf", PDF)},
        format="multipart",
        headers={"If-Match": f'"{version.pk}-{version.version}"'},
    )
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["file"].endswith(f"/asset-versions/{version.pk}/file/")
    version.refresh_from_db()
    assert version.file.name.endswith("p.pdf")
    assert replaced["ETag"] == f'"{version.pk}-{version.version}"'
    stale = api.post(
        f"/api/v1/asset-versions/{version.pk}/file/",
        {"file": SimpleUploadedFile("q.pdf", PDF), "version": version.version - 1},
        format="multipart",
    )
    assert stale.status_code == 412
    released = ReleasedVersionFactory(asset=asset)
    locked = api.post(
        f"/api/v1/asset-versions/{released.pk}/file/",
        {"file": SimpleUploadedFile("p.pdf", PDF)},
        format="multipart",
    )
    assert locked.status_code == 409
    version.refresh_from_db()
    released.refresh_from_db()
    assert version.file.name.endswith("p.pdf") and released.file.name == ""


def test_upload_a_pdf(people, client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    asset = ProcessAssetFactory()
    response = client_as(people.epg).post("/asset-versions/add/", upload_form(asset, "p.pdf", PDF))
    assert response.status_code == 302
    version = AssetVersion.objects.get(asset=asset)
    assert version.file.name.endswith("p.pdf")
    download = client_as(people.member).get(f"/asset-versions/{version.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert client_as(None).get(f"/asset-versions/{version.pk}/file/").status_code == 302


def test_the_api_links_a_version_file_to_the_signed_in_download(
    people, api_as, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    asset = ProcessAssetFactory()
    created = api_upload(api_as(people.epg), asset, "p.pdf", PDF)
    assert created.status_code == 201, created.json()
    version = AssetVersion.objects.get(asset=asset)
    link = f"http://testserver/asset-versions/{version.pk}/file/"
    assert created.json()["file"] == link
    assert created["ETag"] == f'"{version.pk}-{version.version}"'
    read = api_as(people.member).get(f"/api/v1/asset-versions/{version.pk}/").json()
    assert read["file"] == link and "/media/" not in read["file"]
    download = client_as(people.member).get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    without = AssetVersionFactory(asset=asset, number="4.0")
    assert api_as(people.member).get(f"/api/v1/asset-versions/{without.pk}/").json()["file"] is None


def test_upload_of_a_wrong_type_is_refused_with_a_clear_message(people, client_as, api_as):
    asset = ProcessAssetFactory()
    response = client_as(people.epg).post(
        "/asset-versions/add/", upload_form(asset, "x.exe", b"MZ")
    )
    assert response.status_code == 200
    assert "Upload a file ending in .csv, .docx" in response.context["form"].errors["file"][0]
    api = api_upload(api_as(people.epg), asset, "x.exe", b"MZ")
    assert api.status_code == 400 and "file" in field_errors(api)
    assert not AssetVersion.objects.exists()


def test_upload_too_large_is_refused_with_the_limit(people, client_as, api_as, settings):
    settings.OPF_ASSET_MAX_UPLOAD_BYTES = 1024
    asset = ProcessAssetFactory()
    big = b"x" * 2048
    response = client_as(people.epg).post("/asset-versions/add/", upload_form(asset, "a.pdf", big))
    assert response.status_code == 200
    assert "the limit is 1.0\xa0KB" in response.context["form"].errors["file"][0]
    api = api_upload(api_as(people.epg), asset, "a.pdf", big)
    assert api.status_code == 400 and "limit" in field_errors(api)["file"][0]
    assert not AssetVersion.objects.exists()


# --- comparing and finding ---------------------------------------------------------


def test_compare_lists_the_change_summaries_between_two_versions(people, client_as):
    asset = ProcessAssetFactory()
    versions = [
        AssetVersionFactory(asset=asset, number=n, change_summary=f"Change {n}")
        for n in ("1", "2", "3")
    ]
    client = client_as(people.member)
    page = client.get(
        f"/assets/{asset.pk}/compare/", {"old": versions[0].pk, "new": versions[2].pk}
    ).content.decode()
    assert "Change 2" in page and "Change 3" in page and "Change 1" not in page
    bad = client.get(f"/assets/{asset.pk}/compare/", {"old": "nope", "new": versions[0].pk})
    assert bad.status_code == 400


def test_asset_list_filters_by_kind_tag_and_search(people, client_as):
    ProcessAssetFactory(name="Peer review", kind="procedure", tags="verification")
    ProcessAssetFactory(name="Plan template", kind="template", tags="planning")
    client = client_as(people.member)
    assert "Peer review" not in client.get("/assets/", {"kind": "template"}).content.decode()
    assert "Plan template" in client.get("/assets/", {"tag": "plan"}).content.decode()
    assert "Plan template" not in client.get("/assets/", {"q": "peer"}).content.decode()


def test_deployment_counts_show_on_the_version(people, client_as):
    deployment = ProjectDeploymentFactory()
    page = client_as(people.member).get(deployment.asset_version.get_absolute_url())
    assert page.status_code == 200
    assert ProjectDeployment.objects.count() == 1


def test_new_version_link_prefills_the_asset(people, client_as):
    asset = ProcessAssetFactory()
    client = client_as(people.epg)
    page = client.get(asset.get_absolute_url()).content.decode()
    assert f"/asset-versions/add/?asset={asset.pk}" in page
    form = client.get("/asset-versions/add/", {"asset": asset.pk}).context["form"]
    assert str(form["asset"].value()) == str(asset.pk)
