"""This area's chapters of the process improvement plan (GP 2.2): the program's measures,
with their quantitative objectives (GP 4.1), by which the plan's effect is judged; and
how the program's own process performs (``lessons.process_measures``: the dashboard's
figures over the dashboard's default period, the whole organization)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Improvement
from lessons import process_measures
from lessons.models import Measure
from opf.core import approval_waits
from opf.core.dashboard import default_period
from opf.core.documents import PlanSection


def program_measures() -> dict[str, Any]:
    measures = Measure.objects.prefetch_related("objectives").order_by("name")
    return {"measures": measures}


def program_process() -> dict[str, Any]:
    """The dashboard's measures of the program's own process (cycle times, approval
    waits, severity-weighted compliance) for the whole program, every improvement and
    audit, over the dashboard's default period, against the period of the same length
    before."""
    start, end = default_period(timezone.localdate())
    before_end = start - timedelta(days=1)
    period = process_measures.Period(start, end)
    before = process_measures.Period(before_end - (end - start), before_end)
    compliance = process_measures.weighted_compliance(
        process_measures.audit_counts(None, period, before)
    )
    return {
        "start": start,
        "end": end,
        "compliance": compliance,
        "compliance_rows": [
            (_("This period"), compliance["now"]),
            (_("Period before"), compliance["before"]),
        ],
        **process_measures.loop_figures(Improvement.objects.all(), period, before),
        "approvals": approval_waits.by_kind(
            approval_waits.waits(before.start, end), (start, end), (before.start, before.end)
        ),
    }


PLAN_SECTIONS = [
    PlanSection(
        50, _("The program's measures"), "documents/sections/measures.html", program_measures
    ),
    PlanSection(
        55,
        _("How the program's own process performs"),
        "documents/sections/process.html",
        program_process,
    ),
]
