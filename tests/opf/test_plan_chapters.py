"""The process improvement plan gathers the lifecycle areas' planning (GP 2.2)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from opf.documents.models import Document
from opf.documents.services import document_render
from tests.appraisals.factories import AppraisalFactory
from tests.deployment.factories import DeploymentPlanFactory
from tests.lessons.factories import ComplianceAuditFactory

pytestmark = pytest.mark.django_db


def test_the_plan_has_appraisal_and_deployment_planning_chapters(people):
    AppraisalFactory(
        title="Spring SCAMPI B", planned_start=date(2027, 4, 5), planned_end=date(2027, 4, 9)
    )
    DeploymentPlanFactory(name="Roll out peer reviews")
    document = Document.objects.create(
        kind="improvement_plan", title="Plan", requested_by=people.epg
    )
    assert document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    for expected in (
        "Appraisal planning",
        "Spring SCAMPI B",
        "5 Apr 2027",
        "Deployment planning",
        "Roll out peer reviews",
    ):
        assert expected in text
    assert text.index("Appraisal planning") < text.index("Deployment planning")


def test_the_plan_carries_objectives_resources_schedule_and_measures(people):
    """GP 2.2: the plan states what it is for, who and what it takes (people and
    budget at the cost rate), when, and how its effect is judged."""
    from actions.models import CostRate
    from opf.steering.documents import improvement_plan_context
    from tests.actions.factories import (
        ActionItemFactory,
        MilestoneFactory,
        PlanTeamMemberFactory,
        ProcessActionPlanFactory,
    )
    from tests.appraisals.factories import ProcessNeedFactory
    from tests.factories import UserFactory
    from tests.lessons.factories import QuantitativeObjectiveFactory
    from tests.opf.steering_factories import CommitteeMembershipFactory

    CostRate.objects.create(name="Blended", hourly_rate=100, currency="EUR")
    ProcessNeedFactory(
        statement="Cut schedule slip to 10%", measure="Schedule slip", target=10, unit="%"
    )
    ProcessNeedFactory(statement="A policy, not an objective", kind="policy")
    plan = ProcessActionPlanFactory(title="Estimation plan", owner=people.epg)
    PlanTeamMemberFactory(plan=plan, user=UserFactory(first_name="Tia", last_name="Lund"))
    ActionItemFactory(plan=plan, planned_effort=30, spent_effort=12)
    ActionItemFactory(plan=plan, planned_effort=10, spent_effort=0)
    today = timezone.localdate()
    drafted = today + timedelta(days=50)
    spring = today + timedelta(days=110)
    MilestoneFactory(plan=plan, title="Guideline drafted", due=drafted)
    AppraisalFactory(
        title="Spring SCAMPI B", planned_start=spring, planned_end=spring + timedelta(days=4)
    )
    # The calendar's other kinds reach the schedule too; past and far-off events do not.
    ComplianceAuditFactory(project__name="Atlas", planned_date=today + timedelta(days=80))
    for title, day in (
        ("Long past", today - timedelta(days=90)),
        ("Far off", today + timedelta(days=500)),
    ):
        AppraisalFactory(title=title, planned_start=day, planned_end=day + timedelta(days=2))
    QuantitativeObjectiveFactory(name="Slip under 10", measure__name="Schedule slip", target=10)
    CommitteeMembershipFactory(user=people.executive, role="chair")

    context = improvement_plan_context(None)
    resources = next(s for s in context["sections"] if s["title"] == "Resources: people and budget")
    row = next(r for r in resources["plans"] if r["plan"] == plan)
    assert (row["planned_hours"], row["spent_hours"]) == (40, 12)
    assert (row["planned_cost"], row["spent_cost"]) == (4000, 1200)
    assert [(e["start"], e["what"]) for e in context["schedule"]] == [
        (drafted, "Milestone: Guideline drafted (Estimation plan)"),
        (today + timedelta(days=80), "Compliance audit: Atlas"),
        (spring, "Appraisal: Spring SCAMPI B"),
    ]
    assert str(context["schedule"][1]["kind"]) == "Compliance audits"

    document = Document.objects.create(
        kind="improvement_plan", title="Plan", requested_by=people.epg
    )
    assert document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    for expected in (
        "Objectives",
        "Cut schedule slip to 10%",
        "Responsibilities",
        str(people.executive),
        "Resources: people and budget",
        "Tia Lund",
        "4000",
        "Schedule",
        f"{drafted.day} {drafted:%b %Y}",
        "Compliance audit: Atlas",
        "The program's measures",
        "Slip under 10",
    ):
        assert expected in text, expected
    assert "A policy, not an objective" not in text
    assert text.index("Objectives") < text.index("Appraisal planning")
