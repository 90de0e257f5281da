"""The asset library and the deployments in the global search (``opf.core.search``)."""

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    StandardProcessSet,
    TailoringRecord,
)
from opf.core.search import Searchable

KINDS = [
    Searchable(
        ProcessAsset, text=("name", "tags", "description"), codes=("code",), detail=lambda a: a.code
    ),
    Searchable(
        AssetVersion,
        text=("asset__name", "change_summary"),
        codes=("asset__code",),
        select_related=("asset",),
    ),
    Searchable(StandardProcessSet, text=("name", "baseline", "description")),
    Searchable(DeploymentPlan, text=("name",)),
    Searchable(TailoringRecord, text=("what", "why")),
]
