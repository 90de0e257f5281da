"""``ordering`` is read strictly (#22): an unknown field is a 400 naming it and what
the endpoint offers, never silently ignored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.actions.factories import ActionItemFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def test_unknown_ordering_is_a_400_naming_it(people, api_as):
    api = api_as(people.epg)
    response = api.get("/api/v1/action-items/", {"ordering": "due,-bogus"})
    assert response.status_code == 400
    message = field_errors(response)["ordering"][0]
    assert "-bogus" in message and "due" in message


def test_known_ordering_sorts(people, api_as):
    soon = ActionItemFactory(due=date(2030, 1, 1))
    late = ActionItemFactory(plan=soon.plan, due=date(2030, 1, 1) + timedelta(days=9))
    api = api_as(people.epg)
    ids = [
        row["id"]
        for row in api.get("/api/v1/action-items/", {"ordering": "-due"}).json()["results"]
    ]
    assert ids.index(late.pk) < ids.index(soon.pk)
    ids = [
        row["id"] for row in api.get("/api/v1/action-items/", {"ordering": "due"}).json()["results"]
    ]
    assert ids.index(soon.pk) < ids.index(late.pk)
