"""What deployment announces to integrations besides state changes (``opf.core.events``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.events import EventType

EVENTS = (
    EventType(
        "asset_version.released",
        _("An asset version is released"),
        model="deployment.assetversion",
        transition="release",
    ),
)
