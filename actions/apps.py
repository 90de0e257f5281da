from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Improvements and actions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.navigation import NavItem, register

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
