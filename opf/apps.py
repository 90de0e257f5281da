from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpfConfig(AppConfig):
    name = "opf"
    verbose_name = _("Program core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from opf.core import freshness, notices, roles, workflow
        from opf.notifications.services import on_told
        from opf.webhooks import services as webhooks

        # New models bring new permissions; keep the role groups' grants current.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="opf.core.roles.sync")
        notices.told.connect(on_told, dispatch_uid="opf.notifications.on_told")
        notices.told.connect(webhooks.on_told, dispatch_uid="opf.webhooks.on_told")
        workflow.transitioned.connect(
            webhooks.on_transition, dispatch_uid="opf.webhooks.on_transition"
        )
        post_migrate.connect(_sync_reminder_schedules, dispatch_uid="opf.core.reminders.sync")
        # Every connection reports the tables written and read (cached figures).
        connection_created.connect(freshness.watch_connection, dispatch_uid="opf.freshness")


def _sync_reminder_schedules(sender: object, **kwargs: object) -> None:
    if getattr(sender, "label", None) == "opf":
        from opf.core.reminders import sync_schedules

        sync_schedules()
