"""Documents of the action plans: one plan as a PDF, and the "Action planning"
and "Pilot planning" chapters of the process improvement plan (GP 2.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import evaluation, queries, services
from actions.models import CostRate, Pilot, PlanTeamMember, ProcessActionPlan
from opf.core.documents import DocumentKind, PlanSection


def action_plan_context(plan: ProcessActionPlan) -> dict[str, Any]:
    return {"plan": plan, **queries.plan_page(plan, timezone.localdate())}


def action_planning() -> dict[str, Any]:
    plans = (
        ProcessActionPlan.objects.exclude(state=ProcessActionPlan.State.CANCELLED)
        .select_related("owner", "sponsor")
        .prefetch_related("improvements", "items")
        .order_by("pk")
    )
    rows = []
    for plan in plans:
        items = list(plan.items.all())
        rows.append({"plan": plan, "progress": services.plan_progress(items), "items": items})
    return {"plans": rows}


def resources() -> dict[str, Any]:
    """GP 2.3 as the plan states it: per open action plan, its people (owner, sponsor,
    team) and its budget (effort planned and spent, in hours and at the cost rate)."""
    rate, currency = CostRate.current(), CostRate.currency_in_use()
    plans = (
        ProcessActionPlan.objects.filter(state__in=ProcessActionPlan.OPEN_STATES)
        .select_related("owner", "sponsor")
        .prefetch_related(
            Prefetch("team", PlanTeamMember.objects.select_related("user").order_by("pk")),
            "items",
        )
        .order_by("pk")
    )
    rows = []
    total_planned = total_spent = Decimal("0")
    for plan in plans:
        items = list(plan.items.all())
        planned = sum((i.planned_effort for i in items), Decimal("0"))
        spent = sum((i.spent_effort for i in items), Decimal("0"))
        total_planned += planned
        total_spent += spent
        rows.append(
            {
                "plan": plan,
                "team": list(plan.team.all()),
                "planned_hours": planned,
                "spent_hours": spent,
                "planned_cost": (planned * rate).quantize(Decimal("1")),
                "spent_cost": (spent * rate).quantize(Decimal("1")),
            }
        )
    return {
        "plans": rows,
        "rate": rate,
        "currency": currency,
        "planned_hours": total_planned,
        "spent_hours": total_spent,
        "planned_cost": (total_planned * rate).quantize(Decimal("1")),
        "spent_cost": (total_spent * rate).quantize(Decimal("1")),
    }


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
        25,
        _("Resources: people and budget"),
        "documents/sections/resources.html",
        resources,
    ),
    PlanSection(
        30, _("Pilot planning"), "documents/action_plan_section_pilots.html", pilot_planning
    ),
]
