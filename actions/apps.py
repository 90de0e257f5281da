from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = _("Improvements and actions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from actions.improvement_stays import keep_improvement_stays
        from actions.item_figures import keep_item_figures
        from actions.models.improvements import keep_priorities

        keep_priorities()
        keep_item_figures()
        keep_improvement_stays()
