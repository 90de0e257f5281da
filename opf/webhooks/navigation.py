"""The webhook endpoints in the process group's navigation (``opf.core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from opf.core.navigation import NavItem, NewItem
from opf.core.roles import PROCESS_GROUP

ITEMS = [
    NavItem(
        "organization",
        _("Webhook endpoints"),
        "opf:webhookendpoint_list",
        "opf.view_webhookendpoint",
        (PROCESS_GROUP,),
    ),
]
NEW = [NewItem(_("Webhook endpoint"), "opf:webhookendpoint_add", "opf.add_webhookendpoint")]
