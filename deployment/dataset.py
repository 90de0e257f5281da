"""Benchmark data of this app (``manage.py build_dataset``): at scale 1, 40
assets with a superseded and a current release, and a deployment on about
three of every four (active project, asset) cells, in every state."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opf.dataset import Dataset

from .models import AssetVersion, ProcessAsset, ProjectDeployment


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
    now = timezone.now()
    old, current = [], []
    for asset in assets:
        old.append(
            AssetVersion(
                asset=asset,
                number="1",
                change_summary="First release.",
                link="https://pal.example/",
                state=AssetVersion.State.SUPERSEDED,
                released_at=now - timedelta(days=400),
            )
        )
        current.append(
            AssetVersion(
                asset=asset,
                number="2",
                change_summary="Second release.",
                link="https://pal.example/",
                state=AssetVersion.State.RELEASED,
                released_at=now - timedelta(days=100),
            )
        )
    AssetVersion.objects.bulk_create([*old, *current], batch_size=1000)
    states = [s.value for s in ProjectDeployment.State]
    rows = []
    for i, project in enumerate(p for p in data.projects if p.active):
        for j in range(len(assets)):
            roll = data.rng.random()
            if roll < 0.25:
                continue
            rows.append(
                ProjectDeployment(
                    project=project,
                    asset_version=old[j] if roll < 0.35 else current[j],
                    state=states[(i + j) % len(states)],
                )
            )
    created = ProjectDeployment.objects.bulk_create(rows, batch_size=2000)
    # auto_now set every row to now: a fifth of them went quiet long ago (stale).
    quiet = [d.pk for d in created[::5] if d.pk is not None]
    ProjectDeployment.objects.filter(pk__in=quiet).update(updated_at=now - timedelta(days=90))
