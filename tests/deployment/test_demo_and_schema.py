"""Demo data of this app, and its endpoints in the OpenAPI schema."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from deployment.models import (
    AssetVersion,
    ProcessAsset,
    ProjectDeployment,
)

pytestmark = pytest.mark.django_db


def test_schema_lists_the_endpoints_and_their_actions(people, api_as):
    response = api_as(people.member).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/assets/",
        "/api/v1/asset-versions/{id}/approve/",
        "/api/v1/asset-versions/{id}/release/",
        "/api/v1/standard-sets/{id}/publish/",
        "/api/v1/deployment-plans/{id}/approve/",
        "/api/v1/project-deployments/{id}/use/",
        "/api/v1/tailoring-records/",
        "/api/v1/training-records/",
    ):
        assert path in paths, path
    use = paths["/api/v1/project-deployments/{id}/use/"]["post"]
    assert "412" in use["responses"]
    assert any(p["name"] == "If-Match" for p in use["parameters"])


def test_benchmark_dataset_adds_assets_and_deployments():
    from deployment.queries import coverage
    from opf.core.accounts import User

    call_command("build_dataset", "--scale", "0.05", stdout=StringIO())
    assert ProcessAsset.objects.count() == 2
    assert ProjectDeployment.objects.exists()
    from deployment.dataset import VERSIONS_AT_SCALE_1, versions_of
    from opf.organization.dataset import Dataset

    data = Dataset(scale=0.05, seed=0)
    versions = max(2 * 2, data.count(VERSIONS_AT_SCALE_1))  # 8: 4 for each of the 2 assets
    assert [versions_of(data, 2, j) for j in range(2)] == [versions // 2] * 2
    assert AssetVersion.objects.count() == versions
    assert AssetVersion.objects.filter(state="released").count() == 2  # one per asset
    assert AssetVersion.objects.filter(state="superseded").count() == versions - 2
    assert ProjectDeployment.objects.filter(asset_version__state="superseded").exists()
    matrix = coverage(User.objects.filter(is_superuser=False).first())
    statuses = {cell.status for row in matrix.rows for cell in row.cells}
    assert {"current", "outdated"} <= statuses
