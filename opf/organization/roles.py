"""The organization's part of the role table (``opf.core.roles``)."""

from __future__ import annotations

from opf.core.roles import OWN, Grant

GRANTS = {
    # A project manager keeps their own projects' phase, dates and status current.
    "project_manager": (Grant("opf.change_project", OWN),),
}
