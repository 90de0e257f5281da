from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from opf.core.ui.tables import ObjectTable


class ProcessAssetTable(ObjectTable):
    name = tables.Column(linkify=True)
    current = tables.Column(
        accessor="current_number", verbose_name=_("Current release"), orderable=False, default="—"
    )
    version_count = tables.Column(verbose_name=_("Versions"))

    class Meta(ObjectTable.Meta):
        model = ProcessAsset
        fields = ("name", "code", "kind", "owner", "tags", "current", "version_count")


class AssetVersionTable(ObjectTable):
    display = tables.Column(
        accessor="name", verbose_name=_("Version"), linkify=True, order_by=("asset__name", "pk")
    )
    asset = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = AssetVersion
        fields = ("display", "asset", "number", "state", "released_at", "origin")


class StandardProcessSetTable(ObjectTable):
    name = tables.Column(linkify=True)
    version_count = tables.Column(verbose_name=_("Asset versions"))

    class Meta(ObjectTable.Meta):
        model = StandardProcessSet
        fields = ("name", "baseline", "state", "version_count", "published_at")


class DeploymentPlanTable(ObjectTable):
    name = tables.Column(linkify=True)
    standard_set = tables.Column(linkify=True)
    deployment_count = tables.Column(verbose_name=_("Deployments"))

    class Meta(ObjectTable.Meta):
        model = DeploymentPlan
        fields = ("name", "state", "standard_set", "start_date", "end_date", "deployment_count")


class ProjectDeploymentTable(ObjectTable):
    display = tables.Column(
        accessor="name",
        verbose_name=_("Deployment"),
        linkify=True,
        order_by=("project__name", "asset_version__asset__name"),
    )
    project = tables.Column(linkify=True)
    asset_version = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ProjectDeployment
        fields = ("display", "project", "asset_version", "state", "updated_at")


class TailoringRecordTable(ObjectTable):
    what = tables.Column(linkify=True)
    deployment = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = TailoringRecord
        fields = ("what", "deployment", "state", "decided_by")


class TrainingRecordTable(ObjectTable):
    display = tables.Column(
        accessor="name", verbose_name=_("Record"), linkify=True, order_by=("person__last_name",)
    )
    person = tables.Column(linkify=True)
    asset_version = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = TrainingRecord
        fields = ("display", "person", "asset_version", "status", "completed_on")
