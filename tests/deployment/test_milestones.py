"""An improvement's deployment milestones are stored (``deployment.milestones``, #24) and
stay equal to what the deployments' history says, whatever the change: a deployment
moved along its workflow or saved, a new deployment, a plan's improvements changed, a
version's pilot changed, a pilot deleted, a stale copy of the improvement saved; the
migration fills them by the same rule; the dashboard's cycle times show them at once."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Improvement
from deployment import services
from deployment.dashboard import build_funnel
from deployment.milestones import milestone_expressions, refresh_milestones
from deployment.models import ProjectDeployment
from lessons import dashboard
from opf.core import freshness
from opf.core.dashboard import default_period
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ImprovementFactory, PilotFactory, ProcessActionPlanFactory
from tests.deployment.factories import ProjectDeploymentFactory, ReleasedVersionFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def stored(improvement: Improvement) -> tuple[datetime | None, datetime | None]:
    improvement.refresh_from_db()
    return improvement.first_deployed_at, improvement.first_verified_at


def computed(improvement: Improvement) -> tuple[datetime | None, datetime | None]:
    row = (
        Improvement.objects.filter(pk=improvement.pk)
        .annotate(**{f"_{k}": v for k, v in milestone_expressions().items()})
        .values_list("_first_deployed_at", "_first_verified_at")
        .get()
    )
    return row[0], row[1]


def every_stored(improvement: Improvement) -> dict[str, datetime | None]:
    improvement.refresh_from_db()
    return {name: getattr(improvement, name) for name in Improvement.DERIVED_FIELDS}


def every_computed(improvement: Improvement) -> dict[str, datetime | None]:
    row = (
        Improvement.objects.filter(pk=improvement.pk)
        .annotate(**{f"_{k}": v for k, v in milestone_expressions().items()})
        .values_list(*[f"_{name}" for name in Improvement.DERIVED_FIELDS])
        .get()
    )
    return dict(zip(Improvement.DERIVED_FIELDS, row, strict=True))


def assert_exact() -> None:
    """Every improvement's stored milestones (all of them) are the rule's."""
    for improvement in Improvement.objects.all():
        assert every_stored(improvement) == every_computed(improvement), improvement


def traced(improvement: Improvement | None = None):
    """An improvement → plan → adopted pilot → released version: a deployment of that
    version deploys the improvement."""
    improvement = improvement or ImprovementFactory(state=Improvement.State.IMPLEMENTED)
    plan = ProcessActionPlanFactory()
    plan.improvements.add(improvement)
    version = ReleasedVersionFactory(pilot=PilotFactory(action_plan=plan, decision="adopt"))
    return improvement, plan, version


def step(deployment, name, user):
    return services.deployment_update(deployment, actor=user, transition=name)


def in_use(deployment, people):
    step(deployment, "plan", people.pm)
    step(deployment, "use", people.pm)


def history_date(deployment, state: str) -> datetime:
    return deployment.history.filter(state=state).order_by("history_date")[0].history_date


def test_moving_a_deployment_along_its_workflow_stores_the_first_dates(people):
    improvement, _plan, version = traced()
    first = ProjectDeploymentFactory(
        project=ProjectFactory(manager=people.pm), asset_version=version
    )
    assert stored(improvement) == (None, None)
    step(first, "plan", people.pm)
    assert stored(improvement) == (None, None)  # planning is not in use
    step(first, "use", people.pm)
    used = history_date(first, "in_use")
    assert stored(improvement) == (used, None)
    step(first, "verify", people.epg)
    assert stored(improvement) == (used, history_date(first, "verified"))
    assert_exact()

    # A second project later: the first dates stay, and nothing is written to the
    # improvements (the funnel's figures stay cached).
    second = ProjectDeploymentFactory(
        project=ProjectFactory(manager=people.pm), asset_version=version
    )
    step(second, "plan", people.pm)
    with CaptureQueriesContext(connection) as ctx:
        step(second, "use", people.pm)
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [sql for sql in writes if '"actions_improvement"' in sql]
    assert stored(improvement)[0] == used
    assert_exact()


def test_a_deployment_saved_in_use_or_created_in_use_counts(people):
    improvement, _plan, version = traced()
    created = ProjectDeploymentFactory(asset_version=version, state="in_use")
    assert stored(improvement) == (history_date(created, "in_use"), None)
    created.state = ProjectDeployment.State.VERIFIED
    created.save()
    assert stored(improvement)[1] == history_date(created, "verified")
    assert_exact()


def test_a_deployment_of_an_untraced_version_moves_nothing(people):
    improvement, _plan, _version = traced()
    ProjectDeploymentFactory(state="in_use")  # a version from no pilot
    assert stored(improvement) == (None, None)


def test_changing_a_plans_improvements_moves_their_milestones(people):
    improvement, plan, version = traced()
    deployment = ProjectDeploymentFactory(asset_version=version, state="verified")
    dates = (history_date(deployment, "verified"), history_date(deployment, "verified"))
    assert stored(improvement) == dates
    # An improvement added to the plan later was deployed by the same history.
    later = ImprovementFactory()
    plan.improvements.add(later)
    assert stored(later) == dates
    plan.improvements.remove(later)
    assert stored(later) == (None, None)
    later.action_plans.add(plan)  # from the other side
    assert stored(later) == dates
    plan.improvements.clear()
    assert stored(improvement) == stored(later) == (None, None)
    assert_exact()


def test_a_version_moved_to_another_pilot_or_a_pilot_deleted(people):
    improvement, _plan, version = traced()
    other, _other_plan, other_version = traced()
    deployment = ProjectDeploymentFactory(asset_version=version, state="in_use")
    used = history_date(deployment, "in_use")
    assert (stored(improvement)[0], stored(other)[0]) == (used, None)
    # The version is now the other plan's pilot's.
    version.pilot = other_version.pilot
    version.save()
    assert (stored(improvement)[0], stored(other)[0]) == (None, used)
    assert_exact()
    # That pilot deleted: its versions lose it (SET_NULL), nothing is traced.
    other_version.pilot.delete()
    assert stored(other) == (None, None)
    assert_exact()


def test_a_stale_copy_of_the_improvement_saved_keeps_the_milestones(people):
    improvement, _plan, version = traced()
    copy = Improvement.objects.get(pk=improvement.pk)  # read before the deployment
    deployment = ProjectDeploymentFactory(asset_version=version, state="in_use")
    copy.title = "Renamed"
    copy.save()
    assert stored(improvement) == (history_date(deployment, "in_use"), None)
    assert improvement.title == "Renamed"
    assert improvement.history.first().title == "Renamed"  # the save still has its row


def test_the_migration_and_a_refresh_fill_them_by_the_rule(people):
    improvement, _plan, version = traced()
    deployment = ProjectDeploymentFactory(asset_version=version, state="verified")
    # History re-dated in bulk (an import, the demo): no signal; a refresh follows.
    moment = timezone.now() - timedelta(days=30)
    deployment.history.all().update(history_date=moment)
    assert stored(improvement) != (moment, moment)
    assert refresh_milestones() == 1
    assert stored(improvement) == (moment, moment)
    assert refresh_milestones() == 0  # nothing moved: nothing written
    Improvement.objects.update(first_deployed_at=None, first_verified_at=None)
    fill = importlib.import_module("deployment.migrations.0008_fill_improvement_milestones")
    fill.fill_milestones(apps, None)
    assert stored(improvement) == (moment, moment)
    assert_exact()


@override_settings(OPF_FIGURES_CACHE_SECONDS=300)
def test_the_cycle_time_shows_a_deployment_at_once(people):
    """Worked numbers, with the figures cached: an improvement recorded 40 days ago, its
    version released 35 days ago, in use today: released → deployed 35 days, the cycle
    time (recorded → deployed) 40 days, counted as soon as the deployment is in use."""
    freshness.bump()
    start, end = default_period(timezone.localdate())
    improvement, _plan, version = traced()
    begin = timezone.now() - timedelta(days=40)
    improvement.history.all().update(history_date=begin)
    type(version).objects.filter(pk=version.pk).update(released_at=begin + timedelta(days=5))
    deployment = ProjectDeploymentFactory(
        project=ProjectFactory(manager=people.pm), asset_version=version
    )

    def figures() -> dict:  # a new look: a new filter (a filter keeps its shared reads)
        scope = DashboardFilter(people.executive, None, start, end)
        return freshness.cached(
            ("test-cycle", str(people.executive.pk)), lambda: dashboard.cycle_time_figures(scope)
        )

    assert figures()["segments"][3]["count"] == 0  # released → deployed
    assert figures()["cycle"]["count"] == 0
    in_use(deployment, people)
    after = figures()
    assert (after["segments"][3]["count"], after["segments"][3]["median_days"]) == (1, 35)
    assert (after["cycle"]["count"], after["cycle"]["median_days"]) == (1, 40)


@override_settings(OPF_FIGURES_CACHE_SECONDS=300)
def test_a_deployment_update_computes_the_funnel_stages_again_not_the_loop(people, api_as):
    """The measured effect (the funnel's last stage) reads deployments, so a deployment
    update computes the stages again; the loop's cycle times and the business case read
    none (the milestones are stored) and come from the cache, unchanged."""
    freshness.bump()
    improvement = ImprovementFactory(
        benefit_measure=MeasureFactory(),
        benefit_baseline=Decimal("1.9"),
        benefit_target=Decimal("1.4"),
        estimated_hours=Decimal("10"),
    )
    _improvement, _plan, version = traced(improvement)
    deployment = ProjectDeploymentFactory(asset_version=version, state="in_use")
    api = api_as(people.executive)

    def funnel() -> dict:
        response = api.get("/api/v1/dashboard/")
        assert response.status_code == 200
        return response.json()["panels"]["funnel"]

    first = funnel()
    assert first["loop"]["segments"][3]["count"] == 0  # released → deployed: none dated
    with (
        mock.patch("lessons.dashboard.build_funnel", wraps=build_funnel) as stages,
        mock.patch("lessons.process_measures.improvement_rows") as rows,
    ):
        deployment.notes = "Everyone uses it."
        deployment.save()  # a deployment write that moves no milestone
        again = funnel()
    assert stages.call_count == 1
    assert rows.call_count == 0
    assert again == first


def test_the_milestones_before_the_deployments_follow_each_door(people):
    """Recorded, selected (a workflow step), a source finding linked from either side or
    deleted, a plan approved (its workflow) or deleted, a version released (its
    workflow): each stored milestone moves with the write, as the rule says."""
    from actions import services as action_services
    from tests.actions.factories import PlanReviewFactory
    from tests.appraisals.factories import FindingFactory
    from tests.deployment.factories import AssetVersionFactory

    improvement = ImprovementFactory(state=Improvement.State.CANDIDATE)
    recorded = improvement.history.earliest("history_date").history_date
    assert every_stored(improvement)["first_recorded_at"] == recorded
    assert every_stored(improvement)["first_selected_at"] is None
    action_services.improvement_select(improvement, actor=people.epg)
    selected = improvement.history.get(state="selected").history_date
    assert every_stored(improvement)["first_selected_at"] == selected

    finding = FindingFactory()
    finding.improvements.add(improvement)  # from the finding's side
    first_row = finding.history.earliest("history_date").history_date
    assert every_stored(improvement)["first_finding_at"] == first_row
    older = FindingFactory()
    moment = recorded - timedelta(days=3)
    older.history.all().update(history_date=moment)
    improvement.findings.add(older)  # from the improvement's side
    assert every_stored(improvement)["first_finding_at"] == moment
    older.delete()  # its links go in bulk: the next earliest counts
    assert every_stored(improvement)["first_finding_at"] == first_row
    assert_exact()

    plan = ProcessActionPlanFactory(owner=people.epg, sponsor=people.executive)
    plan.improvements.add(improvement)
    review = PlanReviewFactory(plan=plan, reviewer=people.pm)
    action_services.plan_submit(plan, actor=people.epg)
    action_services.review_approve(review, actor=people.pm)
    assert every_stored(improvement)["first_approved_at"] is None
    action_services.plan_approve(plan, actor=people.executive)
    plan.refresh_from_db()
    assert every_stored(improvement)["first_approved_at"] == plan.approved_at

    version = AssetVersionFactory(
        pilot=PilotFactory(action_plan=plan, decision="adopt"), state="approved"
    )
    assert every_stored(improvement)["first_released_at"] is None
    services.asset_version_release(version, actor=people.epg)
    version.refresh_from_db()
    assert every_stored(improvement)["first_released_at"] == version.released_at
    assert_exact()

    earlier = ProcessActionPlanFactory(
        state="approved", approved_at=plan.approved_at - timedelta(days=1)
    )
    earlier.improvements.add(improvement)
    assert every_stored(improvement)["first_approved_at"] == earlier.approved_at
    earlier.delete()  # its links go in bulk
    assert every_stored(improvement)["first_approved_at"] == plan.approved_at
    assert_exact()
    # The migration fills them by the same rule.
    kept = every_stored(improvement)
    before_deployments = ("recorded", "finding", "selected", "approved", "released")
    Improvement.objects.update(**{f"first_{name}_at": None for name in before_deployments})
    fill = importlib.import_module("deployment.migrations.0011_fill_loop_milestones")
    fill.fill_milestones(apps, None)
    assert every_stored(improvement) == kept
