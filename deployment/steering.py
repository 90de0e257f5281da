"""What deployment shows in steering's dashboard panels (see ``opf.core.evidence``).

Evidence of the generic practices, per process area of the asset: released guideline
assets (GP 2.1), asset owners (2.4), done training (2.5), released versions (2.6) and
released standard process assets (3.1); for the program's own areas, the published
standard process set (2.6). Deployment plans are initiatives of the scope panel.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    StandardProcessSet,
    TrainingRecord,
)
from opf.core.evidence import Evidence, Found, Initiative, by_area, found, latest, url
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter


def released_assets(f: DashboardFilter, areas: dict[str, int], kind: str | None = None) -> Evidence:
    """Versions released by the end of the period (of assets of ``kind``), by asset area."""
    rows = restrict(AssetVersion._default_manager.all(), f.user).filter(
        released_at__isnull=False, released_at__date__lte=f.end
    )
    if kind:
        rows = rows.filter(asset__kind=kind)
    pairs = rows.values_list("asset__process_areas", "asset__name", "pk").order_by("pk")
    return by_area(
        pairs, areas, lambda r: str(r[0]), lambda r: url("deployment:assetversion_detail", r[1])
    )


def guidelines(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    return released_assets(f, areas, ProcessAsset.Kind.GUIDELINE)


def owned_assets(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    pairs = (
        restrict(ProcessAsset._default_manager.all(), f.user)
        .filter(owner__isnull=False)
        .values_list("process_areas", "name", "pk")
        .order_by("pk")
    )
    return by_area(
        pairs,
        areas,
        lambda r: str(_("Owner of %(asset)s") % {"asset": r[0]}),
        lambda r: url("deployment:processasset_detail", r[1]),
    )


def training_done(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    pairs = (
        restrict(TrainingRecord._default_manager.all(), f.user)
        .filter(status=TrainingRecord.Status.DONE)
        .values_list("asset_version__asset__process_areas", "asset_version__asset__name", "pk")
        .order_by("pk")
    )
    return by_area(
        pairs,
        areas,
        lambda r: str(_("Training on %(asset)s") % {"asset": r[0]}),
        lambda r: url("deployment:trainingrecord_detail", r[1]),
    )


def released_versions(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    return released_assets(f, areas)


def standard_processes(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    return released_assets(f, areas, ProcessAsset.Kind.STANDARD_PROCESS)


def published_standard_set(f: DashboardFilter) -> Found | None:
    rows = restrict(StandardProcessSet._default_manager.all(), f.user)
    return found(latest(rows.filter(state=StandardProcessSet.State.PUBLISHED)))


EVIDENCE = {
    "2.1": guidelines,
    "2.4": owned_assets,
    "2.5": training_done,
    "2.6": released_versions,
    "3.1": standard_processes,
}
PROGRAM_EVIDENCE = {"2.6": published_standard_set}
INITIATIVES = (
    Initiative(
        DeploymentPlan,
        (DeploymentPlan.State.COMPLETED, DeploymentPlan.State.CANCELLED),
        units=("target_units",),
        projects=("target_projects",),
    ),
)
