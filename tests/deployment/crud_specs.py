"""Generic page and API guarantees (tests/test_crud.py) for this app's models."""

from __future__ import annotations

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from tests.crud import Spec
from tests.deployment.factories import (
    AssetVersionFactory,
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
    StandardProcessSetFactory,
    TailoringRecordFactory,
    TrainingRecordFactory,
)
from tests.factories import ProjectFactory, UserFactory

SPECS = [
    Spec(
        ProcessAsset,
        ProcessAssetFactory,
        "assets",
        "assets",
        valid=lambda: {
            "name": "Peer review procedure",
            "code": "peer-review",
            "kind": "procedure",
            "tags": "verification, reviews",
            "requires_training": False,
        },
        invalid=lambda: {"name": "", "code": "not a slug!", "kind": "procedure"},
        invalid_fields={"name", "code"},
        change={"name": "Renamed asset"},
    ),
    Spec(
        AssetVersion,
        AssetVersionFactory,
        "asset-versions",
        "asset-versions",
        valid=lambda: {
            "asset": ProcessAssetFactory().pk,
            "number": "2.0",
            "change_summary": "Shorter checklist.",
            "link": "https://pal.example/peer-review/2.0/",
        },
        invalid=lambda: {
            "asset": ProcessAssetFactory().pk,
            "number": "2.0",
            "change_summary": "Neither a file nor a link.",
        },
        invalid_fields={"link"},
        change={"change_summary": "Reworded summary."},
        label=lambda v: v.asset.name,
    ),
    Spec(
        StandardProcessSet,
        StandardProcessSetFactory,
        "standard-sets",
        "standard-sets",
        valid=lambda: {
            "name": "Acme set",
            "baseline": "2026.2",
            "asset_versions": [ReleasedVersionFactory().pk],
        },
        invalid=lambda: {"name": "", "baseline": ""},
        invalid_fields={"name", "baseline"},
        change={"description": "Second baseline."},
    ),
    Spec(
        DeploymentPlan,
        DeploymentPlanFactory,
        "deployment-plans",
        "deployment-plans",
        valid=lambda: {
            "name": "Q3 rollout",
            "asset_versions": [ReleasedVersionFactory().pk],
            "target_projects": [ProjectFactory().pk],
            "start_date": "2026-07-01",
            "end_date": "2026-09-30",
        },
        invalid=lambda: {"name": "Backwards", "start_date": "2026-07-01", "end_date": "2026-06-01"},
        invalid_fields={"end_date"},
        change={"name": "Renamed plan"},
    ),
    Spec(
        ProjectDeployment,
        ProjectDeploymentFactory,
        "project-deployments",
        "project-deployments",
        valid=lambda: {
            "project": ProjectFactory().pk,
            "asset_version": ReleasedVersionFactory().pk,
            "notes": "Kick-off next week.",
        },
        invalid=lambda: {"asset_version": ReleasedVersionFactory().pk, "notes": "No project."},
        invalid_fields={"project"},
        change={"notes": "On track."},
        label=lambda d: d.project.name,
    ),
    Spec(
        TailoringRecord,
        TailoringRecordFactory,
        "tailoring-records",
        "tailoring-records",
        valid=lambda: {
            "deployment": ProjectDeploymentFactory().pk,
            "what": "Lighter status reports",
            "why": "Three-person team.",
        },
        invalid=lambda: {"deployment": ProjectDeploymentFactory().pk, "what": "", "why": ""},
        invalid_fields={"what", "why"},
        change={"why": "Customer request."},
        label=lambda t: t.what,
    ),
    Spec(
        TrainingRecord,
        TrainingRecordFactory,
        "training-records",
        "training-records",
        valid=lambda: {
            "person": UserFactory().pk,
            "asset_version": ReleasedVersionFactory().pk,
            "status": "done",
            "completed_on": "2026-02-03",
        },
        invalid=lambda: {
            "person": UserFactory().pk,
            "asset_version": ReleasedVersionFactory().pk,
            "status": "done",
        },
        invalid_fields={"completed_on"},
        change={"notes": "Refresher course."},
        label=lambda t: t.asset_version.asset.name,
    ),
]
