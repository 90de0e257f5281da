"""The demo loads this area's data from an empty database; the schema lists it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions import evaluation
from actions.models import Improvement, Pilot
from lessons import baseline_queries, dashboard, effect_queries, measured_effect
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    ProcessPerformanceBaseline,
)
from lessons.queries import control_chart
from opf.core.accounts import User
from opf.core.dashboard import default_period
from opf.organization.scope import DashboardFilter

pytestmark = pytest.mark.django_db


def test_demo_has_audits_ncs_in_every_state_lessons_proposals_and_measures():
    call_command("demo_data", stdout=StringIO())
    completed = ComplianceAudit.objects.filter(state="completed")
    assert completed.count() >= 3 and all(a.score is not None for a in completed)
    # The program's own process is audited (GP 2.9 for OPF), and a tailored process too.
    own = completed.get(project__isnull=True)
    assert list(own.process_areas.values_list("abbreviation", flat=True)) == ["OPF"]
    assert AuditItem.objects.filter(tailoring__state="approved").exclude(checks="").exists()
    assert set(NonCompliance.objects.values_list("state", flat=True)) == set(
        NonCompliance.State.values
    )
    assert any(nc.overdue for nc in NonCompliance.objects.all())
    recurrence = ImprovementProposal.objects.get(source="recurrence")
    assert recurrence.non_compliances.values("project").distinct().count() >= 3
    assert {"accepted", "rejected", "submitted"} <= set(
        ImprovementProposal.objects.values_list("state", flat=True)
    )
    assert all(p.improvement_id for p in ImprovementProposal.objects.filter(state="accepted"))
    assert Lesson.objects.filter(state="published").count() >= 3
    assert Measure.objects.count() == 4
    assert Measurement.objects.values("period").distinct().count() == 24
    signals = [
        control_chart(m).signals
        or any(
            control_chart(m, pr).signals
            for pr in {
                x.project for x in Measurement.objects.filter(measure=m).select_related("project")
            }
        )
        for m in Measure.objects.all()
    ]
    assert any(signals)
    assert EffectivenessReview.objects.get().proposals.exists()
    # The story of the measured effect: one improvement shown effective, one not yet.
    cased = Improvement.objects.filter(benefit_measure__isnull=False).values_list("pk", flat=True)
    verdicts = {e.verdict for e in effect_queries.effects(cased).values()}
    assert {measured_effect.EFFECTIVE, measured_effect.NOT_YET_SHOWN} <= verdicts
    # A frozen baseline of one mix, March left out for a tool outage, and its capability.
    baseline = ProcessPerformanceBaseline.objects.get(state="frozen")
    assert baseline.project_types == ["development"] and baseline.excluded_count == 1
    assert baseline.exclusions.get().reason.startswith("Tool outage, March")
    assert baseline.point_count == 17 and {p["projects"] for p in baseline.points} == {4}
    (row,) = [r for r in baseline_queries.capabilities(baseline) if r.capability]
    assert row.capability.cpk is not None and row.capability.points == 17
    # ... and the one not yet shown had its pilot abandoned on its criteria (#19).
    abandoned = Pilot.objects.get(decision=Pilot.Decision.ABANDON)
    criteria, outcome = evaluation.evaluate(abandoned.criteria.all())
    assert outcome == evaluation.Outcome.NOT_MET
    missed = [r.criterion.measure for r in criteria if r.outcome == evaluation.Outcome.NOT_MET]
    assert missed == ["Requirements with complete trace links"]  # 72 % against >= 90 %
    not_yet = [
        pk
        for pk, e in effect_queries.effects(cased).items()
        if e.verdict == measured_effect.NOT_YET_SHOWN
    ]
    assert abandoned.action_plan.improvements.filter(pk__in=not_yet).exists()
    # The loop's cycle times: the effective improvement took 160 days from its findings
    # to its deployment, its first steps in the period before the dashboard's.
    f = DashboardFilter(
        User.objects.get(username="exec"), None, *default_period(timezone.localdate())
    )
    loop = dashboard.cycle_time_figures(f)
    assert loop["cycle"]["median_days"] == 160
    steps = {(s["from"], s["to"]): s for s in loop["segments"]}
    assert steps[("Finding or proposal", "Selected")]["median_days_before"] == 20
    assert steps[("Selected", "Plan approved")]["median_days_before"] == 30
    # Released on the 10th of the month before it went into use (releases are dated
    # mid-month for the momentum): 28 to 31 days, the rest of the 110 from approval.
    released = steps[("Released", "Deployed")]["median_days"]
    assert 28 <= released <= 31
    assert steps[("Plan approved", "Released")]["median_days"] == 110 - released


def test_schema_lists_the_endpoints_and_their_actions(people, api_as):
    paths = api_as(people.member).get("/api/v1/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/compliance-audits/{id}/start/",
        "/api/v1/compliance-audits/{id}/build-checklist/",
        "/api/v1/audit-items/{id}/record/",
        "/api/v1/non-compliances/{id}/start-correction/",
        "/api/v1/non-compliances/{id}/verify/",
        "/api/v1/lessons/submit/",
        "/api/v1/lessons/{id}/publish/",
        "/api/v1/proposals/{id}/accept/",
        "/api/v1/proposals/{id}/reject/",
        "/api/v1/measurements/import/",
        "/api/v1/effectiveness-reviews/",
        "/api/v1/quantitative-objectives/",
        "/api/v1/trace/{kind}/{object_id}/",
        "/api/v1/baselines/{id}/freeze/",
        "/api/v1/baselines/{id}/revise/",
        "/api/v1/baselines/{id}/judgement/",
        "/api/v1/baseline-exclusions/",
    ):
        assert path in paths, path


def test_benchmark_dataset_adds_audits_ncs_lessons_and_measurements(people, client_as):
    from lessons.dataset import AUDITS_AT_SCALE_1, MEASURED_PROJECTS_AT_SCALE_1, MEASURES, MONTHS
    from opf.organization.dataset import Dataset

    call_command("build_dataset", "--scale", "0.05", stdout=StringIO())
    data = Dataset(scale=0.05, seed=0)
    completed = ComplianceAudit.objects.filter(state="completed")
    assert completed.count() == data.count(AUDITS_AT_SCALE_1, 3)
    judged = completed.filter(items__result__in=["compliant", "non_compliant"]).distinct()
    assert judged.count() > completed.count() // 2  # most audits sampled a deployment
    assert not judged.filter(score__isnull=True).exists()
    assert NonCompliance.objects.filter(item__isnull=False).exists()
    assert Lesson.objects.filter(state="published").exists()
    assert ImprovementProposal.objects.exists()
    assert Measurement.objects.values("period").distinct().count() == MONTHS == 36
    assert Measure.objects.filter(name__startswith="Bench").count() == MEASURES == 20
    assert Measurement.objects.filter(measure__name__startswith="Bench").count() == (
        MEASURES * MONTHS * data.count(MEASURED_PROJECTS_AT_SCALE_1, 2)
    )
    assert client_as(people.epg).get("/audits/compliance/").status_code == 200
