"""People: read-only in the app and the API; roles come from the groups."""

from __future__ import annotations

import pytest

from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def test_users_endpoint_is_read_only(people, api_as):
    api = api_as(people.epg)
    listing = api.get("/api/v1/users/", {"page_size": 100}).json()
    by_name = {u["username"]: u for u in listing["results"]}
    assert "Project manager" in by_name["pm"]["roles"]
    assert "password" not in by_name["pm"]
    assert api.post("/api/v1/users/", {"username": "new"}, format="json").status_code == 405
    assert (
        api.patch(f"/api/v1/users/{people.pm.pk}/", {"first_name": "X"}, format="json").status_code
        == 405
    )
    assert api.delete(f"/api/v1/users/{people.pm.pk}/").status_code == 405


def test_users_filter_by_role(people, api_as):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="Project managers")
    body = api_as(people.member).get("/api/v1/users/", {"role": group.pk}).json()
    assert {u["username"] for u in body["results"]} == {"pm", "other_pm"}


def test_people_pages_have_no_edit_buttons(people, client_as):
    client = client_as(people.epg)
    assert client.get("/people/").status_code == 200
    page = client.get(people.pm.get_absolute_url()).content.decode()
    assert "Project manager" in page
    assert "/edit/" not in page
    assert client.get("/people/add/").status_code == 404


def test_profile_creates_and_revokes_an_api_token(people, client_as, client):
    from rest_framework.authtoken.models import Token

    web = client_as(people.member)
    web.post("/profile/", {"action": "create"})
    token = Token.objects.get(user=people.member)
    client.logout()
    assert (
        client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    )
    web.force_login(people.member)
    web.post("/profile/", {"action": "revoke"})
    assert not Token.objects.filter(user=people.member).exists()
    client.logout()
    assert (
        client.get("/api/v1/projects/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
    )


def test_schema_and_docs(people, api_as, client_as):
    assert api_as(None).get("/api/v1/schema/").status_code == 401
    schema = api_as(people.member).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for endpoint in (
        "org-units",
        "projects",
        "users",
        "reference-models",
        "process-areas",
        "practices",
    ):
        assert f"/api/v1/{endpoint}/" in paths
    assert "/api/v1/projects/{id}/history/" in paths
    docs = client_as(people.member).get("/api/v1/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_an_empty_date_is_refused_not_read_as_no_date(people, api_as):
    from tests.factories import ProjectFactory

    project = ProjectFactory(manager=people.pm)
    api = api_as(people.epg)
    response = api.patch(f"/api/v1/projects/{project.pk}/", {"start_date": ""}, format="json")
    assert response.status_code == 400
    assert field_errors(response)["start_date"]
    # A form body, where "" used to read as "no date", is not taken at all (#22).
    form = api.patch(f"/api/v1/projects/{project.pk}/", {"start_date": ""}, format="multipart")
    assert form.status_code == 415
    project.refresh_from_db()
    assert project.start_date is not None


def test_a_persons_history_shows_no_sign_ins_dates_or_password(people, client_as, api_as):
    """#21: every sign-in saved last_login and so wrote a history row: anyone could read
    everyone's sign-in times from the people pages and the API."""
    from django.test import Client

    pm = people.pm
    for _ in range(3):
        device = Client()
        device.post("/accounts/login/", {"username": "pm", "password": "pw-for-tests"})
        assert device.get("/").status_code == 200
    pm.refresh_from_db()
    pm.set_password("Quarterly-appraisal-47")
    pm.date_joined = pm.date_joined.replace(year=2001)
    pm.save()
    pm.job_title = "Release manager"
    pm.save()
    entries = api_as(people.member).get(f"/api/v1/users/{pm.pk}/history/").json()
    assert [e["kind"] for e in entries] == ["changed", "created"]
    assert entries[0]["changes"] == [{"field": "job_title", "old": "", "new": "Release manager"}]
    page = client_as(people.member).get(pm.get_absolute_url()).content.decode()
    history = page[page.index('id="history"') :].split("</section>")[0]
    assert history.count("<li>") == 2 + 1  # two entries, one field change
    assert "Date joined" not in history and "2001" not in history
    # Nor does the record itself show others when someone signed in or joined ...
    assert "Last login" not in page and "Date joined" not in page and "2001" not in page
    # ... while one's own page does.
    own = client_as(pm).get(pm.get_absolute_url()).content.decode()
    assert "Last login" in own and "2001" in own


def test_a_sign_in_writes_no_history(people):
    from django.test import Client

    before = people.pm.history.count()
    Client().post("/accounts/login/", {"username": "pm", "password": "pw-for-tests"})
    people.pm.refresh_from_db()
    assert people.pm.last_login is not None
    assert people.pm.history.count() == before
