"""The program's own documents (``opf.core.documents``): the process improvement plan
(whose chapters the features contribute) and the steering committee's briefing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opf.core.calendar import ProgramWindow, program_events, program_kinds
from opf.core.dashboard import add_months, render_panels
from opf.core.documents import DocumentKind, plan_sections
from opf.organization.models import OrgUnit, Project
from opf.reference.models import ReferenceModel
from opf.steering.models import CommitteeMembership, FollowUp, SteeringMeeting

SCHEDULE_MONTHS = 12  # how far ahead the plan's schedule looks


def plan_schedule(today: date) -> list[dict[str, Any]]:
    """The plan's schedule (GP 2.2): the program calendar's events from today to
    ``SCHEDULE_MONTHS`` ahead (appraisals, audits, pilots, milestones, deployment
    windows, steering meetings, approvals due), whatever chapter they belong to."""
    kinds = program_kinds()
    window = ProgramWindow(start=today, end=add_months(today, SCHEDULE_MONTHS))
    return [
        {
            "start": event.start,
            "end": event.end if event.multi_day else None,
            "what": event.title,
            "kind": kinds[event.kind].label if event.kind in kinds else event.kind,
        }
        for event in program_events(window)
    ]


def improvement_plan_context(_subject: Any) -> dict[str, Any]:
    """The plan's own chapters (purpose, organization, people, schedule) around those
    the features contribute; the schedule is the program calendar's (``plan_schedule``)."""
    sections = [{"title": s.title, "template": s.template, **s.context()} for s in plan_sections()]
    today = timezone.localdate()
    schedule = plan_schedule(today)
    members = [
        m
        for m in CommitteeMembership.objects.select_related("user").order_by("body", "role", "pk")
        if m.start <= today and (m.end is None or m.end >= today)
    ]
    units = (
        OrgUnit.objects.filter(active=True)
        .annotate(active_projects=Count("projects", filter=Q(projects__active=True)))
        .order_by("path")
    )
    return {
        "units": units,
        "project_count": Project.objects.filter(active=True).count(),
        "models": ReferenceModel.objects.annotate(area_count=Count("process_areas")),
        "sections": sections,
        "schedule": schedule,
        "members": members,
        "today": today,
    }


IMPROVEMENT_PLAN = DocumentKind(
    "improvement_plan",
    _("Process improvement plan"),
    "documents/improvement_plan.html",
    improvement_plan_context,
)


def briefing_context(meeting: Any) -> dict[str, Any]:
    """The meeting's frozen dashboard figures, drawn again (same charts as the page)."""
    return {
        "meeting": meeting,
        "panels": render_panels(meeting.briefing_figures or {}),
        "follow_ups": FollowUp.objects.filter(status=FollowUp.Status.OPEN)
        .select_related("owner")
        .order_by("due", "pk"),
    }


BRIEFING = DocumentKind(
    "steering_briefing",
    _("Steering committee briefing"),
    "documents/briefing.html",
    briefing_context,
    subject_model=SteeringMeeting,
)

KINDS = [IMPROVEMENT_PLAN, BRIEFING]
