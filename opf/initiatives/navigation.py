"""The initiatives in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import EXECUTIVE, PROCESS_GROUP

ITEMS = [
    NavItem(
        "organization",
        _("Initiatives"),
        "opf:initiative_list",
        "opf.view_initiative",
        (PROCESS_GROUP, EXECUTIVE),
    ),
]
NEW = [NewItem(_("Initiative"), "opf:initiative_add", "opf.add_initiative")]
