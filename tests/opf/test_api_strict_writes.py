"""Nothing the API accepts is silently dropped (#22): an unknown field or a change to
a read-only one is a 400 naming it; sending back what was read is no change."""

from __future__ import annotations

import pytest

from tests.actions.factories import ActionItemFactory
from tests.problems import error_codes, field_errors, problem

pytestmark = pytest.mark.django_db


def test_an_unknown_field_is_a_400_naming_it(people, api_as):
    item = ActionItemFactory(title="Draft")
    response = api_as(people.epg).patch(
        f"/api/v1/action-items/{item.pk}/", {"title": "New", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    assert list(field_errors(response)) == ["colour"]
    assert error_codes(response) == {"colour": ["unknown_field"]}
    item.refresh_from_db()
    assert item.title == "Draft"


def test_changing_a_read_only_field_is_a_400_pointing_to_its_step(people, api_as):
    item = ActionItemFactory()
    response = api_as(people.epg).patch(
        f"/api/v1/action-items/{item.pk}/", {"status": "done"}, format="json"
    )
    assert response.status_code == 400
    assert "step" in field_errors(response)["status"][0]
    assert error_codes(response) == {"status": ["read_only"]}
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
    assert {"status", "colour", "planned_effort"} <= set(field_errors(response))


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


def test_errors_are_problem_details_with_every_field_and_its_code(people, api_as):
    """RFC 9457 (#22): one answer names every problem, the framework's (required)
    with the strict checks' (unknown, wrong type), each with a stable code."""
    api = api_as(people.epg)
    response = api.post("/api/v1/improvements/", {"colour": "red", "owner": "1"}, format="json")
    assert response.status_code == 400
    body = problem(response)
    assert (body["type"], body["title"], body["code"]) == (
        "urn:opf:problem:invalid",
        "Invalid input",
        "invalid",
    )
    assert error_codes(response) == {
        "colour": ["unknown_field"],
        "owner": ["incorrect_type"],
        "title": ["required"],
    }
    pointers = {e["field"]: e["pointer"] for e in body["errors"]}
    assert pointers == {"colour": "/colour", "owner": "/owner", "title": "/title"}
    for field in ("colour", "owner", "title"):
        assert field in body["detail"]
    listing = api.get("/api/v1/improvements/", {"ordering": "bogus"})
    assert problem(listing)["errors"][0] | {"detail": ""} == {
        "field": "ordering",
        "parameter": "ordering",
        "code": "invalid",
        "detail": "",
    }
    unknown = api.get("/api/v1/improvements/999999/")
    assert (problem(unknown)["code"], problem(unknown)["title"]) == ("not_found", "Not found")
