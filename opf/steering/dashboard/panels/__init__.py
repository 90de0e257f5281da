"""Steering's dashboard panels: sponsorship, momentum, scope, institutionalization."""

from __future__ import annotations

from opf.steering.dashboard.panels import institutionalization, momentum, scope, sponsorship

PANELS = [
    sponsorship.PANEL,
    momentum.PANEL,
    scope.PANEL,
    institutionalization.PANEL,
]
