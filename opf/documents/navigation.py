"""The documents' page in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem
from opf.core.roles import EXECUTIVE, PROCESS_GROUP

ITEMS = [
    NavItem(
        "organization",
        _("Documents"),
        "opf:document_list",
        "opf.view_document",
        (PROCESS_GROUP, EXECUTIVE),
    ),
]
NEW: list = []
