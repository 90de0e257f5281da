"""The reference models' pages in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem
from opf.core.roles import APPRAISER, PROCESS_GROUP

_READERS = (PROCESS_GROUP, APPRAISER)

ITEMS = [
    NavItem(
        "appraisals",
        _("Reference models"),
        "opf:referencemodel_list",
        "opf.view_referencemodel",
        _READERS,
    ),
    NavItem(
        "appraisals", _("Process areas"), "opf:processarea_list", "opf.view_processarea", _READERS
    ),
    NavItem("appraisals", _("Practices"), "opf:practice_list", "opf.view_practice", _READERS),
]
NEW: list = []
