"""Audits, lessons and measures in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER

_PG = (PROCESS_GROUP,)
_AUDITORS = (PROCESS_GROUP, APPRAISER)

ITEMS = [
    NavItem(
        "deployment",
        _("Process architecture"),
        "lessons:process_architecture",
        "lessons.view_process",
        (PROCESS_GROUP, EXECUTIVE, PROJECT_MANAGER),
    ),
    NavItem(
        "work",
        _("Lessons to reuse"),
        "lessons:my_project_lessons",
        "lessons.view_lesson",
        (PROJECT_MANAGER,),
    ),
    NavItem(
        "lessons",
        _("Compliance audits"),
        "lessons:complianceaudit_list",
        "lessons.view_complianceaudit",
        _AUDITORS,
    ),
    NavItem(
        "lessons",
        _("Non-compliances"),
        "lessons:noncompliance_list",
        "lessons.view_noncompliance",
    ),
    NavItem(
        "lessons",
        _("Compliance over time"),
        "lessons:compliance",
        "lessons.view_complianceaudit",
        (PROCESS_GROUP, APPRAISER, EXECUTIVE),
    ),
    NavItem("lessons", _("Lessons"), "lessons:lesson_list", "lessons.view_lesson"),
    NavItem(
        "lessons",
        _("Improvement proposals"),
        "lessons:improvementproposal_list",
        "lessons.view_improvementproposal",
    ),
    NavItem("lessons", _("Measures"), "lessons:measure_list", "lessons.view_measure", _PG),
    NavItem(
        "lessons", _("Measurements"), "lessons:measurement_list", "lessons.view_measurement", _PG
    ),
    NavItem(
        "lessons",
        _("Quantitative objectives"),
        "lessons:quantitativeobjective_list",
        "lessons.view_quantitativeobjective",
        _PG,
    ),
    NavItem(
        "lessons",
        _("Effectiveness reviews"),
        "lessons:effectivenessreview_list",
        "lessons.view_effectivenessreview",
        _PG,
    ),
]
NEW = [
    NewItem(_("Lesson learned"), "lessons:lesson_submit", "lessons.submit_lesson"),
    NewItem(
        _("Improvement proposal"),
        "lessons:improvementproposal_submit",
        "lessons.submit_improvementproposal",
    ),
    NewItem(_("Process"), "lessons:process_add", "lessons.add_process"),
    NewItem(_("Hand-off"), "lessons:handoff_add", "lessons.add_handoff"),
    NewItem(_("Compliance audit"), "lessons:complianceaudit_add", "lessons.add_complianceaudit"),
]
