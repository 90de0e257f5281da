from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Audits and lessons")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lessons.compliance_counts import keep_compliance_counts
        from lessons.spent_hours import keep_spent_hours

        keep_compliance_counts()
        keep_spent_hours()
