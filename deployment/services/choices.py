"""What may be chosen where in the asset library and deployments: the versions a
baseline or a plan may hold (released ones only), the baselines a plan may deploy,
the versions a deployment may be placed on, and who may place or move a
deployment (the process group). Forms offer these, serializers accept only these,
and the writes in ``deployment.services`` check them again when a step runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from deployment.models import AssetVersion, ProjectDeployment, StandardProcessSet
from opf.core.permissions import can

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


def deployable_versions() -> QuerySet[AssetVersion]:
    """The versions a baseline or a deployment plan may hold: released ones only.

    Forms offer these, the API accepts only these (``check_deployable``), and
    approving a baseline or a plan checks its versions again (one may have been
    superseded since)."""
    return AssetVersion.objects.filter(state=AssetVersion.State.RELEASED).select_related("asset")


def not_deployable(versions: Iterable[AssetVersion]) -> list[AssetVersion]:
    """Those of ``versions`` that ``deployable_versions`` leaves out, as stored now."""
    chosen = list(versions)
    ok = set(
        deployable_versions().filter(pk__in=[v.pk for v in chosen]).values_list("pk", flat=True)
    )
    return [v for v in chosen if v.pk not in ok]


def check_deployable(versions: Iterable[AssetVersion]) -> list[AssetVersion]:
    """The versions chosen for a baseline or a plan, or a ``ValidationError`` (the
    field's message) naming those not released."""
    chosen = list(versions)
    bad = not_deployable(chosen)
    if bad:
        raise ValidationError(
            _("Only released versions; not released: %(list)s.")
            % {"list": ", ".join(str(v) for v in bad)}
        )
    return chosen


def deployable_sets() -> QuerySet[StandardProcessSet]:
    """The baselines a deployment plan may deploy: approved or published ones."""
    return StandardProcessSet.objects.filter(
        state__in=[StandardProcessSet.State.APPROVED, StandardProcessSet.State.PUBLISHED]
    )


def placeable_versions() -> QuerySet[AssetVersion]:
    """The versions a project deployment may be placed on: released ones, and those
    superseded since (projects still on them)."""
    return AssetVersion.objects.filter(
        state__in=[AssetVersion.State.RELEASED, AssetVersion.State.SUPERSEDED]
    ).select_related("asset")


PLACEMENT_FIELDS = ("project", "asset_version", "plan")


def may_place_deployments(user: User | AnonymousUser) -> bool:
    """Only the process group (who may add deployments) places a deployment or moves
    it to another project, version or plan; a project's manager changes its status
    and notes."""
    return can(user, "add", ProjectDeployment)


def check_placement(
    deployment: ProjectDeployment, values: Mapping[str, Any], *, user: User | AnonymousUser
) -> None:
    """Refuse (``ValidationError`` by field) the ``values`` that would move an existing
    ``deployment`` when ``user`` may not place deployments."""
    if deployment.pk is None or may_place_deployments(user):
        return
    moved = [
        name
        for name in PLACEMENT_FIELDS
        if name in values and values[name] != getattr(deployment, name)
    ]
    if moved:
        raise ValidationError(
            {name: _("Only the process group moves a deployment.") for name in moved}
        )
