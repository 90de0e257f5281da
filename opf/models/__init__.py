from .org import OrgUnit, Project
from .people import User
from .reference import Goal, Practice, ProcessArea, ReferenceModel
from .system import Heartbeat

__all__ = [
    "Goal",
    "Heartbeat",
    "OrgUnit",
    "Practice",
    "ProcessArea",
    "Project",
    "ReferenceModel",
    "User",
]
