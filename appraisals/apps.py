from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = _("Needs and appraisals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.core.navigation import NavItem, register

        for label, url_name, perm in (
            (_("Process needs"), "appraisals:processneed_list", "appraisals.view_processneed"),
            (_("Appraisals"), "appraisals:appraisal_list", "appraisals.view_appraisal"),
            (_("Findings"), "appraisals:finding_list", "appraisals.view_finding"),
            (_("Evidence"), "appraisals:evidence_list", "appraisals.view_evidence"),
            (_("Ratings"), "appraisals:rating_list", "appraisals.view_rating"),
            (
                _("Lead appraisers"),
                "appraisals:leadappraiserqualification_list",
                "appraisals.view_leadappraiserqualification",
            ),
            (_("Maturity by org unit"), "appraisals:maturity", "appraisals.view_rating"),
            (
                _("Recommendations"),
                "appraisals:recommendation_list",
                "appraisals.view_recommendation",
            ),
        ):
            register("appraisals", NavItem(label, url_name, perm))
