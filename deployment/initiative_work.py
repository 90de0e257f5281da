"""What deployment tells steering about initiatives (``opf.core.registry``): which of
them deployed something (``DEPLOYED``): a project deployment in use or verified of an
asset version released from an adopted pilot of one of the initiative's action plans
(the plan belongs to it, or one of the plan's improvements does)."""

from __future__ import annotations

from deployment.models import ProjectDeployment

PLAN = "asset_version__pilot__action_plan"


def deployed(initiatives: set[int]) -> set[int]:
    """The initiatives among ``initiatives`` that deployed something (a fact about the
    organization, read whatever the viewer may see: it only names initiatives)."""
    if not initiatives:
        return set()
    done = ProjectDeployment.objects.filter(state__in=ProjectDeployment.DONE_STATES)
    found = set(
        done.filter(**{f"{PLAN}__initiative__in": initiatives}).values_list(
            f"{PLAN}__initiative", flat=True
        )
    )
    found |= set(
        done.filter(**{f"{PLAN}__improvements__initiative__in": initiatives}).values_list(
            f"{PLAN}__improvements__initiative", flat=True
        )
    )
    return found & initiatives


DEPLOYED = deployed
