"""This app's part of the role table (see opf.core.roles)."""

from __future__ import annotations

from opf.core.roles import OWN, Grant

GRANTS = {
    "process_group": (
        Grant("deployment.release_assetversion"),
        Grant("deployment.publish_standardprocessset"),
        Grant("deployment.verify_projectdeployment"),
        Grant("deployment.approve_tailoringrecord"),
    ),
    "project_manager": (
        Grant("deployment.change_projectdeployment", OWN),
        Grant("deployment.add_tailoringrecord", OWN),
        Grant("deployment.change_tailoringrecord", OWN),
    ),
    "executive": (
        Grant("deployment.approve_assetversion"),
        Grant("deployment.approve_standardprocessset"),
        Grant("deployment.approve_deploymentplan"),
    ),
}
