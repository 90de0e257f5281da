"""Assets and deployments in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER

_PG = (PROCESS_GROUP,)
_STEERED = (PROCESS_GROUP, EXECUTIVE)
_PROJECTS = (PROCESS_GROUP, PROJECT_MANAGER)

ITEMS = [
    NavItem(
        "work",
        _("My projects"),
        "deployment:my_projects",
        "deployment.change_projectdeployment",
        (PROJECT_MANAGER,),
    ),
    NavItem(
        "deployment",
        _("Process assets"),
        "deployment:processasset_list",
        "deployment.view_processasset",
        (PROCESS_GROUP, PROJECT_MANAGER, EXECUTIVE),
    ),
    NavItem(
        "deployment",
        _("Asset versions"),
        "deployment:assetversion_list",
        "deployment.view_assetversion",
        _STEERED,
    ),
    NavItem(
        "deployment",
        _("Standard process sets"),
        "deployment:standardprocessset_list",
        "deployment.view_standardprocessset",
        _STEERED,
    ),
    NavItem(
        "deployment",
        _("Deployment plans"),
        "deployment:deploymentplan_list",
        "deployment.view_deploymentplan",
        _STEERED,
    ),
    NavItem(
        "deployment",
        _("Project deployments"),
        "deployment:projectdeployment_list",
        "deployment.view_projectdeployment",
        _PROJECTS,
    ),
    NavItem(
        "deployment",
        _("Coverage of the process assets"),
        "deployment:coverage",
        "deployment.view_projectdeployment",
        _STEERED,
    ),
    NavItem(
        "deployment",
        _("Projects that need attention"),
        "deployment:attention",
        "deployment.view_projectdeployment",
        _STEERED,
    ),
    NavItem(
        "deployment",
        _("Tailoring records"),
        "deployment:tailoringrecord_list",
        "deployment.view_tailoringrecord",
        _PROJECTS,
    ),
    NavItem(
        "deployment",
        _("Training records"),
        "deployment:trainingrecord_list",
        "deployment.view_trainingrecord",
        _PROJECTS,
    ),
]
NEW = [
    NewItem(_("Process asset"), "deployment:processasset_add", "deployment.add_processasset"),
    NewItem(_("Deployment plan"), "deployment:deploymentplan_add", "deployment.add_deploymentplan"),
    NewItem(
        _("Tailoring record"), "deployment:tailoringrecord_add", "deployment.add_tailoringrecord"
    ),
]
