"""Nothing the API accepts is silently dropped (#22): an unknown field or a change to
a read-only one is a 400 naming it; sending back what was read is no change."""

from __future__ import annotations

import pytest

from tests.actions.factories import ActionItemFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_field_is_a_400_naming_it(people, api_as):
    item = ActionItemFactory(title="Draft")
    response = api_as(people.epg).patch(
        f"/api/v1/action-items/{item.pk}/", {"title": "New", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["colour"]
    item.refresh_from_db()
    assert item.title == "Draft"


def test_changing_a_read_only_field_is_a_400_pointing_to_its_step(people, api_as):
    item = ActionItemFactory()
    response = api_as(people.epg).patch(
        f"/api/v1/action-items/{item.pk}/", {"status": "done"}, format="json"
    )
    assert response.status_code == 400
    assert "step" in response.json()["status"][0]
    item.refresh_from_db()
    assert item.status == "todo"


def test_every_field_error_comes_in_one_answer(people, api_as):
    item = ActionItemFactory()
    response = api_as(people.epg).patch(
        f"/api/v1/action-items/{item.pk}/",
        {"status": "done", "colour": "red", "planned_effort": 5},
        format="json",
    )
    assert response.status_code == 400
    assert {"status", "colour", "planned_effort"} <= set(response.json())


def test_what_was_read_can_be_put_back(people, api_as):
    item = ActionItemFactory(title="Draft")
    api = api_as(people.epg)
    url = f"/api/v1/action-items/{item.pk}/"
    body = api.get(url).json()
    body["title"] = "Reworded"
    response = api.put(url, body, format="json")
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert item.title == "Reworded"
