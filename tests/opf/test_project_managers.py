"""A project manager changes their own projects, in pages and API, and no one else's."""

from __future__ import annotations

import pytest

from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_pm_edits_own_project_inline_with_htmx(people, client_as):
    project = ProjectFactory(manager=people.pm, phase="planning")
    client = client_as(people.pm)
    detail = client.get(project.get_absolute_url()).content.decode()
    field_url = f"/projects/{project.pk}/fields/phase/"
    assert f'hx-get="{field_url}"' in detail

    form = client.get(field_url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert "<form" in form.content.decode() and "<html" not in form.content.decode()

    saved = client.post(field_url, {"phase": "execution"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "Execution" in saved.content.decode()
    project.refresh_from_db()
    assert project.phase == "execution"
    assert project.history.first().history_user == people.pm


def test_inline_edit_with_bad_value_shows_the_error_in_place(people, client_as):
    project = ProjectFactory(manager=people.pm, phase="planning")
    client = client_as(people.pm)
    response = client.post(
        f"/projects/{project.pk}/fields/end_date/",
        {"end_date": "2020-01-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot be before the start" in body
    assert 'class="errors"' in body
    project.refresh_from_db()
    assert project.end_date is None


def test_inline_edit_without_htmx_redirects_back(people, client_as):
    project = ProjectFactory(manager=people.pm)
    response = client_as(people.pm).post(
        f"/projects/{project.pk}/fields/phase/", {"phase": "transition"}
    )
    assert response.status_code == 302
    assert response.url == project.get_absolute_url()


def test_only_declared_fields_are_inline_editable(people, client_as):
    project = ProjectFactory(manager=people.pm)
    response = client_as(people.pm).post(f"/projects/{project.pk}/fields/code/", {"code": "hijack"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.code != "hijack"


def test_pm_cannot_touch_another_managers_project(people, client_as, api_as):
    other = ProjectFactory(manager=people.other_pm, phase="planning")
    client = client_as(people.pm)
    assert client.get(f"/projects/{other.pk}/edit/").status_code == 403
    assert (
        client.post(f"/projects/{other.pk}/fields/phase/", {"phase": "closed"}).status_code == 403
    )
    assert 'hx-get="/projects/' not in client.get(other.get_absolute_url()).content.decode()
    api = api_as(people.pm)
    assert (
        api.patch(f"/api/v1/projects/{other.pk}/", {"phase": "closed"}, format="json").status_code
        == 403
    )
    other.refresh_from_db()
    assert other.phase == "planning"


def test_pm_updates_own_project_through_the_api(people, api_as):
    own = ProjectFactory(manager=people.pm)
    api = api_as(people.pm)
    response = api.patch(f"/api/v1/projects/{own.pk}/", {"phase": "transition"}, format="json")
    assert response.status_code == 200
    assert response.json()["phase"] == "transition"
    assert api.delete(f"/api/v1/projects/{own.pk}/").status_code == 403
    assert api.post("/api/v1/projects/", {"name": "x"}, format="json").status_code == 403
