from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "deployment"
    verbose_name = _("Assets and deployments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from deployment.coverage_counts import keep_coverage_counts
        from deployment.milestones import keep_milestones

        keep_milestones()
        keep_coverage_counts()
