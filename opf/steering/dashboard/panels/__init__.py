"""Steering's dashboard panels: headline figures, sponsorship, executive engagement,
initiatives and churn, momentum, scope,
institutionalization; and the "momentum" headline figure."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from opf.core.dashboard import Headline
from opf.steering.dashboard.panels import (
    engagement,
    headline,
    initiatives,
    institutionalization,
    momentum,
    scope,
    sponsorship,
)

PANELS = [
    headline.PANEL,
    sponsorship.PANEL,
    engagement.PANEL,
    initiatives.PANEL,
    momentum.PANEL,
    scope.PANEL,
    institutionalization.PANEL,
]
HEADLINES = [Headline("momentum", _lazy("Momentum"), headline.momentum_figure, order=60)]
