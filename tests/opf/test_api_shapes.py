"""Clear shapes in the API (#22): ``url`` is the record in the API, ``web_url`` its
page; the reference model's edition is ``edition`` (``version`` is the lock)."""

from __future__ import annotations

import pytest

from tests.actions.factories import ActionItemFactory, ImprovementFactory
from tests.factories import ProjectFactory, ReferenceModelFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "resource"),
    [
        (ProjectFactory, "projects"),
        (ImprovementFactory, "improvements"),
        (ActionItemFactory, "action-items"),
        (ReferenceModelFactory, "reference-models"),
    ],
)
def test_url_is_the_api_record_and_web_url_its_page(factory, resource, people, api_as):
    record = factory()
    api = api_as(people.epg)
    data = api.get(f"/api/v1/{resource}/{record.pk}/").json()
    assert data["url"] == f"http://testserver/api/v1/{resource}/{record.pk}/"
    assert data["web_url"] == f"http://testserver{record.get_absolute_url()}"
    assert data["display"] == str(record)
    assert api.get(data["url"]).json()["id"] == record.pk  # the API answers its url
    listed = api.get(f"/api/v1/{resource}/", {"page_size": 500}).json()["results"]
    (row,) = [r for r in listed if r["id"] == record.pk]
    assert (row["url"], row["web_url"]) == (data["url"], data["web_url"])


def test_a_record_sent_back_as_read_keeps_its_urls(people, api_as):
    """A client that PUTs what it GOT (url, web_url, display included) changes nothing
    it may not write."""
    project = ProjectFactory()
    api = api_as(people.epg)
    data = api.get(f"/api/v1/projects/{project.pk}/").json()
    put = api.put(f"/api/v1/projects/{project.pk}/", data, format="json")
    assert put.status_code == 200, put.json()
    moved = api.patch(
        f"/api/v1/projects/{project.pk}/", {"url": "http://testserver/elsewhere/"}, format="json"
    )
    assert moved.status_code == 400
    assert moved.json()["errors"][0]["field"] == "url"
    assert moved.json()["errors"][0]["code"] == "read_only"


def test_the_reference_models_edition_is_edition(people, api_as):
    model = ReferenceModelFactory(abbreviation="ISO", version="2015")
    api = api_as(people.epg)
    data = api.get(f"/api/v1/reference-models/{model.pk}/").json()
    assert data["edition"] == "2015" and "version" not in data
    changed = api.patch(f"/api/v1/reference-models/{model.pk}/", {"edition": "2026"}, format="json")
    assert changed.status_code == 200, changed.json()
    model.refresh_from_db()
    assert model.version == "2026"
    refused = api.patch(f"/api/v1/reference-models/{model.pk}/", {"version": "3"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "unknown_field"
    ordered = api.get("/api/v1/reference-models/", {"ordering": "-edition"})
    assert ordered.status_code == 200
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    properties = schema["components"]["schemas"]["ReferenceModel"]["properties"]
    assert "edition" in properties and "version" not in properties
    assert {"url", "web_url", "display"} <= set(properties)


MAIN = {
    "improvements": "Improvement",
    "appraisals": "Appraisal",
    "findings": "Finding",
    "action-items": "ActionItem",
    "project-deployments": "ProjectDeployment",
}


@pytest.mark.parametrize("resource", MAIN)
def test_the_docs_show_examples_for_the_main_resources(resource, people, api_as):
    schema = api_as(people.member).get("/api/v1/schema/", {"format": "json"}).json()
    created = schema["paths"][f"/api/v1/{resource}/"]["post"]["requestBody"]["content"]
    (example,) = created["application/json"]["examples"].values()
    request_fields = set(schema["components"]["schemas"][f"{MAIN[resource]}Request"]["properties"])
    assert set(example["value"]) <= request_fields  # only what a client may send
    read = schema["paths"][f"/api/v1/{resource}/{{id}}/"]["get"]["responses"]["200"]["content"]
    (shown,) = read["application/json"]["examples"].values()
    assert shown["value"]["url"].endswith(f"/api/v1/{resource}/{shown['value']['id']}/")
    assert set(shown["value"]) <= set(schema["components"]["schemas"][MAIN[resource]]["properties"])


def test_references_carry_id_url_and_display_beside_the_writable_id(people, api_as):
    """Every foreign key reads as the id (what a write sends) and, beside it,
    ``<field>_ref``: ``{id, url, display}``; a many-to-many field's ``<field>_refs``
    lists them; a missing one is null."""
    from tests.appraisals.factories import FindingFactory

    finding = FindingFactory()
    improvement = ImprovementFactory(owner=people.pm)
    improvement.findings.add(finding)
    api = api_as(people.epg)
    url = f"/api/v1/improvements/{improvement.pk}/"
    data = api.get(url).json()
    assert data["owner"] == people.pm.pk
    assert data["owner_ref"] == {
        "id": people.pm.pk,
        "url": f"http://testserver/api/v1/users/{people.pm.pk}/",
        "display": str(people.pm),
    }
    assert data["findings"] == [finding.pk]
    assert data["findings_refs"] == [
        {
            "id": finding.pk,
            "url": f"http://testserver/api/v1/findings/{finding.pk}/",
            "display": str(finding),
        }
    ]
    assert data["initiative"] is None and data["initiative_ref"] is None
    assert api.get(data["owner_ref"]["url"]).json()["id"] == people.pm.pk
    # what was read goes back as it was; a reference is not a way to write
    assert api.put(url, data, format="json").status_code == 200
    moved = api.patch(url, {"owner_ref": {"id": people.epg.pk}}, format="json")
    assert moved.status_code == 400
    (error,) = moved.json()["errors"]
    assert (error["field"], error["code"]) == ("owner_ref", "read_only")
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    assert set(components["Reference"]["properties"]) == {"id", "url", "display"}
    properties = components["Improvement"]["properties"]
    assert properties["owner"]["type"] == "integer"
    assert properties["owner_ref"]["oneOf"][0] == {"$ref": "#/components/schemas/Reference"}
    assert "owner_ref" not in components["ImprovementRequest"]["properties"]
