"""This area's documents: the appraisal findings report (a PDF per appraisal) and
its chapter of the process improvement plan, appraisal planning (GP 2.2)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from appraisals import queries
from appraisals.models import Appraisal, ProcessNeed
from opf.core.documents import DocumentKind, PlanSection


def appraisal_planning() -> dict[str, Any]:
    appraisals = (
        Appraisal.objects.exclude(state=Appraisal.State.CANCELLED)
        .select_related("reference_model", "sponsor", "lead_appraiser")
        .prefetch_related("org_units", "projects", "process_areas")
        .order_by("planned_start", "pk")
    )
    return {"appraisals": appraisals}


def objectives() -> dict[str, Any]:
    """The plan's objectives: the active business and process-performance objectives,
    by priority, with their measure and target."""
    kinds = (ProcessNeed.Kind.BUSINESS_OBJECTIVE, ProcessNeed.Kind.PERFORMANCE_OBJECTIVE)
    needs = (
        ProcessNeed.objects.filter(state=ProcessNeed.State.ACTIVE, kind__in=kinds)
        .select_related("owner")
        .order_by("priority", "pk")
    )
    return {"objectives": needs}


PLAN_SECTIONS = [
    PlanSection(5, _("Objectives"), "documents/sections/objectives.html", objectives),
    PlanSection(
        10, _("Appraisal planning"), "documents/sections/appraisals.html", appraisal_planning
    ),
]


def findings_report(appraisal: Appraisal) -> dict[str, Any]:
    return queries.report(appraisal)


def disclosure_statement(appraisal: Appraisal) -> dict[str, Any]:
    return queries.disclosure(appraisal)


KINDS = [
    DocumentKind(
        "appraisal_disclosure",
        _("Appraisal disclosure statement"),
        "documents/appraisal_disclosure.html",
        disclosure_statement,
        subject_model=Appraisal,
    ),
    DocumentKind(
        "appraisal_findings",
        _("Appraisal findings report"),
        "documents/appraisal_findings.html",
        findings_report,
        subject_model=Appraisal,
    ),
]
