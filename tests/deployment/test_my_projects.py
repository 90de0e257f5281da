"""My projects: filters as GET parameters (project, status, needs an update), the
deployments that need an update first, a plain form post per row that comes back to
the same filtered page, and a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment.models import AssetVersion, ProjectDeployment
from tests.deployment.factories import (
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="deployment-(\d+)"', html)]


def deployment(project, name: str, **fields) -> ProjectDeployment:
    version = ReleasedVersionFactory(asset=ProcessAssetFactory(name=name))
    return ProjectDeploymentFactory(project=project, asset_version=version, **fields)


@pytest.fixture
def board(people):
    """Two projects of the manager: fresh, stale and superseded deployments."""
    alpha = ProjectFactory(name="Alpha", manager=people.pm)
    beta = ProjectFactory(name="Beta", manager=people.pm)
    fresh = deployment(alpha, "A fresh one")
    stale = deployment(alpha, "B stale one", state="planning")
    ProjectDeployment.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - timedelta(days=90)
    )
    old = deployment(alpha, "C superseded one", state="training")
    AssetVersion.objects.filter(pk=old.asset_version_id).update(state="superseded")
    waived = deployment(alpha, "D waived stale one", state="waived")
    ProjectDeployment.objects.filter(pk=waived.pk).update(
        updated_at=timezone.now() - timedelta(days=90)
    )
    other = deployment(beta, "E in beta")
    return {
        "alpha": alpha,
        "beta": beta,
        "fresh": fresh,
        "stale": stale,
        "old": old,
        "waived": waived,
        "other": other,
    }


def test_deployments_that_need_an_update_come_first(people, client_as, board):
    html = client_as(people.pm).get("/my-projects/").content.decode()
    alpha = html[html.index('id="project-{}-card"'.format(board["alpha"].pk)) :]
    alpha = alpha[: alpha.index("</section>")]
    # stale, then superseded (need an update, by asset); then the rest by asset
    # (a waived deployment is finished: never "needs an update", even stale)
    assert row_ids(alpha) == [
        board["stale"].pk,
        board["old"].pk,
        board["fresh"].pk,
        board["waived"].pk,
    ]
    assert alpha.count('data-needs-update="true"') == 2


def test_filters_are_get_parameters(people, client_as, board):
    client = client_as(people.pm)
    needs = client.get("/my-projects/?needs_update=on").content.decode()
    assert sorted(row_ids(needs)) == sorted([board["stale"].pk, board["old"].pk])
    by_status = client.get("/my-projects/?status=training").content.decode()
    assert row_ids(by_status) == [board["old"].pk]
    one_project = client.get(f"/my-projects/?project={board['beta'].pk}").content.decode()
    assert row_ids(one_project) == [board["other"].pk]
    assert f'id="project-{board["alpha"].pk}-card"' not in one_project


def test_a_bad_filter_is_a_field_error_not_a_500(people, client_as, board):
    client = client_as(people.pm)
    response = client.get("/my-projects/?project=999999&status=nonsense")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert len(row_ids(html)) == 5  # nothing hidden by a filter that was refused
    theirs = ProjectFactory(manager=people.other_pm)
    response = client.get(f"/my-projects/?project={theirs.pk}")
    assert response.status_code == 400  # another manager's project is not a choice


def test_a_row_posted_without_javascript_returns_to_the_filtered_page(people, client_as, board):
    client = client_as(people.pm)
    page = client.get("/my-projects/?needs_update=on").content.decode()
    assert 'name="next" value="/my-projects/?needs_update=on"' in page
    prefix = f"d{board['stale'].pk}"
    response = client.post(
        f"/project-deployments/{board['stale'].pk}/update/",
        {
            f"{prefix}-transition": "train",
            f"{prefix}-notes": "",
            f"{prefix}-version": board["stale"].version,
            "next": "/my-projects/?needs_update=on",
        },
    )
    assert response.status_code == 302
    assert response.url == "/my-projects/?needs_update=on"
    board["stale"].refresh_from_db()
    assert board["stale"].state == "training"
    # updated now: it no longer needs an update
    assert board["stale"].pk not in row_ids(client.get(response.url).content.decode())


@pytest.mark.usefixtures("uncached_figures")
def test_my_projects_takes_as_many_queries_for_10_rows_as_for_1(people, client_as):
    client = client_as(people.pm)
    project = ProjectFactory(manager=people.pm)
    deployment(project, "First")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    url = f"/my-projects/?project={project.pk}&needs_update="
    one = count(url)
    for i in range(9):
        deployment(project, f"More {i}")
    assert len(row_ids(client.get(url).content.decode())) == 10
    assert count(url) == one
