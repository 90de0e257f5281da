"""Process-performance baselines (GP 4.1, #19): one project mix, excluded points with
reasons, frozen figures that never change, revisions, the points after judged against
the frozen limits, capability against an objective, and ``?baseline=`` on the measure's
chart. Worked numbers:

The development projects A and B have monthly means 10, 12, 30, 11, 13, 12, 14
(Jan-Jul 2025; A one below, B one above), and March is excluded ("Tool outage,
March"). Points 10, 12, 11, 13, 12, 14: X̄ = 72 / 6 = 12; moving ranges 2, 1, 2, 1, 2:
mR̄ = 8 / 5 = 1.6; sigma = 1.6 / 1.128 = 1.41844; limits 12 ± 2.66 x 1.6 = 12 ± 4.256,
i.e. 7.744 … 16.256. A maintenance project measured 100 every month is another mix:
never pooled in. Against LSL 9 and USL 13, five of the six points are within (83.3 %).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lessons import baseline_queries
from lessons import process_performance as rule
from lessons.models import (
    BaselineExclusion,
    Measure,
    Measurement,
    ProcessPerformanceBaseline,
)
from lessons.services import baselines as services
from opf.core import spc
from opf.core.errors import TransitionRefused
from opf.core.services import save_object
from opf.organization.models import Project
from tests.factories import OrgUnitFactory, ProjectFactory
from tests.lessons.factories import (
    MeasureFactory,
    MeasurementFactory,
    ProcessPerformanceBaselineFactory,
    QuantitativeObjectiveFactory,
)
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

MEANS = [10, 12, 30, 11, 13, 12, 14]  # Jan … Jul 2025; March is the tool outage
AFTER = [17, 13, 13, 13, 13, 13, 13, 13, 13]  # Aug 2025 … Apr 2026


def month(i: int) -> date:
    """Month ``i`` counted from January 2025."""
    return date(2025 + i // 12, i % 12 + 1, 1)


def measured() -> tuple[Measure, list[Project]]:
    """The worked example's measure, projects and measurements, and its objective."""
    measure = MeasureFactory(name="Review effort", unit="h/KLOC")
    unit = OrgUnitFactory()
    dev_a = ProjectFactory(org_unit=unit, project_type="development", size_class="medium")
    dev_b = ProjectFactory(org_unit=unit, project_type="development", size_class="medium")
    maint = ProjectFactory(org_unit=unit, project_type="maintenance", size_class="medium")
    for i, mean in enumerate(MEANS + AFTER):
        MeasurementFactory(measure=measure, project=dev_a, period=month(i), value=mean - 1)
        MeasurementFactory(measure=measure, project=dev_b, period=month(i), value=mean + 1)
        MeasurementFactory(measure=measure, project=maint, period=month(i), value=100)
    QuantitativeObjectiveFactory(
        name="Review effort within limits",
        measure=measure,
        target=11,
        lower_limit=Decimal(9),
        upper_limit=Decimal(13),
    )
    return measure, [dev_a, dev_b, maint]


@pytest.fixture
def data(people):
    measure, (dev_a, dev_b, maint) = measured()
    unit = dev_a.org_unit
    baseline = save_object(
        ProcessPerformanceBaseline(
            measure=measure,
            name="Development, 2025",
            org_unit=unit,
            project_types=["development"],
            period_start=month(0),
            period_end=month(6),
        ),
        actor=people.epg,
    )
    save_object(
        BaselineExclusion(baseline=baseline, period=month(2), reason="Tool outage, March"),
        actor=people.epg,
    )
    objective = measure.objectives.get()
    return measure, baseline, (dev_a, dev_b, maint), objective


def test_a_baseline_with_an_excluded_point_gives_the_hand_computed_limits(data, people):
    _measure, baseline, _projects, _objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    baseline.refresh_from_db()
    assert baseline.state == "frozen" and baseline.is_locked
    assert [p["value"] for p in baseline.points] == [10, 12, 11, 13, 12, 14]
    assert baseline.centre == pytest.approx(12)
    assert baseline.mr_bar == pytest.approx(1.6)
    assert baseline.sigma == pytest.approx(1.41844, abs=1e-5)
    assert baseline.upper_limit == pytest.approx(16.256)
    assert baseline.lower_limit == pytest.approx(7.744)
    assert (baseline.point_count, baseline.excluded_count) == (6, 1)
    assert baseline.frozen_by == people.epg
    # Each point is the mean of the two development projects: the maintenance one is
    # another mix and is never pooled in.
    assert {p["projects"] for p in baseline.points} == {2}


def test_excluding_one_projects_month_leaves_the_others_in_the_mean(data, people):
    _measure, baseline, (dev_a, _dev_b, _maint), _objective = data
    save_object(
        BaselineExclusion(baseline=baseline, period=month(0), project=dev_a, reason="Re-baselined"),
        actor=people.epg,
    )
    first = baseline_queries.live_points(baseline)[0]
    assert (first.period, first.value, first.projects) == (month(0), 11.0, 1)  # dev B alone


def test_the_capability_share_for_known_data(data, people):
    _measure, baseline, _projects, objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    baseline.refresh_from_db()
    (row,) = baseline_queries.capabilities(baseline)
    assert row.objective == objective
    found = row.capability
    assert (found.within, found.points) == (5, 6)  # 14 is above USL 13
    assert found.share == pytest.approx(5 / 6)
    assert found.cpk is None  # six points: Cpk needs twelve
    assert "at least 12" in found.note


def test_cpk_worked_numbers_both_and_one_limit():
    values = [10, 12, 11, 13, 12, 14] * 2
    sigma = 1.6 / 1.128
    both = rule.capability(values, centre=12, sigma=sigma, lower=9, upper=13)
    assert both is not None
    assert (both.within, both.points) == (10, 12)
    # min(13 - 12, 12 - 9) / (3 x 1.41844) = 1 / 4.25532
    assert both.cpk == pytest.approx(0.235, abs=5e-4)
    lower_only = rule.capability(values, centre=12, sigma=sigma, lower=9, upper=None)
    assert lower_only is not None and lower_only.within == 12
    assert lower_only.cpk == pytest.approx(3 / 4.25532, abs=1e-4)  # 0.705
    assert rule.capability(values, centre=12, sigma=sigma, lower=None, upper=None) is None
    flat = rule.capability([5.0] * 12, centre=5, sigma=0, lower=4, upper=6)
    assert flat is not None and flat.cpk is None and flat.share == 1


def test_the_points_after_are_judged_against_the_frozen_limits(data, people):
    _measure, baseline, _projects, _objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    baseline.refresh_from_db()
    control = baseline_queries.baseline_control(baseline)
    assert control.baseline_count == 6 and control.after_count == 9
    signals = {period: reasons for period, _value, reasons in control.signals}
    beyond, run = str(spc.SIGNAL_LABELS[spc.BEYOND]), str(spc.SIGNAL_LABELS[spc.RUN])
    assert signals[month(7)] == [beyond, run]  # 17 > 16.256, and first of nine above 12
    assert all(signals[month(i)] == [run] for i in range(8, 16))
    assert all(not p.signals for p in control.chart.points[:6])  # the baseline is not judged


def test_spc_judge_uses_the_limits_it_is_given():
    chart = spc.judge([12, 16.3, 7.7, 12], centre=12, mr_bar=1.6)
    assert chart.ucl == pytest.approx(16.256) and chart.lcl == pytest.approx(7.744)
    assert [p.signals for p in chart.points] == [[], ["beyond"], ["beyond"], []]


def test_a_frozen_baseline_never_changes_when_the_data_change(data, people):
    measure, baseline, (dev_a, _dev_b, _maint), _objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    baseline.refresh_from_db()
    before = (baseline.points, baseline.centre, baseline.upper_limit)
    point = Measurement.objects.get(measure=measure, project=dev_a, period=month(0))
    point.value = Decimal(50)
    save_object(point, actor=people.epg)
    baseline.refresh_from_db()
    assert (baseline.points, baseline.centre, baseline.upper_limit) == before
    assert baseline_queries.points_of(baseline)[0].value == 10
    assert baseline_queries.live_points(baseline)[0].value == 30.5  # today's data differ


def test_too_few_points_are_not_frozen(people):
    baseline = ProcessPerformanceBaselineFactory()
    with pytest.raises(TransitionRefused, match="at least 6 points"):
        services.baseline_freeze(baseline, actor=people.epg)
    baseline.refresh_from_db()
    assert baseline.state == "draft" and baseline.centre is None


def test_a_new_revision_keeps_the_history_and_supersedes_when_frozen(data, people):
    _measure, baseline, _projects, _objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    baseline.refresh_from_db()
    revision = services.baseline_revise(baseline, actor=people.epg)
    assert (revision.revision, revision.state, revision.revised_from) == (2, "draft", baseline)
    assert list(revision.exclusions.values_list("reason", flat=True)) == ["Tool outage, March"]
    with pytest.raises(TransitionRefused, match="Revision 2"):
        services.baseline_revise(baseline, actor=people.epg)
    revision.period_end = month(7)  # one month more: seven points
    save_object(revision, actor=people.epg)
    services.baseline_freeze(revision, actor=people.epg)
    baseline.refresh_from_db()
    assert baseline.state == "superseded"
    assert baseline.history.first().history_change_reason == "Superseded by revision 2"
    assert [h.state for h in baseline.history.order_by("history_date")] == [
        "draft",
        "frozen",
        "superseded",
    ]


def test_an_excluded_point_needs_a_reason_and_a_month_in_the_period(data, people, api_as):
    _measure, baseline, _projects, _objective = data
    api = api_as(people.epg)
    answer = api.post(
        "/api/v1/baseline-exclusions/",
        {"baseline": baseline.pk, "period": "2024-05-01", "reason": ""},
        format="json",
    )
    assert answer.status_code == 400
    assert {"reason"} <= set(field_errors(answer))
    answer = api.post(
        "/api/v1/baseline-exclusions/",
        {"baseline": baseline.pk, "period": "2024-05-01", "reason": "Outage"},
        format="json",
    )
    assert answer.status_code == 400
    assert "within the baseline's period" in field_errors(answer)["period"][0]


def test_api_create_freeze_revise_and_judge(data, people, api_as):
    measure, baseline, _projects, objective = data
    api = api_as(people.epg)
    new = {
        "measure": measure.pk,
        "name": "Bad",
        "project_types": ["research"],
        "period_start": "2025-05-01",
        "period_end": "2025-05-01",
    }
    bad = api.post("/api/v1/baselines/", new, format="json")
    assert bad.status_code == 400
    assert set(field_errors(bad)) == {"project_types.0"}
    new.update(project_types=["service"], period_end="2025-02-01")
    bad = api.post("/api/v1/baselines/", new, format="json")
    assert bad.status_code == 400
    assert set(field_errors(bad)) == {"period_end"}
    url = f"/api/v1/baselines/{baseline.pk}/"
    etag = api.get(url)["ETag"]
    stale = api.post(f"{url}freeze/", {}, format="json", HTTP_IF_MATCH='"0-0"')
    assert stale.status_code == 412
    frozen = api.post(f"{url}freeze/", {}, format="json", HTTP_IF_MATCH=etag)
    assert frozen.status_code == 200, frozen.content
    body = frozen.json()
    assert body["state"] == "frozen" and body["centre"] == pytest.approx(12)
    assert body["upper_limit"] == pytest.approx(16.256) and body["excluded_count"] == 1
    assert [p["projects"] for p in body["points"]] == [2] * 6
    assert api.patch(url, {"name": "Changed"}, format="json").status_code == 409
    refused = api.post(
        "/api/v1/baseline-exclusions/",
        {"baseline": baseline.pk, "period": "2025-04-01", "reason": "Late"},
        format="json",
    )
    assert refused.status_code == 409
    judged = api.get(f"{url}judgement/").json()
    assert [p["part"] for p in judged["points"]] == ["baseline"] * 6 + ["after"] * 9
    assert judged["points"][6]["signals"][0] == str(spc.SIGNAL_LABELS[spc.BEYOND])
    assert judged["capability"][0]["objective"] == objective.pk
    assert judged["capability"][0]["share_within"] == pytest.approx(5 / 6)
    assert "one project mix" in judged["rule"]
    revised = api.post(f"{url}revise/", {"reason": "New year"}, format="json")
    assert revised.status_code == 201
    assert revised.json()["revision"] == 2 and revised.json()["state"] == "draft"
    chart = api.get(f"/api/v1/measures/{measure.pk}/control-chart/", {"baseline": baseline.pk})
    assert chart.status_code == 200
    assert chart.json()["centre"] == pytest.approx(12)
    assert chart.json()["upper_limit"] == pytest.approx(16.256)
    draft = revised.json()["id"]
    unknown = api.get(f"/api/v1/measures/{measure.pk}/control-chart/", {"baseline": draft})
    assert unknown.status_code == 400 and "baseline" in field_errors(unknown)


def test_the_measure_page_honours_baseline(data, people, client_as):
    measure, baseline, _projects, _objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    client = client_as(people.member)
    pooled = client.get(measure.get_absolute_url()).content.decode()
    assert 'id="pooled-note"' in pooled and 'id="chart-baseline"' in pooled
    page = client.get(measure.get_absolute_url(), {"baseline": baseline.pk})
    text = page.content.decode()
    assert page.context["baseline_control"].chart.ucl == pytest.approx(16.256)
    assert "Limits frozen in Development, 2025 (rev. 1)" in text
    assert "project types: Development" in text
    assert "2025-08" in text  # the beyond-limit month after the baseline, among the signals
    ignored = client.get(measure.get_absolute_url(), {"baseline": "999999"})
    assert "No such frozen baseline" in ignored.content.decode()
    assert ignored.context["control"].chart is not None


def test_the_baseline_page_states_the_mix_the_rule_and_capability(data, people, client_as):
    _measure, baseline, _projects, _objective = data
    services.baseline_freeze(baseline, actor=people.epg)
    page = client_as(people.executive).get(baseline.get_absolute_url())
    text = page.content.decode()
    assert rule.rule_text() in text.replace("&#x27;", "'")
    assert "one project mix" in rule.rule_text() and "at least 6 points" in rule.rule_text()
    assert "2 in every point." in text
    assert "Tool outage, March" in text
    assert "5 of 6 points (83.3 %)" in text
    assert 'id="new-revision"' not in text  # an executive reads, the process group revises


def test_the_process_group_freezes_and_revises_in_pages(data, people, client_as):
    _measure, baseline, _projects, _objective = data
    client = client_as(people.epg)
    detail = client.get(baseline.get_absolute_url()).content.decode()
    assert 'id="exclude-point"' in detail and "Freeze" in detail
    client.post(f"/baselines/{baseline.pk}/do/freeze/", {"version": baseline.version})
    baseline.refresh_from_db()
    assert baseline.state == "frozen"
    response = client.post(f"/baselines/{baseline.pk}/revise/")
    revision = ProcessPerformanceBaseline.objects.get(revised_from=baseline)
    assert response.url == revision.get_absolute_url()
    assert client.post(f"/baselines/{baseline.pk}/revise/", follow=True).status_code == 200
    assert ProcessPerformanceBaseline.objects.filter(revised_from=baseline).count() == 1


def test_projects_have_a_type_and_size_class_to_group_on(people, api_as):
    ProjectFactory(code="svc-s", project_type="service", size_class="small")
    ProjectFactory(code="dev-l", project_type="development", size_class="large")
    api = api_as(people.member)
    found = api.get("/api/v1/projects/", {"project_type": "service"}).json()["results"]
    assert [p["code"] for p in found] == ["svc-s"]
    assert found[0]["size_class"] == "small"
    assert Project._meta.get_field("size_class").default == "medium"


@pytest.mark.usefixtures("uncached_figures")  # counts every read, the menu's included
def test_the_baseline_page_reads_a_fixed_number_of_queries(data, people, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measure, baseline, (dev_a, _dev_b, _maint), _objective = data
    client = client_as(people.epg)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(baseline.get_absolute_url()).status_code == 200
        return len(captured)

    before = queries()
    for i in (4, 5):
        save_object(
            BaselineExclusion(baseline=baseline, period=month(i), project=dev_a, reason="Audit"),
            actor=people.epg,
        )
    QuantitativeObjectiveFactory(measure=measure, target=12, upper_limit=Decimal(15))
    assert queries() == before
    services.baseline_freeze(baseline, actor=people.epg)
    frozen = queries()
    QuantitativeObjectiveFactory(measure=measure, target=12, lower_limit=Decimal(8))
    assert queries() == frozen
