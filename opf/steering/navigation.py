"""The steering committee's pages in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import EXECUTIVE, PROCESS_GROUP

_STEERING = (PROCESS_GROUP, EXECUTIVE)

ITEMS = [
    NavItem(
        "work",
        _("Executive dashboard"),
        "opf:dashboard",
        "opf.use_executive_dashboard",
        _STEERING,
    ),
    NavItem(
        "organization",
        _("Steering meetings"),
        "opf:steeringmeeting_list",
        "opf.view_steeringmeeting",
        _STEERING,
    ),
    NavItem(
        "organization",
        _("Program calendar"),
        "opf:program_calendar",
        "opf.use_executive_dashboard",
        _STEERING,
    ),
    NavItem("organization", _("Follow-ups"), "opf:followup_list", "opf.view_followup", _STEERING),
    NavItem(
        "organization",
        _("Program documents"),
        "opf:programdocument_list",
        "opf.view_programdocument",
        _STEERING,
    ),
    NavItem(
        "organization",
        _("Committee memberships"),
        "opf:committeemembership_list",
        "opf.view_committeemembership",
        (PROCESS_GROUP,),
    ),
]
NEW = [
    NewItem(_("Steering meeting"), "opf:steeringmeeting_add", "opf.add_steeringmeeting"),
]
