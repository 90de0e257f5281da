"""Documents of the action plans: one plan as a PDF, and the "Action planning"
and "Pilot planning" chapters of the process improvement plan (GP 2.2)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import evaluation, queries, services
from actions.models import Pilot, ProcessActionPlan
from opf.core.documents import DocumentKind, PlanSection


def action_plan_context(plan: ProcessActionPlan) -> dict[str, Any]:
    return {"plan": plan, **queries.plan_page(plan, timezone.localdate())}


def action_planning() -> dict[str, Any]:
    plans = (
        ProcessActionPlan.objects.exclude(state=ProcessActionPlan.State.CANCELLED)
        .select_related("owner", "sponsor")
        .prefetch_related("improvements", "milestones", "items")
        .order_by("pk")
    )
    rows = []
    for plan in plans:
        items = list(plan.items.all())
        rows.append({"plan": plan, "progress": services.plan_progress(items), "items": items})
    return {"plans": rows}


def pilot_planning() -> dict[str, Any]:
    pilots = (
        Pilot.objects.select_related("action_plan")
        .prefetch_related("projects", "criteria")
        .order_by("start", "pk")
    )
    rows = []
    for pilot in pilots:
        criteria, outcome = evaluation.evaluate(pilot.criteria.all())
        rows.append({"pilot": pilot, "criteria": criteria, "outcome": outcome})
    return {"pilots": rows}


KINDS = [
    DocumentKind(
        "process_action_plan",
        _("Process action plan"),
        "documents/action_plan.html",
        action_plan_context,
        subject_model=ProcessActionPlan,
    )
]

PLAN_SECTIONS = [
    PlanSection(
        20, _("Action planning"), "documents/action_plan_section_actions.html", action_planning
    ),
    PlanSection(
        30, _("Pilot planning"), "documents/action_plan_section_pilots.html", pilot_planning
    ),
]
