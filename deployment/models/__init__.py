"""The process asset library and its deployment to projects (SP 3.1, SP 3.2, GP 2.5).

A ``ProcessAsset`` has ``AssetVersion``s (draft → approved → released →
superseded; a released version never changes). A ``StandardProcessSet`` is a
versioned baseline of released versions (``library``). A ``DeploymentPlan``,
once approved, becomes one ``ProjectDeployment`` per target project and asset
version, which the project's manager moves through its states;
``TailoringRecord``s and ``TrainingRecord``s hang off deployments and versions
(``rollout``). Migrations name ``LockableMixin``, ``MaxUploadSize`` and
``asset_upload_to`` here.
"""

from deployment.models.library import (
    ALLOWED_EXTENSIONS,
    DEFAULT_MAX_UPLOAD_BYTES,
    AssetVersion,
    MaxUploadSize,
    ProcessAsset,
    StandardProcessSet,
    asset_upload_to,
    max_upload_bytes,
)
from deployment.models.rollout import (
    CoverageWrite,
    DeploymentPlan,
    ProjectCoverage,
    ProjectDeployment,
    TailoringRecord,
    TrainingRecord,
    UnitCoverageCount,
)
from opf.core.versioning import LockableMixin

__all__ = [
    "ALLOWED_EXTENSIONS",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "AssetVersion",
    "CoverageWrite",
    "DeploymentPlan",
    "LockableMixin",
    "MaxUploadSize",
    "ProcessAsset",
    "ProjectCoverage",
    "ProjectDeployment",
    "StandardProcessSet",
    "TailoringRecord",
    "TrainingRecord",
    "UnitCoverageCount",
    "asset_upload_to",
    "max_upload_bytes",
]
