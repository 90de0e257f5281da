"""The demo loads this area's data from an empty database; the schema lists it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from lessons.models import (
    ComplianceAudit,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
)
from tests.lessons.test_compliance_counts import recounted_changes_nothing

pytestmark = pytest.mark.django_db


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
    assert recounted_changes_nothing()  # the builder counted its audits' items
    assert NonCompliance.objects.filter(item__isnull=False).exists()
    assert Lesson.objects.filter(state="published").exists()
    assert ImprovementProposal.objects.exists()
    assert Measurement.objects.values("period").distinct().count() == MONTHS == 36
    assert Measure.objects.filter(name__startswith="Bench").count() == MEASURES == 20
    assert Measurement.objects.filter(measure__name__startswith="Bench").count() == (
        MEASURES * MONTHS * data.count(MEASURED_PROJECTS_AT_SCALE_1, 2)
    )
    assert client_as(people.epg).get("/audits/compliance/").status_code == 200
