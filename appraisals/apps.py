from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = _("Needs and appraisals")
    default_auto_field = "django.db.models.BigAutoField"
