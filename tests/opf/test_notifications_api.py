"""The inbox through the API: one's own notifications only, the unread filter,
marking read (#16)."""

from __future__ import annotations

import pytest

from opf.core.notices import tell
from tests.problems import field_errors


def _tell(user, n):
    tell(recipient=user, kind="test_kind", title=f"News {n}", url=f"/news/{n}/", key=f"n:{n}")


@pytest.mark.django_db
def test_list_filter_and_mark_read(people, api_as):
    for n in range(3):
        _tell(people.pm, n)
    _tell(people.member, 9)
    api = api_as(people.pm)
    listed = api.get("/api/v1/notifications/").json()
    assert listed["count"] == 3
    assert {r["title"] for r in listed["results"]} == {"News 0", "News 1", "News 2"}
    first = listed["results"][0]
    read = api.post(f"/api/v1/notifications/{first['id']}/read/")
    assert read.status_code == 200 and read.json()["unread"] is False
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 2
    assert api.get("/api/v1/notifications/", {"unread": "false"}).json()["count"] == 1
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 0
    # the member's own notification is untouched and unseen by the PM
    assert (
        api_as(people.member).get("/api/v1/notifications/", {"unread": "true"}).json()["count"] == 1
    )


@pytest.mark.django_db
def test_another_persons_notification_is_not_found_and_bad_input_is_400(people, api_as):
    _tell(people.member, 1)
    theirs = api_as(people.member).get("/api/v1/notifications/").json()["results"][0]["id"]
    api = api_as(people.pm)
    assert api.post(f"/api/v1/notifications/{theirs}/read/").status_code == 404
    assert api.get(f"/api/v1/notifications/{theirs}/").status_code == 404
    bad = api.get("/api/v1/notifications/", {"unread": "perhaps"})
    assert bad.status_code == 400 and "unread" in field_errors(bad)
    assert api_as(None).get("/api/v1/notifications/").status_code in (401, 403)
    assert api_as(None).post("/api/v1/notifications/read-all/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_endpoints_are_in_the_schema(people, api_as):
    schema = api_as(people.member).get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/notifications/" in schema["paths"]
    assert "/api/v1/notifications/{id}/read/" in schema["paths"]
    assert "/api/v1/notifications/read-all/" in schema["paths"]
