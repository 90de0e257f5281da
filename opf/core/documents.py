"""Printable documents (PDF): what kinds exist and what goes in them.

A lifecycle app adds kinds in ``<app>.documents`` as ``KINDS`` (e.g. a process
action plan, an appraisal findings report) and sections of the organization's
process improvement plan as ``PLAN_SECTIONS``. Rendering happens in a task
(``opf.documents.services``); templates extend ``documents/base.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opf.core.registry import app_modules


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    label: Promise | str
    template: str
    context: Callable[[Any], dict[str, Any]]  # subject (or None) -> template context
    subject_model: type[Model] | None = None  # None: the document is about the whole program

    def title(self, subject: Any) -> str:
        return f"{self.label} – {subject}" if subject is not None else str(self.label)


@dataclass(frozen=True)
class PlanSection:
    """A chapter of the process improvement plan, contributed by a lifecycle app."""

    order: int
    title: Promise | str
    template: str
    context: Callable[[], dict[str, Any]]


def plan_sections() -> list[PlanSection]:
    sections = [
        s for module in app_modules("documents") for s in getattr(module, "PLAN_SECTIONS", ())
    ]
    return sorted(sections, key=lambda s: s.order)


def improvement_plan_context(_subject: Any) -> dict[str, Any]:
    from django.db.models import Count, Q

    from opf.organization.models import OrgUnit, Project
    from opf.reference.models import ReferenceModel

    units = (
        OrgUnit.objects.filter(active=True)
        .annotate(active_projects=Count("projects", filter=Q(projects__active=True)))
        .order_by("path")
    )
    return {
        "units": units,
        "project_count": Project.objects.filter(active=True).count(),
        "models": ReferenceModel.objects.annotate(area_count=Count("process_areas")),
        "sections": [
            {"title": s.title, "template": s.template, **s.context()} for s in plan_sections()
        ],
        "today": timezone.localdate(),
    }


IMPROVEMENT_PLAN = DocumentKind(
    "improvement_plan",
    _("Process improvement plan"),
    "documents/improvement_plan.html",
    improvement_plan_context,
)


def briefing_context(meeting: Any) -> dict[str, Any]:
    """The meeting's frozen dashboard figures, drawn again (same charts as the page)."""
    from opf.core.dashboard import render_panels
    from opf.steering.models import FollowUp

    return {
        "meeting": meeting,
        "panels": render_panels(meeting.briefing_figures or {}),
        "follow_ups": FollowUp.objects.filter(status=FollowUp.Status.OPEN)
        .select_related("owner")
        .order_by("due", "pk"),
    }


def _steering_meeting() -> type[Model]:
    from opf.steering.models import SteeringMeeting

    return SteeringMeeting


@cache
def kinds() -> dict[str, DocumentKind]:
    briefing = DocumentKind(
        "steering_briefing",
        _("Steering committee briefing"),
        "documents/briefing.html",
        briefing_context,
        subject_model=_steering_meeting(),
    )
    found = {IMPROVEMENT_PLAN.slug: IMPROVEMENT_PLAN, briefing.slug: briefing}
    for module in app_modules("documents"):
        for kind in getattr(module, "KINDS", ()):
            found[kind.slug] = kind
    return found
