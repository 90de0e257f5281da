"""This app's part of the role table (``opf.core.roles``): executives approve action
plans; everyone records the decision of the reviews they are named on and
updates the action items assigned to them."""

from __future__ import annotations

from opf.core.roles import OWN, Grant

GRANTS = {
    "executive": (
        Grant("actions.approve_processactionplan"),
        Grant("actions.override_pilot"),
    ),
    # Every user holds the member role.
    "member": (
        Grant("actions.decide_planreview", OWN),
        Grant("actions.change_actionitem", OWN),
    ),
}
