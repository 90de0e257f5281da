"""What this area shows on the pages of ``actions`` (see ``opf.core.registry.page_context``):
the asset versions that released an adopted pilot's change, and whether the user may
release one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actions.models import Pilot
from deployment.models import AssetVersion
from opf.core.permissions import can

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


def pilot_releases(user: User | AnonymousUser, context: dict[str, Any]) -> dict[str, Any]:
    """A pilot's page: the versions released from it; may the user release one (adopted)."""
    pilot: Pilot = context["object"]
    return {
        "asset_versions": list(pilot.asset_versions.select_related("asset")),
        "can_release": pilot.decision == Pilot.Decision.ADOPT and can(user, "add", AssetVersion),
    }


CONTEXT = {"actions.pilot_detail": pilot_releases}
