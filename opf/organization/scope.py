"""The part of the organization a dashboard, a briefing or a report looks at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from opf.core.accounts import User
from opf.core.dashboard import add_months, month_start
from opf.organization.models import OrgUnit, Project


def of_projects(path: str, projects: QuerySet[Project]) -> Q:
    """Rows whose project (reached by ``path``) is one of ``projects``. Every project (an
    unfiltered queryset: someone who sees every project, no org unit chosen) is any
    project at all: ``path`` not empty, which needs no join with the projects."""
    query = projects.query
    if projects.model is Project and not query.has_filters() and not query.is_sliced:
        return Q(**{f"{path}__isnull": False})
    return Q(**{f"{path}__in": projects})


@dataclass(frozen=True)
class DashboardFilter:
    """Who looks, at which part of the organization, over which period (inclusive)."""

    user: User
    org_unit: OrgUnit | None
    start: date
    end: date

    @cached_property
    def units(self) -> QuerySet[OrgUnit]:
        """The org units the user may see, in ``org_unit``'s subtree (all when None)."""
        units = OrgUnit.objects.restrict(self.user, "view")
        if self.org_unit is not None:
            units = units.filter(path__startswith=self.org_unit.path)
        return units

    def projects(self) -> QuerySet[Project]:
        """The projects the user may see, in ``org_unit``'s subtree."""
        projects = Project.objects.restrict(self.user, "view")
        if self.org_unit is not None:
            projects = projects.filter(org_unit__path__startswith=self.org_unit.path)
        return projects

    def unit_q(self, unit_path: str) -> Q:
        """Filter for rows whose org unit (reached by ``unit_path``, e.g. ``"project__org_unit"``)
        is in the subtree; ``Q()`` when no org unit is chosen."""
        if self.org_unit is None:
            return Q()
        return Q(**{f"{unit_path}__path__startswith": self.org_unit.path})

    def months(self) -> list[date]:
        """First days of the months of the period, oldest first."""
        months, current = [], month_start(self.start)
        while current <= self.end:
            months.append(current)
            current = add_months(current, 1)
        return months

    def query(self) -> str:
        """The filter as URL parameters (for links that keep it)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.org_unit is not None:
            params["org_unit"] = str(self.org_unit.pk)
        return urlencode(params)
