from .documents import Document
from .notifications import CalendarFeed, Notification, NotificationPreference, ReminderSent
from .org import OrgUnit, Project
from .people import User
from .reference import Goal, Practice, ProcessArea, ReferenceModel
from .system import Heartbeat

__all__ = [
    "CalendarFeed",
    "Document",
    "Goal",
    "Heartbeat",
    "Notification",
    "NotificationPreference",
    "OrgUnit",
    "Practice",
    "ProcessArea",
    "Project",
    "ReferenceModel",
    "ReminderSent",
    "User",
]
