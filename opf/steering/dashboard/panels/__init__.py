"""Steering's dashboard panels: headline figures, sponsorship, momentum, scope,
institutionalization; and the "momentum" headline figure."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from opf.core.dashboard import Headline
from opf.steering.dashboard.panels import (
    headline,
    institutionalization,
    momentum,
    scope,
    sponsorship,
)

PANELS = [
    headline.PANEL,
    sponsorship.PANEL,
    momentum.PANEL,
    scope.PANEL,
    institutionalization.PANEL,
]
HEADLINES = [Headline("momentum", _lazy("Momentum"), headline.momentum_figure, order=60)]
