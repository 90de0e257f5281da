"""This app's part of the role table (see opf.core.roles).

Anyone submits lessons and proposals; the process group publishes and
evaluates them and verifies non-compliances (with the auditors); auditors run
the audits assigned to them; a project manager answers the non-compliances
and enters the measurements of their own projects.

Field rights (``opf.core.field_rights``): a project manager answers a
non-compliance while it is open or in correction (corrective action, root
cause, evidence, proposed due date); its title, severity, owner and due date
are the auditors' and the process group's."""

from __future__ import annotations

from opf.core.field_rights import FieldRight
from opf.core.roles import OWN, Grant

_SUBMIT = (Grant("lessons.submit_lesson"), Grant("lessons.submit_improvementproposal"))

GRANTS = {
    "process_group": (
        *_SUBMIT,
        Grant("lessons.publish_lesson"),
        Grant("lessons.evaluate_improvementproposal"),
        Grant("lessons.verify_noncompliance"),
    ),
    "project_manager": (
        *_SUBMIT,
        Grant("lessons.change_noncompliance", OWN),
        Grant("lessons.add_measurement", OWN),
        Grant("lessons.change_measurement", OWN),
    ),
    "executive": _SUBMIT,
    "appraiser": (
        *_SUBMIT,
        Grant("lessons.change_complianceaudit", OWN),
        Grant("lessons.change_audititem", OWN),
        Grant("lessons.verify_noncompliance"),
    ),
    "member": _SUBMIT,
}

NON_COMPLIANCE_ANSWER = (
    "corrective_action",
    "root_cause_category",
    "five_whys",
    "evidence",
    "proposed_due_date",
)

FIELD_RIGHTS = {
    "project_manager": (
        FieldRight(
            "lessons.noncompliance",
            fields=NON_COMPLIANCE_ANSWER,
            states=("open", "in_correction"),
        ),
    ),
}
