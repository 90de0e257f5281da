"""The global search (``opf.core.search``): every kind by title, code or statement,
only what the user may view, a bounded number per kind in a constant number of queries,
on the page (``/search/``) and in the API (``/api/v1/search/``)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opf.core.search import LIMIT, kinds
from tests.actions.factories import ProcessActionPlanFactory
from tests.appraisals.factories import FindingFactory
from tests.factories import PracticeFactory, ProcessAreaFactory, ProjectFactory, UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    area = ProcessAreaFactory(abbreviation="QPX", name="Quality pixels")
    practice = PracticeFactory(
        goal__process_area=area, code="SP 7.3", name="Calibrate the estimates"
    )
    finding = FindingFactory(
        statement="Estimates are expert guesses without historical data",
        process_area=area,
        practice=practice,
    )
    finding.appraisal.process_areas.add(area)
    plan = ProcessActionPlanFactory(title="Calibrated estimation rollout")
    project = ProjectFactory(name="Flight Management System", code="FMS-7")
    return {"finding": finding, "plan": plan, "project": project, "practice": practice}


def found(client, query: str) -> dict[str, list[str]]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return {
        str(group.kind.label): [hit.url for hit in group.hits]
        for group in response.context["groups"]
    }


def test_every_feature_declares_its_records():
    labels = {kind.slug for kind in kinds()}
    for slug in (
        "opf.project",
        "opf.practice",
        "appraisals.finding",
        "actions.processactionplan",
        "deployment.processasset",
        "lessons.noncompliance",
        "lessons.lesson",
    ):
        assert slug in labels


def test_finds_a_finding_a_plan_and_a_project_by_title(records, people, client_as):
    client = client_as(people.member)
    assert found(client, "expert guesses") == {"findings": [records["finding"].get_absolute_url()]}
    assert found(client, "calibrated ROLLOUT") == {
        "process action plans": [records["plan"].get_absolute_url()]
    }
    assert found(client, "flight management") == {
        "projects": [records["project"].get_absolute_url()]
    }


def test_finds_by_code(records, people, client_as):
    client = client_as(people.member)
    assert found(client, "fms-7") == {"projects": [records["project"].get_absolute_url()]}
    # "QPX SP 7.3": the practice by its area and code, and the finding recorded on it.
    by_code = found(client, "QPX SP 7.3")
    assert by_code["practices"] == [records["practice"].get_absolute_url()]
    assert by_code["findings"] == [records["finding"].get_absolute_url()]


def test_every_word_must_occur(records, people, client_as):
    client = client_as(people.member)
    assert "findings" in found(client, "historical guesses")
    assert found(client, "historical zebra") == {}


def test_the_page_links_each_record_and_says_what_it_found(records, people, client_as):
    response = client_as(people.member).get("/search/", {"q": "estimat"})
    html = response.content.decode()
    assert f'href="{records["finding"].get_absolute_url()}"' in html
    assert f'href="{records["plan"].get_absolute_url()}"' in html
    assert "QPX SP 7.3" in html  # the finding's context line
    # the practice, the finding and the plan, and the shipped CMMI-DEV practices about
    # estimates (PP's "Establish Estimates"…), as many as the search's own count says
    summary = re.search(r"(\d+) records found\.", html)
    total = sum(group.count for group in response.context["groups"])
    assert summary is not None and int(summary.group(1)) == total >= 3


def test_only_what_the_user_may_view(records, client_as):
    # Someone whose only right is to view projects (no role): the finding and the
    # plan stay hidden, on the page and in the API.
    reader = UserFactory()
    reader.groups.clear()
    reader.user_permissions.add(Permission.objects.get(codename="view_project"))
    client = client_as(reader)
    assert found(client, "FMS-7") == {"projects": [records["project"].get_absolute_url()]}
    assert found(client, "expert guesses") == {}
    assert found(client, "calibrated rollout") == {}


def test_archived_records_are_left_out(records, people, client_as):
    finding = records["finding"]
    type(finding).objects.filter(pk=finding.pk).update(archived_at=timezone.now())
    assert found(client_as(people.member), "expert guesses") == {}


def test_a_bounded_number_per_kind_with_the_count_of_all(people, client_as):
    ProjectFactory.create_batch(LIMIT + 3, name="Radar upgrade")
    response = client_as(people.member).get("/search/", {"q": "radar"})
    (group,) = response.context["groups"]
    assert group.count == LIMIT + 3
    assert len(group.hits) == LIMIT
    assert "3 more: search the list" in response.content.decode()
    assert "/projects/?q=radar" in response.content.decode()


def test_queries_do_not_grow_with_the_rows(people, client_as):
    client = client_as(people.epg)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/search/", {"q": "radar"}).status_code == 200
        return len(ctx.captured_queries)

    ProjectFactory(name="Radar one")
    ProcessActionPlanFactory(title="Radar plan")
    few = queries()
    ProjectFactory.create_batch(12, name="Radar many")
    ProcessActionPlanFactory.create_batch(12, title="Radar plans")
    assert queries() == few


def test_a_code_match_comes_first(people, client_as):
    ProjectFactory(name="Uses ABC-1 parts", code="XYZ-9")
    exact = ProjectFactory(name="Something else", code="ABC-1")
    response = client_as(people.member).get("/search/", {"q": "abc-1"})
    (group,) = response.context["groups"]
    assert group.hits[0].record == exact


def test_typing_swaps_only_the_results(records, people, client_as, settings):
    """The search page's box asks with HTMX as one types: only the outcome comes back,
    errors included (the field's own message is in the page that was not swapped)."""
    client = client_as(people.member)
    page = client.get("/search/").content.decode()
    assert 'hx-target="#search-outcome"' in page and '<div id="search-outcome">' in page
    partial = client.get("/search/", {"q": "estimat"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="search-outcome">') and "<h1" not in html
    assert f'href="{records["plan"].get_absolute_url()}"' in html
    settings.OPF_MAX_SEARCH_LENGTH = 10
    refused = client.get("/search/", {"q": "x" * 11}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert 'role="alert">Search for at most 10 characters' in refused.content.decode()


def test_an_empty_query_explains_and_a_too_long_one_is_refused(people, client_as, settings):
    client = client_as(people.member)
    empty = client.get("/search/")
    assert empty.status_code == 200
    assert "Type a few words" in empty.content.decode()
    settings.OPF_MAX_SEARCH_LENGTH = 10
    long = client.get("/search/", {"q": "x" * 11})
    assert long.status_code == 400
    assert "Search for at most 10 characters (this is 11)." in long.content.decode()
    nul = client.get("/search/", {"q": "a\x00b"})
    assert nul.status_code == 400
    assert "Null characters are not allowed." in nul.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/search/", {"q": "radar"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_api_answers_the_same(records, people, api_as):
    response = api_as(people.member).get("/api/v1/search/", {"q": "FMS-7"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "FMS-7"
    (group,) = body["kinds"]
    assert group["kind"] == "opf.project"
    assert group["count"] == 1
    (hit,) = group["results"]
    assert hit["id"] == records["project"].pk
    assert hit["title"] == "Flight Management System"
    assert hit["web_url"].endswith(records["project"].get_absolute_url())
    assert hit["url"].endswith(f"/api/v1/projects/{records['project'].pk}/")


def test_the_api_refuses_a_too_long_query_and_strangers(people, api_as, settings):
    settings.OPF_MAX_SEARCH_LENGTH = 10
    response = api_as(people.member).get("/api/v1/search/", {"q": "x" * 11})
    assert response.status_code == 400
    assert "q" in field_errors(response)
    assert api_as(people.member).get("/api/v1/search/", {"q": "\x00"}).status_code == 400
    assert api_as(None).get("/api/v1/search/", {"q": "radar"}).status_code in (401, 403)


def test_the_api_is_in_the_schema(people, api_as):
    schema = api_as(people.member).get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert any(p["name"] == "q" for p in operation["parameters"])
