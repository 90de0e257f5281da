"""Lost updates are impossible: the second of two writers is refused, nothing is overwritten."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from deployment import services
from deployment.models import ProjectDeployment
from opf.core.versioning import StaleVersion
from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import ProjectFactory


@pytest.fixture
def deployment(people):
    return ProjectDeploymentFactory(project=ProjectFactory(manager=people.pm), notes="Original")


@pytest.mark.django_db
def test_api_second_writer_with_a_stale_etag_gets_412(people, deployment, api_as):
    pm, epg = api_as(people.pm), api_as(people.epg)
    url = f"/api/v1/project-deployments/{deployment.pk}/"
    etag = pm.get(url)["ETag"]
    assert epg.get(url)["ETag"] == etag == f'"{deployment.pk}-1"'

    first = pm.patch(url, {"notes": "From the manager"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first["ETag"] == f'"{deployment.pk}-2"'
    second = epg.patch(url, {"notes": "From the process group"}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    body = second.json()
    assert "Someone else changed this record" in body["detail"]
    assert body["current"]["notes"] == "From the manager"
    assert body["current"]["version"] == 2
    deployment.refresh_from_db()
    assert (deployment.notes, deployment.version) == ("From the manager", 2)
    # Retrying with the current ETag is a deliberate overwrite and works.
    assert (
        epg.patch(url, {"notes": "Merged"}, format="json", HTTP_IF_MATCH=first["ETag"]).status_code
        == 200
    )


@pytest.mark.django_db
def test_api_version_field_works_like_if_match(people, deployment, api_as):
    api = api_as(people.pm)
    url = f"/api/v1/project-deployments/{deployment.pk}/"
    assert api.patch(url, {"notes": "A", "version": 1}, format="json").status_code == 200
    stale = api.patch(url, {"notes": "B", "version": 1}, format="json")
    assert stale.status_code == 412
    assert api.patch(url, {"notes": "B", "version": "x"}, format="json").status_code == 400
    assert api.patch(url, {"notes": "B"}, format="json", HTTP_IF_MATCH='"999-1"').status_code == 412
    deployment.refresh_from_db()
    assert deployment.notes == "A"


@pytest.mark.django_db
def test_api_status_step_with_a_stale_version_is_412(people, deployment, api_as):
    api = api_as(people.pm)
    base = f"/api/v1/project-deployments/{deployment.pk}"
    assert api.post(f"{base}/plan/", {"version": 1}, format="json").status_code == 200
    stale = api.post(
        f"{base}/waive/", {"reason": "x"}, format="json", HTTP_IF_MATCH=f'"{deployment.pk}-1"'
    )
    assert stale.status_code == 412
    deployment.refresh_from_db()
    assert deployment.state == "planning"
    assert (
        api.delete(f"{base}/", HTTP_IF_MATCH=f'"{deployment.pk}-1"').status_code == 403
    )  # pm: no delete
    assert (
        api_as(people.epg).delete(f"{base}/", HTTP_IF_MATCH=f'"{deployment.pk}-1"').status_code
        == 412
    )
    assert ProjectDeployment.objects.filter(pk=deployment.pk).exists()


@pytest.mark.django_db
def test_page_second_editor_gets_a_conflict_with_the_current_values(people, deployment, client_as):
    prefix = f"d{deployment.pk}"
    url = f"/project-deployments/{deployment.pk}/update/"
    pm = client_as(people.pm)
    first = pm.post(
        url,
        {
            f"{prefix}-notes": "Manager's notes",
            f"{prefix}-transition": "plan",
            f"{prefix}-version": 1,
        },
        HTTP_HX_REQUEST="true",
    )
    assert first.status_code == 200
    epg = client_as(people.epg)
    second = epg.post(
        url, {f"{prefix}-notes": "EPG's notes", f"{prefix}-version": 1}, HTTP_HX_REQUEST="true"
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else changed this record" in html
    assert "Manager&#x27;s notes" in html and "Planning" in html  # the current values
    assert f'name="{prefix}-version" value="2"' in html  # resubmitting is deliberate
    deployment.refresh_from_db()
    assert (deployment.notes, deployment.state) == ("Manager's notes", "planning")


@pytest.mark.django_db
def test_edit_page_and_inline_field_refuse_a_stale_version(people, deployment, client_as):
    client = client_as(people.epg)
    data = {
        "project": deployment.project_id,
        "asset_version": deployment.asset_version_id,
        "notes": "Edited",
        "version": 1,
    }
    assert client.post(f"/project-deployments/{deployment.pk}/edit/", data).status_code == 302
    stale = client.post(f"/project-deployments/{deployment.pk}/edit/", {**data, "notes": "Lost?"})
    assert stale.status_code == 409
    assert "Current values" in stale.content.decode() and "Edited" in stale.content.decode()
    inline = client.post(
        f"/project-deployments/{deployment.pk}/fields/notes/",
        {"notes": "Inline", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert inline.status_code == 409
    deployment.refresh_from_db()
    assert (deployment.notes, deployment.version) == ("Edited", 2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_writers_one_wins_the_other_is_refused(people, deployment):
    """Two threads, two database connections, both holding version 1."""
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def write(name: str, user, notes: str) -> None:
        try:
            target = ProjectDeployment.objects.get(pk=deployment.pk)
            barrier.wait(timeout=10)
            services.deployment_update(
                target, actor=user, expected_version=1, transition="plan", notes=notes
            )
            results[name] = "saved"
        except StaleVersion:
            results[name] = "stale"
        except Exception as error:  # the test reports it
            results[name] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=("pm", people.pm, "by pm")),
        threading.Thread(target=write, args=("epg", people.epg, "by epg")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["saved", "stale"], results
    deployment.refresh_from_db()
    winner = next(name for name, result in results.items() if result == "saved")
    assert deployment.notes == f"by {winner}"
    assert (deployment.state, deployment.version) == ("planning", 2)
    assert deployment.history.count() == 2  # created, one step: the loser left no trace
