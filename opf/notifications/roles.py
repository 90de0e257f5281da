"""Notifications' part of the role table (``opf.core.roles``)."""

from __future__ import annotations

from opf.core.roles import Grant

GRANTS = {
    # Reminder schedules are the program's; the process group sets them.
    "process_group": (Grant("opf.manage_reminders"),),
}
