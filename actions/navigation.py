"""Improvements and action plans in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER

_PG = (PROCESS_GROUP,)
_STEERED = (PROCESS_GROUP, EXECUTIVE)

ITEMS = [
    # Everyone's own open items, on any plan: the list narrowed to what waits for them
    # (the worklist kind "action-items", whose label the list then shows as its title).
    NavItem(
        "work",
        _("Your open action items"),
        "actions:actionitem_list",
        "actions.view_actionitem",
        query="waiting=action-items",
    ),
    NavItem(
        "actions",
        _("Improvements"),
        "actions:improvement_list",
        "actions.view_improvement",
        _STEERED,
    ),
    NavItem(
        "actions",
        _("Prioritization criteria"),
        "actions:prioritizationcriterion_list",
        "actions.view_prioritizationcriterion",
        _PG,
    ),
    NavItem(
        "actions",
        _("Process action plans"),
        "actions:processactionplan_list",
        "actions.view_processactionplan",
        (PROCESS_GROUP, EXECUTIVE, PROJECT_MANAGER),
    ),
    NavItem(
        "actions", _("Action items"), "actions:actionitem_list", "actions.view_actionitem", _PG
    ),
    NavItem("actions", _("Commitments"), "actions:commitment_list", "actions.view_commitment", _PG),
    NavItem("actions", _("Plan issues"), "actions:planissue_list", "actions.view_planissue", _PG),
    NavItem(
        "actions", _("Plan meetings"), "actions:planmeeting_list", "actions.view_planmeeting", _PG
    ),
    NavItem("actions", _("Pilots"), "actions:pilot_list", "actions.view_pilot", _STEERED),
]
NEW = [
    NewItem(_("Improvement"), "actions:improvement_add", "actions.add_improvement"),
    NewItem(
        _("Process action plan"),
        "actions:processactionplan_add",
        "actions.add_processactionplan",
    ),
    NewItem(_("Pilot"), "actions:pilot_add", "actions.add_pilot"),
]
