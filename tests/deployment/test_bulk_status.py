"""``POST /api/v1/project-deployments/bulk-status/``: what project managers report on
My projects, for many deployments at once; one transaction, all or nothing (#22)."""

from __future__ import annotations

import pytest

from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/project-deployments/bulk-status/"


def deployment_of(manager):
    return ProjectDeploymentFactory(project=ProjectFactory(manager=manager))


def test_a_manager_reports_many_deployments_at_once(people, api_as):
    first, second = deployment_of(people.pm), deployment_of(people.pm)
    items = [
        {"id": first.pk, "transition": "plan", "notes": "Kick-off held.", "version": 1},
        {"id": second.pk, "notes": "Waiting for the team."},
    ]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(row["id"], row["state"]) for row in body] == [
        (first.pk, "planning"),
        (second.pk, "not_started"),
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.notes, first.version) == ("planning", "Kick-off held.", 2)
    assert (second.notes, second.version) == ("Waiting for the team.", 2)


def test_one_refused_item_rolls_everything_back_with_each_items_errors(people, api_as):
    first, second, third = (deployment_of(people.pm) for _ in range(3))
    items = [
        {"id": first.pk, "transition": "plan"},
        {"id": second.pk, "transition": "waive"},  # a waiver needs its reason
        {"id": third.pk, "transition": "plan", "version": 7},  # stale
        {"id": first.pk, "transition": "fly", "extra": 1},
    ]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    found = {(e["index"], e["field"], e["code"]) for e in response.json()["errors"]}
    assert (1, "non_field_errors", "refused") in found
    assert (2, "non_field_errors", "stale") in found
    assert (3, "transition", "invalid_choice") in found
    assert (3, "extra", "unknown_field") in found
    assert not any(index == 0 for index, _f, _c in found)
    for deployment in (first, second, third):
        deployment.refresh_from_db()
        assert (deployment.state, deployment.version) == ("not_started", 1)


def test_another_managers_deployment_is_refused_per_item(people, api_as):
    mine, theirs = deployment_of(people.pm), deployment_of(people.other_pm)
    items = [{"id": mine.pk, "transition": "plan"}, {"id": theirs.pk, "transition": "plan"}]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 403
    errors = response.json()["errors"]
    assert [(e["index"], e["code"]) for e in errors] == [(1, "permission_denied")]
    mine.refresh_from_db()
    assert mine.state == "not_started"
    # The process group verifies; a manager may not, and learns nothing more.
    mine.state = "in_use"
    mine.save()
    refused = api_as(people.pm).post(URL, [{"id": mine.pk, "transition": "verify"}], format="json")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "permission_denied"
    verified = api_as(people.epg).post(
        URL, [{"id": mine.pk, "transition": "verify"}], format="json"
    )
    assert verified.status_code == 200, verified.json()
    assert verified.json()[0]["state"] == "verified"
