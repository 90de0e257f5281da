from opf.core.accounts import User
from opf.core.health import Heartbeat
from opf.documents.models import Document
from opf.initiatives.models import Initiative
from opf.notifications.models import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    ReminderSent,
)
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Goal, Practice, ProcessArea, ReferenceModel
from opf.steering.models import (
    Body,
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)
from opf.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Body",
    "CalendarFeed",
    "CommitteeMembership",
    "Decision",
    "Document",
    "FollowUp",
    "Goal",
    "Heartbeat",
    "Initiative",
    "Notification",
    "NotificationPreference",
    "OrgUnit",
    "Practice",
    "ProcessArea",
    "ProgramDocument",
    "Project",
    "ReferenceModel",
    "ReminderSent",
    "SteeringMeeting",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
