"""The core's dashboard panels (apps add theirs in ``<app>.dashboard.PANELS``)."""

from __future__ import annotations

from opf.steering.dashboard.panels import institutionalization, momentum, scope, sponsorship

CORE_PANELS = [
    sponsorship.PANEL,
    momentum.PANEL,
    scope.PANEL,
    institutionalization.PANEL,
]
