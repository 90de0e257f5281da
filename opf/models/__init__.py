from opf.core.accounts import User
from opf.core.health import Heartbeat
from opf.models.documents import Document
from opf.models.notifications import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    ReminderSent,
)
from opf.models.org import OrgUnit, Project
from opf.models.reference import Goal, Practice, ProcessArea, ReferenceModel
from opf.steering.models import (
    Body,
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)

__all__ = [
    "Body",
    "CalendarFeed",
    "CommitteeMembership",
    "Decision",
    "Document",
    "FollowUp",
    "Goal",
    "Heartbeat",
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
]
