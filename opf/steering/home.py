"""The home page: what waits for the signed-in person (``opf.core.worklist``), what
their role keeps an eye on, and the program at a glance."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opf.core.dashboard import figures_key
from opf.core.freshness import cached
from opf.core.health import Heartbeat
from opf.core.permissions import signed_in_user
from opf.core.worklist import WAITING, worklist
from opf.organization.models import OrgUnit, Project
from opf.reference.models import ReferenceModel
from opf.steering.dashboard.access import FULL, dashboard_filter, scope_of
from opf.steering.dashboard.panels import headline
from opf.steering.models import SteeringMeeting


def headline_figures(request: HttpRequest) -> dict[str, Any] | None:
    """The dashboard's headline figures (default period, whole organization) for those
    who see the whole dashboard: executives and the process group."""
    if scope_of(request.user) != FULL:
        return None
    f, _form = dashboard_filter(request.user, {})
    figures = cached((*figures_key(f), "headline"), lambda: headline.build(f))
    return {"figures": figures, "filter": f}


def program_context(request: HttpRequest) -> dict[str, Any]:
    """The program at a glance: counters, projects by phase, the next meeting."""
    user = request.user
    projects = Project.objects.restrict(user, "view")
    phase_counts = dict(projects.filter(active=True).values_list("phase").annotate(n=Count("pk")))
    return {
        "unit_count": OrgUnit.objects.restrict(user, "view").filter(active=True).count(),
        "project_count": sum(phase_counts.values()),
        "phases": [(label, phase_counts.get(value, 0)) for value, label in Project.Phase.choices],
        "models": ReferenceModel.objects.restrict(user, "view").annotate(
            area_count=Count("process_areas")
        ),
        "my_projects": projects.filter(manager=user, active=True).select_related("org_unit"),
        "heartbeat": Heartbeat.objects.filter(name="worker").first(),
        "dashboard_scope": scope_of(user),
        "headline": headline_figures(request),
        "next_meeting": SteeringMeeting.objects.restrict(user, "view")
        .filter(state=SteeringMeeting.State.PLANNED, scheduled_at__gte=timezone.now())
        .order_by("scheduled_at")
        .first(),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """“Waiting for you” first, then what the user's role watches, then the program."""
    blocks = worklist(signed_in_user(request), timezone.localdate())
    context = {
        "waiting": [block for block in blocks if block.kind.section == WAITING],
        "watching": [block for block in blocks if block.kind.section != WAITING],
        **program_context(request),
    }
    context["waiting_total"] = sum(block.count for block in context["waiting"])
    return render(request, "opf/home.html", context)


@require_GET
def waiting_count(request: HttpRequest) -> HttpResponse:
    """The navigation's badge: how many records wait for the user (HTMX, on load)."""
    blocks = worklist(signed_in_user(request), timezone.localdate())
    total = sum(block.count for block in blocks if block.kind.section == WAITING)
    return render(request, "opf/home.html#waiting_count", {"waiting_total": total})
