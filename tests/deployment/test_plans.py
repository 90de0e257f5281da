"""Standard sets and deployment plans: approval expands to project deployments, once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deployment import services
from deployment.forms import DeploymentPlanForm, StandardProcessSetForm
from deployment.models import ProjectDeployment, StandardProcessSet
from deployment.services import choices
from opf.core.errors import TransitionRefused
from tests.deployment.factories import (
    AssetVersionFactory,
    DeploymentPlanFactory,
    ReleasedVersionFactory,
    StandardProcessSetFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    root = OrgUnitFactory(name="Engineering")
    child = OrgUnitFactory(name="Avionics", parent=root)
    other = OrgUnitFactory(name="Sales")
    return {
        "root": root,
        "in_root": ProjectFactory(org_unit=root),
        "in_child": ProjectFactory(org_unit=child),
        "closed_in_child": ProjectFactory(org_unit=child, active=False),
        "elsewhere": ProjectFactory(org_unit=other),
    }


def test_approval_creates_one_deployment_per_target_project_and_version(people, tree):
    v1, v2 = ReleasedVersionFactory(), ReleasedVersionFactory()
    plan = DeploymentPlanFactory()
    plan.asset_versions.set([v1, v2])
    plan.target_units.set([tree["root"]])
    plan.target_projects.set([tree["elsewhere"], tree["in_root"]])  # overlap with the unit
    services.deployment_plan_submit(plan, actor=people.epg)
    services.deployment_plan_approve(plan, actor=people.executive)
    pairs = set(ProjectDeployment.objects.values_list("project", "asset_version"))
    projects = [tree[k].pk for k in ("in_root", "in_child", "elsewhere")]
    assert pairs == {(p, v.pk) for p in projects for v in (v1, v2)}
    assert plan.created_deployments == 6
    deployment = ProjectDeployment.objects.first()
    assert deployment.state == "not_started"
    assert deployment.history.get().history_user == people.executive  # creation is in history


def test_re_running_adds_only_new_projects_never_duplicates(people, tree):
    version = ReleasedVersionFactory()
    plan = DeploymentPlanFactory()
    plan.asset_versions.set([version])
    plan.target_units.set([tree["root"]])
    services.deployment_plan_submit(plan, actor=people.epg)
    services.deployment_plan_approve(plan, actor=people.executive)
    assert ProjectDeployment.objects.count() == 2
    services.deployment_plan_refresh(plan, actor=people.epg)
    assert ProjectDeployment.objects.count() == 2
    ProjectFactory(org_unit=tree["root"])  # a new project joins the unit
    services.deployment_plan_refresh(plan, actor=people.epg)
    assert ProjectDeployment.objects.count() == 3
    assert plan.created_deployments == 1
    # A second plan for the same version adds nothing either (unique per project x version).
    again = DeploymentPlanFactory()
    again.asset_versions.set([version])
    again.target_units.set([tree["root"]])
    services.deployment_plan_submit(again, actor=people.epg)
    services.deployment_plan_approve(again, actor=people.executive)
    assert ProjectDeployment.objects.count() == 3


def test_a_standard_set_baseline_is_deployed_whole(people, tree):
    versions = ReleasedVersionFactory.create_batch(3)
    standard_set = StandardProcessSetFactory()
    standard_set.asset_versions.set(versions)
    plan = DeploymentPlanFactory(standard_set=standard_set)
    plan.target_projects.set([tree["elsewhere"]])
    services.deployment_plan_submit(plan, actor=people.epg)
    services.deployment_plan_approve(plan, actor=people.executive)
    assert ProjectDeployment.objects.filter(project=tree["elsewhere"]).count() == 3


@pytest.mark.parametrize("role", ["epg", "pm", "member"])
def test_only_executives_approve_plans(role, people, tree, api_as):
    plan = DeploymentPlanFactory()
    plan.asset_versions.set([ReleasedVersionFactory()])
    plan.target_projects.set([tree["elsewhere"]])
    services.deployment_plan_submit(plan, actor=people.epg)
    response = api_as(people.by_role(role)).post(f"/api/v1/deployment-plans/{plan.pk}/approve/")
    assert response.status_code in (403, 409)
    assert not ProjectDeployment.objects.exists()
    response = api_as(people.executive).post(f"/api/v1/deployment-plans/{plan.pk}/approve/")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    assert ProjectDeployment.objects.count() == 1


def test_a_plan_needs_released_versions_and_targets(people, tree):
    plan = DeploymentPlanFactory()
    with pytest.raises(TransitionRefused, match="asset versions"):
        services.deployment_plan_submit(plan, actor=people.epg)
    plan.asset_versions.set([AssetVersionFactory()])  # a draft
    plan.target_projects.set([tree["elsewhere"]])
    with pytest.raises(TransitionRefused, match="released"):
        services.deployment_plan_submit(plan, actor=people.epg)


def test_an_approved_plan_is_locked(people, tree, api_as, client_as):
    plan = DeploymentPlanFactory(name="Original")
    plan.asset_versions.set([ReleasedVersionFactory()])
    plan.target_projects.set([tree["elsewhere"]])
    services.deployment_plan_submit(plan, actor=people.epg)
    services.deployment_plan_approve(plan, actor=people.executive)
    response = api_as(people.epg).patch(
        f"/api/v1/deployment-plans/{plan.pk}/", {"name": "Changed"}, format="json"
    )
    assert response.status_code == 409
    page = client_as(people.epg).get(plan.get_absolute_url()).content.decode()
    assert f"/deployment-plans/{plan.pk}/edit/" not in page
    plan.refresh_from_db()
    assert plan.name == "Original"


def test_api_refuses_draft_versions_in_a_plan_with_a_field_error(people, api_as):
    draft = AssetVersionFactory()
    response = api_as(people.epg).post(
        "/api/v1/deployment-plans/",
        {"name": "Bad", "asset_versions": [draft.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert field_errors(response) == {
        "asset_versions": [f"Only released versions; not released: {draft}."]
    }


@pytest.mark.parametrize("form_class", [DeploymentPlanForm, StandardProcessSetForm])
def test_forms_offer_the_versions_the_service_accepts(form_class, people):
    released, draft = ReleasedVersionFactory(), AssetVersionFactory()
    offered = form_class(user=people.epg).fields["asset_versions"].queryset
    assert set(offered) == set(choices.deployable_versions()) >= {released}
    assert draft not in offered
    assert choices.not_deployable([released, draft]) == [draft]
    with pytest.raises(ValidationError):
        choices.check_deployable([released, draft])


def test_standard_set_is_approved_by_an_executive_then_published_by_the_process_group(
    people, api_as
):
    old = StandardProcessSetFactory(name="Acme", baseline="1")
    old.asset_versions.set([ReleasedVersionFactory()])
    services.standard_set_submit(old, actor=people.epg)
    services.standard_set_approve(old, actor=people.executive)
    services.standard_set_publish(old, actor=people.epg)
    new = StandardProcessSetFactory(name="Acme", baseline="2")
    new.asset_versions.set([ReleasedVersionFactory()])
    services.standard_set_submit(new, actor=people.epg)
    assert api_as(people.epg).post(f"/api/v1/standard-sets/{new.pk}/approve/").status_code == 403
    assert (
        api_as(people.executive).post(f"/api/v1/standard-sets/{new.pk}/publish/").status_code == 403
    )
    assert (
        api_as(people.executive).post(f"/api/v1/standard-sets/{new.pk}/approve/").status_code == 200
    )
    response = api_as(people.epg).post(f"/api/v1/standard-sets/{new.pk}/publish/")
    assert response.status_code == 200 and response.json()["state"] == "published"
    old.refresh_from_db()
    assert old.state == StandardProcessSet.State.RETIRED


def test_a_baseline_holds_released_versions_only(people):
    standard_set = StandardProcessSetFactory()
    standard_set.asset_versions.set([AssetVersionFactory()])
    with pytest.raises(TransitionRefused, match="released"):
        services.standard_set_submit(standard_set, actor=people.epg)


@pytest.mark.parametrize("value", [{}, "1", 1])
def test_many_to_many_fields_take_a_list_only(value, people, api_as):
    response = api_as(people.epg).post(
        "/api/v1/deployment-plans/", {"name": "Odd", "target_projects": value}, format="json"
    )
    assert response.status_code == 400
    assert "target_projects" in field_errors(response)
