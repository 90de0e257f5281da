"""Benchmark data of this app (``manage.py build_dataset``): at scale 1, 40
assets with 150 versions (each asset's last one released, the others
superseded), and a deployment on about five of every six (project, asset)
cells (20,000), in every state. Each project uses at most 40 assets (a window
of the library), so deployments grow with the projects, not with their square:
about 200,000 at scale 10. Each asset is about one process area of the built-in model."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from deployment import coverage_counts
from deployment.milestones import refresh_milestones
from deployment.models import AssetVersion, ProcessAsset, ProjectDeployment
from opf.organization.dataset import Dataset

VERSIONS_AT_SCALE_1 = 150
ASSETS_PER_PROJECT = 40


def versions_of(data: Dataset, assets: int, j: int) -> int:
    """How many versions asset ``j`` of ``assets`` has: 150 at scale 1 spread
    evenly, at least two each (a superseded one and the current release)."""
    total = max(2 * assets, data.count(VERSIONS_AT_SCALE_1))
    return total // assets + (j < total % assets)


def build(data: Dataset) -> None:
    kinds = [k.value for k in ProcessAsset.Kind]
    assets = ProcessAsset.objects.bulk_create(
        ProcessAsset(
            name=f"Asset {i:03d}",
            code=f"asset-{i:03d}",
            kind=kinds[i % len(kinds)],
            tags="bench",
            requires_training=i % 5 == 0,
        )
        for i in range(data.count(40, 2))
    )
    if data.areas:  # each asset about one process area, in turn
        link = ProcessAsset.process_areas.through
        link.objects.bulk_create(
            link(processasset_id=asset.pk, processarea_id=data.areas[j % len(data.areas)])
            for j, asset in enumerate(assets)
        )
    now = timezone.now()
    old: list[AssetVersion] = []
    current: list[AssetVersion] = []
    versions: list[AssetVersion] = []
    for j, asset in enumerate(assets):
        count = versions_of(data, len(assets), j)
        for n in range(1, count + 1):
            version = AssetVersion(
                asset=asset,
                number=str(n),
                change_summary=f"Release {n}.",
                link="https://pal.example/",
                state=AssetVersion.State.RELEASED if n == count else AssetVersion.State.SUPERSEDED,
                released_at=now - timedelta(days=100 + 150 * (count - n)),
            )
            if n == count:
                current.append(version)
            elif n == count - 1:
                old.append(version)  # projects not on the current release are on this one
            versions.append(version)
    AssetVersion.objects.bulk_create(versions, batch_size=1000)
    states = [s.value for s in ProjectDeployment.State]
    rows = []
    for i, project in enumerate(data.projects):
        for k in range(min(len(assets), ASSETS_PER_PROJECT)):
            j = (i * ASSETS_PER_PROJECT + k) % len(assets)
            roll = data.rng.random()
            if roll < 1 / 6:
                continue
            rows.append(
                ProjectDeployment(
                    project=project,
                    asset_version=old[j] if roll < 0.3 else current[j],
                    state=states[(i + j) % len(states)],
                )
            )
    created = ProjectDeployment.objects.bulk_create(rows, batch_size=2000)
    # auto_now set every row to now: a fifth of them went quiet long ago (stale).
    quiet = [d.pk for d in created[::5] if d.pk is not None]
    ProjectDeployment.objects.filter(pk__in=quiet).update(updated_at=now - timedelta(days=90))
    refresh_milestones()  # bulk writes send no signal (none moves: no history is written)
    coverage_counts.forget()


STEPS = [build]
