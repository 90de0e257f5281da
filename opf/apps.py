from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpfConfig(AppConfig):
    name = "opf"
    verbose_name = _("Program core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.core import notices, roles
        from opf.core.navigation import NavItem, register
        from opf.notifications.services import on_told

        register(
            "organization",
            NavItem(_("Executive dashboard"), "opf:dashboard", "opf.use_executive_dashboard"),
        )
        register("organization", NavItem(_("Org units"), "opf:orgunit_list", "opf.view_orgunit"))
        register("organization", NavItem(_("Projects"), "opf:project_list", "opf.view_project"))
        register("organization", NavItem(_("People"), "opf:user_list", "opf.view_user"))
        register("organization", NavItem(_("Documents"), "opf:document_list", "opf.view_document"))
        register(
            "organization",
            NavItem(_("Steering meetings"), "opf:steeringmeeting_list", "opf.view_steeringmeeting"),
        )
        register("organization", NavItem(_("Follow-ups"), "opf:followup_list", "opf.view_followup"))
        register(
            "organization",
            NavItem(
                _("Committees"), "opf:committeemembership_list", "opf.view_committeemembership"
            ),
        )
        register(
            "organization",
            NavItem(_("Policy and plan"), "opf:programdocument_list", "opf.view_programdocument"),
        )
        register(
            "organization",
            NavItem(_("Reminder schedules"), "opf:reminder_settings", "opf.manage_reminders"),
        )
        register(
            "appraisals",
            NavItem(_("Reference models"), "opf:referencemodel_list", "opf.view_referencemodel"),
        )
        register(
            "appraisals",
            NavItem(_("Process areas"), "opf:processarea_list", "opf.view_processarea"),
        )
        register("appraisals", NavItem(_("Practices"), "opf:practice_list", "opf.view_practice"))

        # New models bring new permissions; keep the role groups' grants current.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="opf.core.roles.sync")
        notices.told.connect(on_told, dispatch_uid="opf.notifications.on_told")
        post_migrate.connect(_sync_reminder_schedules, dispatch_uid="opf.core.reminders.sync")


def _sync_reminder_schedules(sender: object, **kwargs: object) -> None:
    if getattr(sender, "label", None) == "opf":
        from opf.core.reminders import sync_schedules

        sync_schedules()
