"""The core's dashboard panels (apps add theirs in ``<app>.dashboard.PANELS``)."""

from __future__ import annotations

from . import deployment, funnel, institutionalization, maturity, momentum, scope, sponsorship

CORE_PANELS = [
    maturity.PANEL,
    funnel.PANEL,
    deployment.PANEL,
    sponsorship.PANEL,
    momentum.PANEL,
    scope.PANEL,
    institutionalization.PANEL,
]
