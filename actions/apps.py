from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Improvements and actions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.core.navigation import NavItem, register

        register(
            "actions",
            NavItem(_("Improvements"), "actions:improvement_list", "actions.view_improvement"),
        )
        register(
            "actions",
            NavItem(
                _("Prioritization criteria"),
                "actions:prioritizationcriterion_list",
                "actions.view_prioritizationcriterion",
            ),
        )
        for label, url_name, perm in (
            (_("Action plans"), "actions:processactionplan_list", "view_processactionplan"),
            (_("Action items"), "actions:actionitem_list", "view_actionitem"),
            (_("Commitments"), "actions:commitment_list", "view_commitment"),
            (_("Plan issues"), "actions:planissue_list", "view_planissue"),
            (_("Plan meetings"), "actions:planmeeting_list", "view_planmeeting"),
            (_("Pilots"), "actions:pilot_list", "view_pilot"),
        ):
            register("actions", NavItem(label, url_name, f"actions.{perm}"))
