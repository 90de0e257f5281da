from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Audits and lessons")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.core.navigation import NavItem, register

        for label, url_name, perm in (
            (
                _("Compliance audits"),
                "lessons:complianceaudit_list",
                "lessons.view_complianceaudit",
            ),
            (_("Non-compliances"), "lessons:noncompliance_list", "lessons.view_noncompliance"),
            (_("Compliance over time"), "lessons:compliance", "lessons.view_complianceaudit"),
            (_("Lessons learned"), "lessons:lesson_list", "lessons.view_lesson"),
            (_("Lessons to reuse"), "lessons:my_project_lessons", "lessons.view_lesson"),
            (_("Submit a lesson"), "lessons:lesson_submit", "lessons.submit_lesson"),
            (
                _("Improvement proposals"),
                "lessons:improvementproposal_list",
                "lessons.view_improvementproposal",
            ),
            (
                _("Submit a proposal"),
                "lessons:improvementproposal_submit",
                "lessons.submit_improvementproposal",
            ),
            (_("Measures"), "lessons:measure_list", "lessons.view_measure"),
            (_("Measurements"), "lessons:measurement_list", "lessons.view_measurement"),
            (
                _("Quantitative objectives"),
                "lessons:quantitativeobjective_list",
                "lessons.view_quantitativeobjective",
            ),
            (
                _("Effectiveness reviews"),
                "lessons:effectivenessreview_list",
                "lessons.view_effectivenessreview",
            ),
        ):
            register("lessons", NavItem(label, url_name, perm))
