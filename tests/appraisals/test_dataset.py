"""The benchmark builder of this area (``manage.py build_dataset``)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from appraisals import queries
from appraisals.dataset import FINDINGS_PER_APPRAISAL
from appraisals.models import Appraisal, Characterization, Finding, ProcessNeed, Rating

pytestmark = pytest.mark.django_db


def test_the_builder_makes_appraisals_with_findings_grids_and_ratings():
    call_command("build_dataset", "--scale", "0.05", "--seed", "7", stdout=StringIO())
    from opf.organization.dataset import Dataset

    data = Dataset(scale=0.05, seed=7)
    appraisals = Appraisal.objects.all()
    assert appraisals.count() == data.count(40, 2) == 2
    assert ProcessNeed.objects.count() == data.count(100, 3) == 5
    conducted = appraisals.exclude(state="planned")
    assert Finding.objects.count() == FINDINGS_PER_APPRAISAL * conducted.count()
    assert Characterization.objects.filter(appraisal__in=conducted).count() > 0
    for appraisal in conducted:
        assert appraisal.team.exists() and appraisal.org_units.count() == 1
        for finding in appraisal.findings.all()[:20]:  # generated rows obey the model's rules
            finding.full_clean() if appraisal.conducting else finding.clean_fields()
        rows = queries.findings_by_area(appraisal)
        assert sum(len(findings) for _area, findings in rows) == FINDINGS_PER_APPRAISAL
    closed = Rating.objects.filter(appraisal__state="closed")
    assert not closed.filter(value="").exists()


def test_the_builder_is_deterministic():
    from appraisals.dataset import build_results
    from opf.organization.dataset import Dataset

    call_command("build_dataset", "--scale", "0.05", "--seed", "3", stdout=StringIO())
    appraisals = list(Appraisal.objects.exclude(state="planned"))

    def values(seed: int) -> list[str]:
        Characterization.objects.all().delete()
        Finding.objects.all().delete()
        Rating.objects.all().delete()
        data = Dataset(scale=0.05, seed=seed)
        for appraisal in appraisals:
            appraisal.bench_unit = appraisal.org_units.get()
            appraisal.bench_projects = list(appraisal.projects.order_by("pk"))
            appraisal.bench_areas = list(
                appraisal.process_areas.order_by("maturity_level", "abbreviation")
            )
        practices = {}
        for area in appraisals[0].bench_areas:
            practices[area.pk] = list(area.practices.order_by("order").values_list("pk", flat=True))
        build_results(data, appraisals, practices)
        return list(Characterization.objects.order_by("pk").values_list("value", flat=True))

    first = values(3)
    assert first and values(3) == first
    assert values(4) != first


def test_the_records_are_about_the_process_areas_the_dashboard_shows():
    """Assets and improvements name the built-in model's areas, as an organization's do,
    so the benchmark's institutionalization grid has evidence to find (#24)."""
    from actions.models import Improvement
    from deployment.models import ProcessAsset
    from opf.reference.models import ProcessArea

    call_command("build_dataset", "--scale", "0.05", "--seed", "7", stdout=StringIO())
    shown = set(
        ProcessArea.objects.filter(
            reference_model__builtin=True, maturity_level__in=(2, 3)
        ).values_list("pk", flat=True)
    )
    assert shown
    for model in (ProcessAsset, Improvement):
        linked = set(model.process_areas.through.objects.values_list("processarea_id", flat=True))
        assert linked and linked <= shown, model
        assert not model.objects.filter(process_areas__isnull=True).exists(), model
