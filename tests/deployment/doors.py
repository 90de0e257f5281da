"""Doors of the deployment pages (see tests/doors.py)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.deployment.factories import (
    AssetVersionFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.doors import EVERYONE, STAFF, Door
from tests.factories import ProjectFactory


def _version_with_file(people) -> int:
    version = ReleasedVersionFactory()
    version.file.save("process.txt", ContentFile(b"the process"), save=True)
    return version.pk


def _draft_version(people) -> int:
    return AssetVersionFactory().pk


def _deployment_of_pm(people) -> int:
    return ProjectDeploymentFactory(project=ProjectFactory(manager=people.pm)).pk


DOORS = [
    Door(
        "deployment:assetversion_file",
        lambda p: f"/asset-versions/{_version_with_file(p)}/file/",
        EVERYONE,
    ),
    Door(
        "POST /api/v1/asset-versions/upload/",
        lambda p: "/api/v1/asset-versions/upload/",
        STAFF,
        "POST",
        data=lambda: {"file": SimpleUploadedFile("process.txt", b"the process")},
        format="multipart",
    ),
    Door(
        "POST /api/v1/asset-versions/{id}/file/",
        lambda p: f"/api/v1/asset-versions/{_draft_version(p)}/file/",
        STAFF,
        "POST",
        data=lambda: {"file": SimpleUploadedFile("process.txt", b"the process")},
        format="multipart",
    ),
    Door(
        "deployment:processasset_compare",
        lambda p: f"/assets/{ReleasedVersionFactory().asset_id}/compare/",
        EVERYONE,
    ),
    Door(
        "deployment:projectdeployment_update",
        lambda p: f"/project-deployments/{_deployment_of_pm(p)}/update/",
        frozenset({"epg", "pm"}),  # the project's own manager, and the process group
        "POST",
        data=lambda: {"notes": "on track"},
    ),
    Door(
        "POST /api/v1/project-deployments/bulk-status/",
        lambda p: "/api/v1/project-deployments/bulk-status/",
        frozenset({"epg", "pm"}),  # the project's own manager, and the process group
        "POST",
        body=lambda p: [{"id": _deployment_of_pm(p), "notes": "on track"}],
    ),
    Door("deployment:my_projects", lambda p: "/my-projects/", EVERYONE),
    Door("deployment:coverage", lambda p: "/coverage/", EVERYONE),
    Door("deployment:attention", lambda p: "/deployment-attention/", EVERYONE),
]
