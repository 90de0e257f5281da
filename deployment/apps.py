from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "deployment"
    verbose_name = _("Assets and deployments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.core.navigation import NavItem, register

        items = [
            (_("My projects"), "deployment:my_projects", "deployment.change_projectdeployment"),
            (_("Asset library"), "deployment:processasset_list", "deployment.view_processasset"),
            (_("Asset versions"), "deployment:assetversion_list", "deployment.view_assetversion"),
            (
                _("Standard process sets"),
                "deployment:standardprocessset_list",
                "deployment.view_standardprocessset",
            ),
            (
                _("Deployment plans"),
                "deployment:deploymentplan_list",
                "deployment.view_deploymentplan",
            ),
            (
                _("Project deployments"),
                "deployment:projectdeployment_list",
                "deployment.view_projectdeployment",
            ),
            (_("Coverage"), "deployment:coverage", "deployment.view_projectdeployment"),
            (
                _("Needs attention"),
                "deployment:attention",
                "deployment.view_projectdeployment",
            ),
            (
                _("Tailoring records"),
                "deployment:tailoringrecord_list",
                "deployment.view_tailoringrecord",
            ),
            (
                _("Training records"),
                "deployment:trainingrecord_list",
                "deployment.view_trainingrecord",
            ),
        ]
        for label, url_name, perm in items:
            register("deployment", NavItem(label, url_name, perm))
