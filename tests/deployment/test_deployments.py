"""Project deployments: who may move them, the steps, training gating, "My projects"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from deployment import services
from deployment.forms import ProjectDeploymentForm
from deployment.models import ProjectDeployment, TailoringRecord, TrainingRecord
from deployment.services import choices
from opf.core.errors import TransitionRefused
from tests.deployment.factories import (
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
    TailoringRecordFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(people):
    return ProjectDeploymentFactory(project=ProjectFactory(manager=people.pm, name="Mine"))


@pytest.fixture
def theirs(people):
    return ProjectDeploymentFactory(project=ProjectFactory(manager=people.other_pm, name="Theirs"))


def step(deployment, name, user, **kwargs):
    return services.deployment_update(
        deployment, actor=user, expected_version=None, transition=name, **kwargs
    )


# --- object-level rules ---------------------------------------------------------


def test_the_manager_moves_their_deployment_through_its_states(people, mine):
    step(mine, "plan", people.pm)
    step(mine, "train", people.pm)
    step(mine, "use", people.pm, notes="Everyone on board.")
    mine.refresh_from_db()
    assert (mine.state, mine.notes, mine.version) == ("in_use", "Everyone on board.", 4)
    reasons = list(mine.history.values_list("history_change_reason", flat=True))
    assert reasons[:3] == ["In use", "Start training", "Start planning"]
    assert {h.history_user for h in mine.history.all()[:3]} == {people.pm}
    # Only the process group verifies.
    with pytest.raises(TransitionRefused):
        step(mine, "verify", people.pm)
    step(mine, "verify", people.epg)
    mine.refresh_from_db()
    assert mine.state == "verified"


@pytest.mark.parametrize("role", ["other_pm", "executive", "appraiser", "member"])
def test_nobody_else_moves_a_project_managers_deployment(role, people, mine, api_as, client_as):
    user = people.by_role(role)
    with pytest.raises(TransitionRefused):
        step(mine, "plan", user)
    api = api_as(user)
    assert api.post(f"/api/v1/project-deployments/{mine.pk}/plan/").status_code in (403, 409)
    assert (
        api.patch(
            f"/api/v1/project-deployments/{mine.pk}/", {"notes": "x"}, format="json"
        ).status_code
        == 403
    )
    client = client_as(user)
    assert client.post(f"/project-deployments/{mine.pk}/update/", {}).status_code == 403
    page = client.get(mine.get_absolute_url()).content.decode()
    assert f"/project-deployments/{mine.pk}/update/" not in page
    mine.refresh_from_db()
    assert (mine.state, mine.notes) == ("not_started", "")


def test_the_manager_edits_notes_of_their_own_deployment_in_the_api(people, mine, theirs, api_as):
    api = api_as(people.pm)
    response = api.patch(
        f"/api/v1/project-deployments/{mine.pk}/", {"notes": "Kick-off done"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert (
        api.patch(
            f"/api/v1/project-deployments/{theirs.pk}/", {"notes": "x"}, format="json"
        ).status_code
        == 403
    )
    # A manager cannot move a deployment to another project or version.
    other_project = ProjectFactory(manager=people.pm)
    moved = api.patch(
        f"/api/v1/project-deployments/{mine.pk}/", {"project": other_project.pk}, format="json"
    )
    assert moved.status_code == 400
    assert field_errors(moved) == {"project": ["Only the process group moves a deployment."]}
    assert (
        api.post(
            "/api/v1/project-deployments/",
            {"project": other_project.pk, "asset_version": mine.asset_version_id},
            format="json",
        ).status_code
        == 403
    )


def test_the_form_lets_only_the_process_group_move_a_deployment(people, mine):
    for user, fixed in ((people.pm, True), (people.epg, False)):
        form = ProjectDeploymentForm(instance=mine, user=user)
        assert choices.may_place_deployments(user) is not fixed
        assert [form.fields[n].disabled for n in choices.PLACEMENT_FIELDS] == [fixed] * 3
    choices.check_placement(mine, {"project": mine.project, "notes": "x"}, user=people.pm)
    with pytest.raises(ValidationError) as refused:
        choices.check_placement(mine, {"plan": None, "project": None}, user=people.pm)
    assert set(refused.value.message_dict) == {"project"}  # the plan stays None


def test_waiving_needs_a_reason(people, mine, api_as):
    with pytest.raises(TransitionRefused, match="reason"):
        step(mine, "waive", people.pm)
    response = api_as(people.pm).post(
        f"/api/v1/project-deployments/{mine.pk}/waive/", {"reason": "Tiny project"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == "waived"
    assert response.json()["waiver_reason"] == "Tiny project"
    assert response["ETag"] == f'"{mine.pk}-2"'


def test_a_refused_step_is_409_and_changes_nothing(people, mine, api_as):
    response = api_as(people.pm).post(f"/api/v1/project-deployments/{mine.pk}/use/")
    assert response.status_code == 409
    mine.refresh_from_db()
    assert mine.state == "not_started" and mine.version == 1


# --- training gating -------------------------------------------------------------


def test_in_use_waits_for_the_projects_people_to_be_trained(people, api_as):
    unit = OrgUnitFactory()
    engineer = UserFactory(org_unit=unit, first_name="Eve", last_name="Engineer")
    asset = ProcessAssetFactory(requires_training=True)
    version = ReleasedVersionFactory(asset=asset)
    deployment = ProjectDeploymentFactory(
        project=ProjectFactory(org_unit=unit, manager=people.pm), asset_version=version
    )
    step(deployment, "train", people.pm)
    with pytest.raises(TransitionRefused, match="Eve Engineer"):
        step(deployment, "use", people.pm)
    response = api_as(people.pm).post(f"/api/v1/project-deployments/{deployment.pk}/use/")
    assert response.status_code == 409 and "requires training" in response.json()["detail"]
    for person in (engineer, people.pm):
        TrainingRecord.objects.create(
            person=person, asset_version=version, status="done", completed_on="2026-01-10"
        )
    step(deployment, "use", people.pm)
    deployment.refresh_from_db()
    assert deployment.state == "in_use"


def test_assets_without_training_need_none(people, mine):
    step(mine, "plan", people.pm)
    step(mine, "use", people.pm)
    assert ProjectDeployment.objects.get(pk=mine.pk).state == "in_use"


# --- "My projects" ------------------------------------------------------------------


def test_my_projects_lists_only_my_projects_with_their_deployments(people, mine, theirs, client_as):
    response = client_as(people.pm).get("/my-projects/")
    page = response.content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert f'id="deployment-{mine.pk}"' in page
    assert f"/project-deployments/{mine.pk}/update/" in page


def test_my_projects_queries_do_not_grow_with_deployments(people, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(people.pm)
    project = ProjectFactory(manager=people.pm)
    ProjectDeploymentFactory.create_batch(2, project=project)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my-projects/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    ProjectDeploymentFactory.create_batch(10, project=project)
    ProjectDeploymentFactory.create_batch(5, project=ProjectFactory(manager=people.pm))
    assert count() == small


def test_update_from_my_projects_with_htmx_swaps_the_row(people, mine, client_as):
    client = client_as(people.pm)
    prefix = f"d{mine.pk}"
    response = client.post(
        f"/project-deployments/{mine.pk}/update/",
        {
            f"{prefix}-transition": "plan",
            f"{prefix}-notes": "Planning starts",
            f"{prefix}-version": 1,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="deployment-{mine.pk}"')
    assert "Planning" in html and 'value="2"' in html  # the new version for the next edit
    mine.refresh_from_db()
    assert (mine.state, mine.notes, mine.version) == ("planning", "Planning starts", 2)


def test_update_without_javascript_redirects_back(people, mine, client_as):
    prefix = f"d{mine.pk}"
    response = client_as(people.pm).post(
        f"/project-deployments/{mine.pk}/update/",
        {
            f"{prefix}-transition": "",
            f"{prefix}-notes": "Just notes",
            f"{prefix}-version": 1,
            "next": "/my-projects/",
        },
    )
    assert response.status_code == 302 and response.url == "/my-projects/"
    mine.refresh_from_db()
    assert (mine.state, mine.notes) == ("not_started", "Just notes")


def test_waiving_from_the_page_without_a_reason_shows_the_field_error(people, mine, client_as):
    prefix = f"d{mine.pk}"
    response = client_as(people.pm).post(
        f"/project-deployments/{mine.pk}/update/",
        {f"{prefix}-transition": "waive", f"{prefix}-version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "Give a reason for the waiver." in response.content.decode()
    mine.refresh_from_db()
    assert mine.state == "not_started"


def test_a_refused_step_shows_its_reason_in_the_row(people, client_as):
    asset = ProcessAssetFactory(requires_training=True)
    deployment = ProjectDeploymentFactory(
        project=ProjectFactory(manager=people.pm), asset_version=ReleasedVersionFactory(asset=asset)
    )
    step(deployment, "plan", people.pm)
    prefix = f"d{deployment.pk}"
    response = client_as(people.pm).post(
        f"/project-deployments/{deployment.pk}/update/",
        {f"{prefix}-transition": "use", f"{prefix}-version": 2},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "requires training" in response.content.decode()


# --- tailoring -----------------------------------------------------------------------


def test_a_manager_requests_tailoring_on_their_own_deployment_only(people, mine, theirs, api_as):
    api = api_as(people.pm)
    ok = api.post(
        "/api/v1/tailoring-records/",
        {"deployment": mine.pk, "what": "Lighter reviews", "why": "Small team"},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    refused = api.post(
        "/api/v1/tailoring-records/",
        {"deployment": theirs.pk, "what": "Lighter reviews", "why": "Small team"},
        format="json",
    )
    assert refused.status_code == 403
    record = TailoringRecord.objects.get()
    assert api.post(f"/api/v1/tailoring-records/{record.pk}/approve/").status_code == 403
    approved = api_as(people.epg).post(f"/api/v1/tailoring-records/{record.pk}/approve/")
    assert approved.status_code == 200 and approved.json()["decided_by"] == people.epg.pk
    assert (
        api.patch(
            f"/api/v1/tailoring-records/{record.pk}/", {"why": "changed"}, format="json"
        ).status_code
        == 409
    )


def test_tailoring_shows_on_the_deployment_and_the_asset(people, client_as):
    record = TailoringRecordFactory(what="Weekly status instead of daily")
    client = client_as(people.member)
    assert record.what in client.get(record.deployment.get_absolute_url()).content.decode()
    asset = record.deployment.asset_version.asset
    assert record.what in client.get(asset.get_absolute_url()).content.decode()
