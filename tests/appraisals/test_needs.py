"""Process needs: recorded, revised with history, retired (never deleted)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisals.models import ProcessNeed
from tests.appraisals.factories import ProcessNeedFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

OBJECTIVE = {
    "statement": "Schedule variance within 10%",
    "kind": "performance_objective",
    "priority": 1,
    "measure": "Schedule variance",
    "target": "10",
    "unit": "%",
}


def test_process_group_records_and_revises_a_need(people, client_as):
    client = client_as(people.epg)
    assert client.post("/process-needs/add/", OBJECTIVE).status_code == 302
    need = ProcessNeed.objects.get()
    response = client.post(f"/process-needs/{need.pk}/edit/", {**OBJECTIVE, "target": "8"})
    assert response.status_code == 302
    page = client.get(need.get_absolute_url()).content.decode()
    assert 'id="history"' in page and "10.00" in page and "8.00" in page


def test_a_performance_objective_needs_measure_target_and_unit(people, client_as, api_as):
    data = {**OBJECTIVE, "measure": "", "target": "", "unit": ""}
    page = client_as(people.epg).post("/process-needs/add/", data)
    assert page.status_code == 200
    assert {"measure", "target", "unit"} <= set(page.context["form"].errors)
    api = api_as(people.epg).post("/api/v1/process-needs/", {**data, "target": None}, format="json")
    assert api.status_code == 400
    assert {"measure", "target", "unit"} <= set(field_errors(api))
    assert not ProcessNeed.objects.exists()


def test_the_api_wants_the_schema_types(people, api_as):
    api = api_as(people.epg)
    for change, field in (
        ({"target": 10}, "target"),
        ({"unit": 0}, "unit"),
        ({"priority": "1"}, "priority"),
    ):
        response = api.post("/api/v1/process-needs/", {**OBJECTIVE, **change}, format="json")
        assert response.status_code == 400
        assert field in field_errors(response)
    no_statement = {k: v for k, v in OBJECTIVE.items() if k != "statement"}
    response = api.post("/api/v1/process-needs/", {**no_statement, "target": ""}, format="json")
    assert response.status_code == 400
    assert api.post("/api/v1/process-needs/", OBJECTIVE, format="json").status_code == 201


def test_needs_are_retired_with_a_reason_never_deleted(people, client_as, api_as):
    need = ProcessNeedFactory()
    client = client_as(people.epg)
    page = client.get(need.get_absolute_url()).content.decode()
    assert "/delete/" not in page and f"/process-needs/{need.pk}/do/retire/" in page
    assert client.post(f"/process-needs/{need.pk}/delete/").status_code == 404
    api = api_as(people.epg)
    assert api.delete(f"/api/v1/process-needs/{need.pk}/").status_code == 405
    assert api.post(f"/api/v1/process-needs/{need.pk}/retire/").status_code == 409
    retired = api.post(f"/api/v1/process-needs/{need.pk}/retire/", {"reason": "Met in 2025"})
    assert retired.status_code == 200 and retired.json()["state"] == "retired"
    assert api.get("/api/v1/process-needs/", {"state": "active"}).json()["count"] == 0
    assert api.post(f"/api/v1/process-needs/{need.pk}/reactivate/").json()["state"] == "active"
    assert ProcessNeed.objects.filter(pk=need.pk).exists()


@pytest.mark.parametrize("role", ["executive", "appraiser", "member", "pm"])
def test_readers_read_needs_but_do_not_write(role, people, client_as, api_as):
    need = ProcessNeedFactory()
    user = people.by_role(role)
    assert client_as(user).get("/process-needs/").status_code == 200
    assert client_as(user).get("/process-needs/add/").status_code == 403
    api = api_as(user)
    assert api.get(f"/api/v1/process-needs/{need.pk}/").status_code == 200
    assert api.post("/api/v1/process-needs/", OBJECTIVE, format="json").status_code == 403
    assert api.post(f"/api/v1/process-needs/{need.pk}/retire/", {"reason": "x"}).status_code == 403
    assert (
        client_as(user).post(f"/process-needs/{need.pk}/do/retire/", {"reason": "x"}).status_code
        == 403
    )
    need.refresh_from_db()
    assert need.state == "active"


@pytest.mark.usefixtures("uncached_figures")  # counts every read, the menu's included
def test_need_list_and_api_queries_do_not_grow(people, client_as, api_as):
    client, api = client_as(people.epg), api_as(people.epg)

    def count(call) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert call().status_code == 200
        return len(ctx.captured_queries)

    ProcessNeedFactory.create_batch(3, owner=people.epg)
    page, rest = (
        count(lambda: client.get("/process-needs/")),
        count(lambda: api.get("/api/v1/process-needs/")),
    )
    ProcessNeedFactory.create_batch(20, owner=people.pm)
    assert count(lambda: client.get("/process-needs/")) == page
    assert count(lambda: api.get("/api/v1/process-needs/")) == rest
    csv = client.get("/process-needs/", {"_export": "csv", "kind": "business_objective"})
    assert csv.status_code == 200
