"""Factories of the asset library and deployments."""

from __future__ import annotations

import factory

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from tests.factories import ProjectFactory, UserFactory


class ProcessAssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessAsset
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Asset {n:03d}")
    code = factory.Sequence(lambda n: f"asset-{n}")
    kind = ProcessAsset.Kind.PROCEDURE


class AssetVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssetVersion

    asset = factory.SubFactory(ProcessAssetFactory)
    number = factory.Sequence(lambda n: f"1.{n}")
    change_summary = "First release."
    link = factory.LazyAttribute(lambda v: f"https://pal.example/{v.asset.code}/{v.number}/")


class ReleasedVersionFactory(AssetVersionFactory):
    state = AssetVersion.State.RELEASED


class StandardProcessSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardProcessSet

    name = factory.Sequence(lambda n: f"Standard set {n}")
    baseline = "2026.1"


class DeploymentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeploymentPlan

    name = factory.Sequence(lambda n: f"Rollout {n}")


class ProjectDeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDeployment

    project = factory.SubFactory(ProjectFactory)
    asset_version = factory.SubFactory(ReleasedVersionFactory)


class TailoringRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TailoringRecord

    deployment = factory.SubFactory(ProjectDeploymentFactory)
    what = factory.Sequence(lambda n: f"Tailored step {n}")
    why = "A small team."


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    person = factory.SubFactory(UserFactory)
    asset_version = factory.SubFactory(ReleasedVersionFactory)
