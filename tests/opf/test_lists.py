"""Shared list machinery: filters, sorting, pagination and HTMX partials."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.deployment.factories import ProcessAssetFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import PublishedLessonFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_htmx_request_gets_only_the_results_partial(people, client_as):
    ProjectFactory(name="Alpha")
    client = client_as(people.member)
    full = client.get("/projects/").content.decode()
    partial = client.get("/projects/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" in full and 'id="results"' in full
    assert "<html" not in partial and partial.strip().startswith('<section id="results"')
    assert "Alpha" in partial


def test_full_page_and_partial_say_they_vary_on_the_htmx_header(people, client_as):
    """Else the browser's back button may show a cached partial as a whole page."""
    client = client_as(people.member)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get("/projects/", **headers)
        vary = [v.strip().lower() for v in response.get("Vary", "").split(",")]
        assert "hx-request" in vary


def test_search_filter_and_sort(people, client_as):
    ProjectFactory(name="Bravo", phase="execution")
    ProjectFactory(name="Alpha", phase="execution")
    ProjectFactory(name="Charlie", phase="planning")
    client = client_as(people.member)
    assert names(client.get("/projects/", {"phase": "execution", "sort": "name"})) == [
        "Alpha",
        "Bravo",
    ]
    assert names(client.get("/projects/", {"sort": "-name"})) == ["Charlie", "Bravo", "Alpha"]
    assert names(client.get("/projects/", {"q": "char"})) == ["Charlie"]


def test_pagination_keeps_filters(people, client_as):
    ProjectFactory.create_batch(30, phase="execution")
    client = client_as(people.member)
    first = client.get("/projects/", {"phase": "execution"})
    assert len(names(first)) == 25
    body = first.content.decode()
    assert "page=2" in body and "phase=execution" in body
    second = client.get("/projects/", {"phase": "execution", "page": 2})
    assert len(names(second)) == 5


def test_invalid_filter_value_is_reported_not_a_500(people, client_as):
    ProjectFactory()
    response = client_as(people.member).get(
        "/projects/", {"started_after": "not-a-date", "org_unit": "999999"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid date" in body
    assert "Select a valid choice" in body


def test_export_contains_what_the_filter_shows(people, client_as):
    ProjectFactory(name="Exported", phase="execution")
    ProjectFactory(name="Hidden", phase="planning")
    response = client_as(people.member).get("/projects/", {"phase": "execution", "_export": "csv"})
    assert response.streaming  # rows go out as they are read, not built in memory
    text = b"".join(response.streaming_content).decode()
    assert "Exported" in text and "Hidden" not in text
    assert response["Content-Disposition"].endswith('projects.csv"')


def test_exports_read_the_rows_in_chunks_in_the_table_order(people, client_as, settings):
    from openpyxl import load_workbook

    settings.OPF_EXPORT_CHUNK = 4
    for n in range(10):
        ProjectFactory(name=f"P{n:02d}", phase="execution")
    client = client_as(people.member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/projects/", {"_export": "csv", "sort": "-name"})
        lines = b"".join(response.streaming_content).decode().splitlines()
    names = [line.split(",")[0] for line in lines[1:]]
    assert names == [f"P{n:02d}" for n in range(9, -1, -1)]  # every row once, sorted
    # The projects are read through one cursor, their org units once per chunk read:
    # 10 rows in chunks of 4, three reads.
    unit_reads = [q for q in queries.captured_queries if 'FROM "opf_orgunit"' in q["sql"]]
    assert len(unit_reads) == 3
    if connection.vendor == "postgresql":
        assert any(q["sql"].startswith("DECLARE") for q in queries.captured_queries)
    workbook = client.get("/projects/", {"_export": "xlsx", "sort": "-name"})
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == names


def test_api_filters_and_orders_with_the_same_filterset(people, api_as):
    ProjectFactory(name="Bravo", phase="execution")
    ProjectFactory(name="Alpha", phase="execution")
    ProjectFactory(name="Charlie", phase="planning")
    api = api_as(people.member)
    body = api.get("/api/v1/projects/", {"phase": "execution", "ordering": "-name"}).json()
    assert [r["name"] for r in body["results"]] == ["Bravo", "Alpha"]
    assert body["count"] == 2
    assert api.get("/api/v1/projects/", {"started_after": "nope"}).status_code == 400
    paged = api.get("/api/v1/projects/", {"page_size": 1}).json()
    assert len(paged["results"]) == 1 and paged["next"]


def test_a_page_holds_at_most_the_page_size_limit_and_says_so(people, client_as, settings):
    """?per_page= is capped by OPF_MAX_PAGE_SIZE, the API's page_size limit too (#21)."""
    settings.OPF_MAX_PAGE_SIZE = 5
    ProjectFactory.create_batch(8)
    client = client_as(people.member)
    for asked in ("100000", "6"):
        page = client.get("/projects/", {"per_page": asked})
        assert page.status_code == 200 and len(names(page)) == 5
        assert "A page shows at most 5 rows" in page.content.decode()
    body = client.get("/projects/", {"per_page": "2"}).content.decode()
    assert "(at most 5 per page)" in body and "A page shows at most" not in body
    assert 'per_page=5"' in body  # the limit is offered, nothing above it
    assert len(names(client.get("/projects/", {"per_page": "-3"}))) == 1


def test_the_api_page_size_has_the_same_limit(people, api_as, settings):
    settings.OPF_MAX_PAGE_SIZE = 5
    ProjectFactory.create_batch(6)
    api = api_as(people.member)
    assert len(api.get("/api/v1/projects/", {"page_size": 5}).json()["results"]) == 5
    refused = api.get("/api/v1/projects/", {"page_size": 6})
    assert refused.status_code == 400
    assert field_errors(refused)["page_size"] == ["Give a whole number from 1 to 5."]


LONG = "x" * 50_000  # SQLite refuses a LIKE pattern this long: a server error, unless capped


def test_a_search_term_too_long_is_a_field_error_not_a_500(people, client_as, settings):
    """Every free-text filter is capped at OPF_MAX_SEARCH_LENGTH, in pages (#21)."""
    ProjectFactory(name="Alpha")
    PublishedLessonFactory(asset=ProcessAssetFactory(tags="a"), tags="a")
    client = client_as(people.member)
    for url, field in (("/lessons/", "q"), ("/assets/", "tag"), ("/lessons/", "tag")):
        page = client.get(url, {field: LONG})
        assert page.status_code == 200, url
        body = page.content.decode()
        assert "Search for at most 200 characters (this is 50000)." in body, url
        assert "Some filters are not valid" in body
    settings.OPF_MAX_SEARCH_LENGTH = 5
    assert names(client.get("/projects/", {"q": "alpha"})) == ["Alpha"]
    assert names(client.get("/projects/", {"q": "alpha!"})) == []
    assert 'maxlength="5"' in client.get("/projects/").content.decode()


def test_the_api_refuses_a_search_term_too_long_with_the_parameter_named(people, api_as):
    PublishedLessonFactory(asset=ProcessAssetFactory(tags="a"), tags="a")
    api = api_as(people.member)
    for url, field in (("/api/v1/lessons/", "q"), ("/api/v1/assets/", "tag")):
        refused = api.get(url, {field: LONG})
        assert refused.status_code == 400, url
        assert field_errors(refused)[field] == [
            "Search for at most 200 characters (this is 50000)."
        ]
    assert api.get("/api/v1/lessons/", {"q": "x" * 200}).status_code == 200
    assert api.get("/api/v1/lessons/", {"search": LONG}).status_code == 200  # not a filter: unread


def test_the_manager_filter_offers_each_manager_once_by_username(people):
    """Only people who manage a project, each once however many projects they manage,
    by username: an ``EXISTS`` per user (``users_with``), not ``DISTINCT`` over a join
    with every project, whose cost grew with the projects."""
    from opf.organization.filters import ProjectFilterSet

    ProjectFactory.create_batch(3, manager=people.pm)
    ProjectFactory(manager=people.other_pm)
    ProjectFactory(manager=None)
    field = ProjectFilterSet().form.fields["manager"]
    offered = list(field.queryset)
    assert offered == sorted({people.pm, people.other_pm}, key=lambda user: user.username)
    assert "DISTINCT" not in str(field.queryset.query)
