from .documents import Document
from .notifications import CalendarFeed, Notification, NotificationPreference, ReminderSent
from .org import OrgUnit, Project
from .people import User
from .reference import Goal, Practice, ProcessArea, ReferenceModel
from .steering import (
    Body,
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)
from .system import Heartbeat

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
