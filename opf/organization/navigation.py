"""The organization's pages in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER

ITEMS = [
    NavItem(
        "organization",
        _("Projects"),
        "opf:project_list",
        "opf.view_project",
        (PROCESS_GROUP, PROJECT_MANAGER, EXECUTIVE),
    ),
    NavItem(
        "organization", _("Org units"), "opf:orgunit_list", "opf.view_orgunit", (PROCESS_GROUP,)
    ),
    NavItem("organization", _("Users"), "opf:user_list", "opf.view_user", (PROCESS_GROUP,)),
]
NEW = [
    NewItem(_("Project"), "opf:project_add", "opf.add_project"),
    NewItem(_("Org unit"), "opf:orgunit_add", "opf.add_orgunit"),
]
