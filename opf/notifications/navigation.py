"""The reminder settings in the navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem
from opf.core.roles import PROCESS_GROUP
from opf.notifications.models import Notification

ITEMS = [
    NavItem(
        "organization",
        _("Reminder schedules"),
        "opf:reminder_settings",
        "opf.manage_reminders",
        (PROCESS_GROUP,),
    ),
]
NEW: list = []
# The unread count in the top bar (rendered by the server, refreshed by HTMX).
BADGES = {
    "unread": lambda user: Notification.objects.filter(recipient=user, read_at__isnull=True),
}
