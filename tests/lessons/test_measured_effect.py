"""The measured effect of deployed improvements: the rule with worked numbers
(``lessons.measured_effect``), the reads (``lessons.effect_queries``), the page and
the API (``GET /api/v1/improvements/{id}/effect/``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from deployment.models import ProjectDeployment
from lessons import effect_queries
from lessons import measured_effect as rule
from lessons.dashboard import build_effective_funnel
from opf.core.dashboard import add_months, month_start
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ImprovementFactory, PilotFactory, ProcessActionPlanFactory
from tests.deployment.factories import ProjectDeploymentFactory, ReleasedVersionFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import (
    EffectivenessReviewFactory,
    MeasureFactory,
    MeasurementFactory,
)

BASELINE = [1.8, 2.0, 1.9, 2.1, 1.9, 2.0]
# X̄ = 11.7 / 6 = 1.95; moving ranges 0.2, 0.1, 0.2, 0.2, 0.1 -> mR̄ = 0.8 / 5 = 0.16;
# limits 1.95 ± 2.66 x 0.16 = 1.95 ± 0.4256.
CENTRE, MR_BAR, UCL, LCL = 1.95, 0.16, 2.3756, 1.5244


def series(values: list[float], start: date = date(2025, 1, 1)) -> list[tuple[date, float]]:
    return [(add_months(start, i), v) for i, v in enumerate(values)]


def judge(after: list[float], *, lower: bool = True, baseline=BASELINE, min_after=8):
    return rule.judge(
        series(baseline),
        series(after, date(2025, 8, 1)),
        lower_is_better=lower,
        min_after=min_after,
    )


# --- the rule --------------------------------------------------------------------------


def test_a_series_with_a_known_shift_is_judged_effective_with_hand_computed_limits():
    result = judge([1.2, 1.3, 1.25, 1.4])
    assert result.centre == pytest.approx(CENTRE)
    assert result.mr_bar == pytest.approx(MR_BAR)
    assert result.ucl == pytest.approx(UCL)
    assert result.lcl == pytest.approx(LCL)
    assert result.verdict == rule.EFFECTIVE
    assert result.better == [0, 1, 2, 3]  # all four below 1.5244
    assert result.worse == []
    assert result.after_mean == pytest.approx(1.2875)
    assert result.change == pytest.approx(1.2875 - 1.95)
    assert "4 points beyond the baseline's limit" in result.reason


def test_a_run_of_eight_on_the_better_side_within_the_limits_is_a_shift():
    inside = [1.9, 1.8, 1.85, 1.9, 1.7, 1.8, 1.9, 1.85]  # below 1.95, above 1.5244
    assert judge(inside[:7]).verdict == rule.NOT_YET_SHOWN  # seven are no run yet
    result = judge(inside)
    assert result.verdict == rule.EFFECTIVE
    assert result.better == list(range(8))
    assert "a run of 8 points" in result.reason


def test_too_few_points_after_and_no_shift_is_not_yet_shown():
    result = judge([1.9, 2.0, 1.85])
    assert result.verdict == rule.NOT_YET_SHOWN
    assert "3 points after the deployment and no shift yet" in result.reason


def test_eight_points_after_without_a_shift_is_not_effective():
    result = judge([1.9, 2.0] * 4)  # alternating sides: no run, none beyond
    assert (result.better, result.worse) == ([], [])
    assert result.verdict == rule.NOT_EFFECTIVE
    assert "8 points after the deployment and no shift" in result.reason
    # The number of points needed is a setting.
    assert judge([1.9, 2.0] * 4, min_after=9).verdict == rule.NOT_YET_SHOWN


def test_a_shift_the_wrong_way_is_not_effective():
    beyond = judge([2.0, 2.6])  # 2.6 > 2.3756 while lower is better
    assert beyond.verdict == rule.NOT_EFFECTIVE
    assert beyond.worse == [1]
    run = judge([2.0, 2.1, 2.05, 2.0, 2.1, 2.2, 2.0, 2.05])  # eight above 1.95
    assert run.verdict == rule.NOT_EFFECTIVE
    assert run.worse == list(range(8))
    # The same points are a shift the right way when higher is better.
    assert judge([2.0, 2.6], lower=False).verdict == rule.EFFECTIVE
    # A shift both ways is not effective.
    assert judge([1.2, 2.6]).verdict == rule.NOT_EFFECTIVE


def test_a_short_baseline_shows_nothing_yet():
    result = judge([1.2] * 10, baseline=BASELINE[:5])
    assert result.verdict == rule.NOT_YET_SHOWN
    assert result.centre is None
    assert "5 points, at least 6" in result.reason


def test_pooled_takes_each_months_mean_over_the_series_with_a_point():
    one = series([1.0, 2.0, 3.0])
    two = series([3.0, 4.0])
    assert rule.pooled([one, two]) == [
        (date(2025, 1, 1), 2.0),
        (date(2025, 2, 1), 3.0),
        (date(2025, 3, 1), 3.0),
    ]


def test_the_rule_text_names_the_settings():
    text = rule.rule_text(months=12, min_after=8)
    assert "12 months before" in text
    assert "8 points after in a row" in text
    assert "8 or more points after" in text


# --- the reads -------------------------------------------------------------------------


def _deploy(improvement, version, project, when: date) -> ProjectDeployment:
    deployment = ProjectDeploymentFactory(
        project=project, asset_version=version, state=ProjectDeployment.State.IN_USE
    )
    moment = timezone.make_aware(datetime.combine(when, time(12)))
    deployment.history.all().update(history_date=moment)
    return deployment


def _improvement(measure):
    improvement = ImprovementFactory(
        benefit_measure=measure, benefit_baseline=Decimal("1.9"), benefit_target=Decimal("1.4")
    )
    plan = ProcessActionPlanFactory()
    plan.improvements.add(improvement)
    version = ReleasedVersionFactory(pilot=PilotFactory(action_plan=plan, decision="adopt"))
    return improvement, version


def _points(measure, project, start: date, values: list[float]) -> None:
    for i, value in enumerate(values):
        MeasurementFactory(
            measure=measure, project=project, period=add_months(start, i), value=value
        )


def deployed_months_ago(months: int) -> tuple[date, date, date]:
    """(in use since: the 15th of the month ``months`` ago, its baseline's first month,
    the first month after)."""
    month = add_months(month_start(timezone.localdate()), -months)
    return month + timedelta(days=14), add_months(month, -6), add_months(month, 1)


@pytest.fixture
def measure(db):
    return MeasureFactory(name="Escaped defects", unit="defects/KLOC", direction="lower")


def test_an_improvement_deployed_with_a_shift_is_effective_across_and_per_project(measure):
    improvement, version = _improvement(measure)
    shifted, flat = ProjectFactory(name="Atlas"), ProjectFactory(name="Borealis")
    since, base_start, after_start = deployed_months_ago(5)
    _deploy(improvement, version, shifted, since)
    _deploy(improvement, version, flat, since)
    _points(measure, shifted, base_start, [*BASELINE, 1.7, 1.2, 1.3, 1.25, 1.2, 1.3])
    _points(measure, flat, base_start, [*BASELINE, 1.9, 1.9, 2.0, 1.95, 2.0, 2.0])
    # The month of the change (index 6: 1.7 and 1.9) is in neither series.
    effect = effect_queries.effect_of(improvement)
    assert effect.first_deployed == since
    assert effect.baseline_start == add_months(month_start(since), -12)
    by_name = {p.name: p.judgement for p in effect.projects}
    assert by_name["Atlas"].verdict == rule.EFFECTIVE
    assert by_name["Atlas"].after == [
        (add_months(after_start, i), v) for i, v in enumerate([1.2, 1.3, 1.25, 1.2, 1.3])
    ]
    assert by_name["Borealis"].verdict == rule.NOT_YET_SHOWN  # 5 points, no shift
    # Across: the same baseline in both (limits as above), after means 1.55, 1.65, 1.6,
    # 1.6, 1.65: all below the centre but above the lower limit, five of them: no run
    # of eight yet, none beyond.
    assert effect.across.centre == pytest.approx(CENTRE)
    assert effect.across.lcl == pytest.approx(LCL)
    assert [v for _p, v in effect.across.after] == pytest.approx([1.55, 1.65, 1.6, 1.6, 1.65])
    assert effect.verdict == rule.NOT_YET_SHOWN
    # The business case: planned 1.9 -> 1.4 (-0.5); measured 1.61 - 1.95 = -0.34: 68 %.
    assert effect.planned_change == pytest.approx(-0.5)
    assert effect.share_of_planned == pytest.approx(68)
    assert effect.target_reached is False


def test_without_a_measure_or_a_deployment_the_effect_is_not_yet_shown(measure):
    bare = ImprovementFactory()
    waiting, _version = _improvement(measure)
    found = effect_queries.effects([bare.pk, waiting.pk])
    assert found[bare.pk].verdict == rule.NOT_YET_SHOWN
    assert "names no benefit measure" in found[bare.pk].explanation
    assert found[waiting.pk].verdict == rule.NOT_YET_SHOWN
    assert "in use in a project yet" in found[waiting.pk].explanation


def test_a_deployment_not_yet_in_use_does_not_count(measure):
    improvement, version = _improvement(measure)
    ProjectDeploymentFactory(asset_version=version, state=ProjectDeployment.State.TRAINING)
    assert effect_queries.effect_of(improvement).first_deployed is None


def _build(measure, projects: int, months: int):
    improvement, version = _improvement(measure)
    since, base_start, _after = deployed_months_ago(months)
    for _ in range(projects):
        project = ProjectFactory()
        _deploy(improvement, version, project, since)
        _points(measure, project, base_start, [*BASELINE, 1.7] + [1.2] * months)
    return improvement


def test_the_query_count_does_not_grow_with_points_or_projects(
    measure, django_assert_max_num_queries
):
    small = [_build(measure, 1, 2).pk]
    big = [_build(measure, 4, 9).pk for _ in range(3)]
    with django_assert_max_num_queries(4):
        assert effect_queries.effects(small)[small[0]].verdict == rule.EFFECTIVE
    with django_assert_max_num_queries(4):
        found = effect_queries.effects(big)
    assert {e.verdict for e in found.values()} == {rule.EFFECTIVE}
    assert all(len(e.projects) == 4 for e in found.values())


# --- the page and the API ----------------------------------------------------------------


def _effective(measure):
    improvement = _build(measure, 2, 3)
    improvement.title = "Calibrated estimation"
    improvement.save()
    return improvement


def test_the_improvement_page_shows_the_verdict_numbers_chart_and_rule(people, client_as, measure):
    improvement = _effective(measure)
    page = client_as(people.member).get(improvement.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="effect-verdict">Effective<' in html
    assert "Effective: 3 points beyond the baseline" in html
    assert 'id="effect-centre">1.950 ' in html
    assert "limits 1.524 to 2.376" in html
    assert "Measured effect: Escaped defects" in html  # the chart's title
    assert 'class="mark"' in html  # the deployment's line
    assert "The mean across projects mixes 2 projects" in html
    assert "How the effect is judged" in html and "12 months before" in html


def test_an_improvement_without_a_case_says_what_is_missing(people, client_as):
    improvement = ImprovementFactory()
    html = client_as(people.member).get(improvement.get_absolute_url()).content.decode()
    assert 'id="effect-verdict">Not yet shown<' in html
    assert "names no benefit measure" in html


def test_the_effect_endpoint_gives_the_verdict_limits_and_series(people, api_as, measure):
    improvement = _effective(measure)
    body = api_as(people.member).get(f"/api/v1/improvements/{improvement.pk}/effect/").json()
    assert body["verdict"] == "effective"
    assert body["lower_is_better"] is True
    assert body["across"]["centre"] == pytest.approx(CENTRE)
    assert body["across"]["upper_limit"] == pytest.approx(UCL)
    assert body["across"]["lower_limit"] == pytest.approx(LCL)
    assert [p["value"] for p in body["across"]["baseline"]] == pytest.approx(BASELINE)
    assert [(p["value"], p["signal"]) for p in body["across"]["after"]] == [(1.2, "better")] * 3
    assert len(body["projects"]) == 2
    assert body["projects"][0]["judgement"]["verdict"] == "effective"
    assert "12 months before" in body["rule"]


def test_the_effect_endpoint_answers_404_for_an_unknown_improvement(people, api_as):
    response = api_as(people.member).get("/api/v1/improvements/999999/effect/")
    assert response.status_code == 404


# --- the funnel --------------------------------------------------------------------------


def test_the_funnel_counts_an_improvement_shown_effective_as_deployed_and_effective(
    people, measure
):
    shown = _effective(measure)
    waiting, _version = _improvement(measure)  # not deployed: nothing shown yet
    assert effect_queries.effects([waiting.pk])[waiting.pk].verdict == rule.NOT_YET_SHOWN
    today = timezone.localdate()
    f = DashboardFilter(people.executive, None, add_months(month_start(today), -11), today)
    stages = {s["stage"]: s for s in build_effective_funnel(f)["stages"]}
    assert list(stages) == [
        "candidate",
        "selected",
        "in_action",
        "implemented",
        "deployed",
        "effective",
    ]
    assert stages["effective"]["label"] == "Deployed and effective"
    assert stages["effective"]["count"] == 1
    assert stages["candidate"]["count"] == 1  # the one not yet shown stays where it is
    assert shown.state == "candidate"


def test_the_effectiveness_review_lists_each_measured_improvements_verdict(
    people, client_as, measure, django_assert_max_num_queries
):
    review = EffectivenessReviewFactory()
    shown = _effective(measure)
    _improvement(measure)  # not deployed: not yet shown
    ImprovementFactory(title="No case")
    client = client_as(people.member)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Measured effect of the improvements" in html
    assert f'{shown.get_absolute_url()}#effect">Calibrated estimation<' in html
    assert html.count(">Effective<") == 1 and html.count(">Not yet shown<") == 1
    assert "No case" not in html
    _build(measure, 3, 6)
    _build(measure, 2, 8)
    with django_assert_max_num_queries(40) as counted:
        client.get(review.get_absolute_url())
    more = len(counted.captured_queries)
    for _ in range(3):
        _build(measure, 3, 9)
    with django_assert_max_num_queries(more):
        client.get(review.get_absolute_url())
