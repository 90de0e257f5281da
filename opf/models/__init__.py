from .org import OrgUnit, Project
from .people import User
from .system import Heartbeat
from .reference import Goal, Practice, ProcessArea, ReferenceModel

__all__ = ["Goal", "Heartbeat", "OrgUnit", "Practice", "ProcessArea", "Project", "ReferenceModel", "User"]
