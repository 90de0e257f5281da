"""This area's chapter of the process improvement plan: deployment planning (GP 2.2)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from deployment.models import DeploymentPlan
from opf.core.documents import PlanSection


def deployment_planning() -> dict[str, Any]:
    plans = (
        DeploymentPlan.objects.exclude(state=DeploymentPlan.State.CANCELLED)
        .select_related("standard_set")
        .prefetch_related("asset_versions__asset", "target_units", "target_projects")
        .order_by("start_date", "pk")
    )
    return {"plans": plans}


PLAN_SECTIONS = [
    PlanSection(
        40, _("Deployment planning"), "documents/sections/deployment.html", deployment_planning
    )
]
