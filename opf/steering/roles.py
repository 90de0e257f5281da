"""Steering's part of the role table (``opf.core.roles``)."""

from __future__ import annotations

from opf.core.roles import OWN, Grant

GRANTS = {
    # The policy and plan are approved by an executive (GP 2.1); the process group drafts
    # and submits them.
    "process_group": (Grant("opf.use_executive_dashboard"),),
    "project_manager": (Grant("opf.change_followup", OWN),),
    "executive": (
        Grant("opf.use_executive_dashboard"),
        Grant("opf.approve_programdocument"),
        # The process group keeps the minutes; executives close their own follow-ups.
        Grant("opf.change_followup", OWN),
    ),
    "member": (Grant("opf.change_followup", OWN),),
}
