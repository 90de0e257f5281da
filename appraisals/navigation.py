"""Needs and appraisals in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP

_TEAM = (PROCESS_GROUP, APPRAISER)
_SEEN_BY_EXECUTIVES = (PROCESS_GROUP, APPRAISER, EXECUTIVE)

ITEMS = [
    NavItem(
        "appraisals",
        _("Process needs"),
        "appraisals:processneed_list",
        "appraisals.view_processneed",
        (PROCESS_GROUP,),
    ),
    NavItem(
        "appraisals",
        _("Appraisals"),
        "appraisals:appraisal_list",
        "appraisals.view_appraisal",
        _SEEN_BY_EXECUTIVES,
    ),
    NavItem(
        "appraisals", _("Findings"), "appraisals:finding_list", "appraisals.view_finding", _TEAM
    ),
    NavItem(
        "appraisals", _("Evidence"), "appraisals:evidence_list", "appraisals.view_evidence", _TEAM
    ),
    NavItem("appraisals", _("Ratings"), "appraisals:rating_list", "appraisals.view_rating", _TEAM),
    NavItem(
        "appraisals",
        _("Lead-appraiser qualifications"),
        "appraisals:leadappraiserqualification_list",
        "appraisals.view_leadappraiserqualification",
        (PROCESS_GROUP,),
    ),
    NavItem(
        "appraisals",
        _("Maturity by org unit"),
        "appraisals:maturity",
        "appraisals.view_rating",
        _SEEN_BY_EXECUTIVES,
    ),
    NavItem(
        "appraisals",
        _("Recommendations"),
        "appraisals:recommendation_list",
        "appraisals.view_recommendation",
        _TEAM,
    ),
]
NEW = [
    NewItem(_("Process need"), "appraisals:processneed_add", "appraisals.add_processneed"),
    NewItem(_("Appraisal"), "appraisals:appraisal_add", "appraisals.add_appraisal"),
]
