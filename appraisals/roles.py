"""This app's part of the role table (``opf.core.roles``): appraisers change the
appraisals whose team they are on, and those appraisals' results.

Field rights (``opf.core.field_rights``): the team does not choose its lead
appraiser, its sponsor or its members; the process group does."""

from __future__ import annotations

from opf.core.field_rights import FieldRight
from opf.core.roles import OWN, Grant

_TEAM_RECORDS = (
    "finding",
    "characterization",
    "evidence",
    "recommendation",
    "findingsvalidation",
    "findingfeedback",
)

GRANTS = {
    "appraiser": (
        Grant("appraisals.change_appraisal", OWN),
        Grant("appraisals.change_rating", OWN),
        Grant("appraisals.change_practicecharacterization", OWN),
        Grant("appraisals.change_goalrating", OWN),
        *(
            Grant(f"appraisals.{action}_{model}", OWN)
            for model in _TEAM_RECORDS
            for action in ("add", "change", "delete")
        ),
    ),
}

FIELD_RIGHTS = {
    "appraiser": (
        FieldRight(
            "appraisals.appraisal", exclude=("lead_appraiser", "sponsor", "team", "initiative")
        ),
    ),
}
