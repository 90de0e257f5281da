"""Executive engagement: meetings attended, decisions, time to decide, initiatives
sponsored, per executive and for the committee (``opf.steering.engagement``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from opf.core.dashboard import Panel
from opf.steering.engagement import engagement

PANEL = Panel(
    "engagement",
    _lazy("Executive engagement"),
    "opf/dashboard/panels/engagement.html",
    engagement,
    order=62,
    perm="opf.view_steeringmeeting",
)
