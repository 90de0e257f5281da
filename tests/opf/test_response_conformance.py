"""Every API answer the suite gets conforms to the served schema (#22): the check
(tests/conformance.py, a middleware in the test settings) catches one that does not."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.actions.factories import ImprovementFactory
from tests.conformance import problems, take_mismatches

pytestmark = pytest.mark.django_db


def test_the_check_runs_on_every_request_of_the_suite():
    assert settings.MIDDLEWARE[0] == "tests.conformance.ConformanceMiddleware"


@pytest.mark.urls("tests.opf.conformance_urls")
def test_an_answer_that_breaks_the_schema_is_reported(people, api_as):
    api = api_as(people.epg)
    assert api.get("/api/v1/improvements/7/").status_code == 200
    found = take_mismatches()
    assert found, "the wrong body was not reported"
    assert all(f.startswith("GET /api/v1/improvements/{id}/ -> 200") for f in found)
    assert any("at /id: 'seven' is not of type 'integer'" in f for f in found), found
    assert any("'title' is a required property" in f for f in found), found

    assert api.get("/api/v1/improvements/").status_code == 418
    (undocumented,) = take_mismatches()
    assert undocumented.startswith("GET /api/v1/improvements/ -> 418: status not documented")


@pytest.mark.urls("tests.opf.conformance_urls")
def test_the_django_client_is_checked_too(people, client_as):
    client = client_as(people.epg)
    assert client.get("/api/v1/improvements/7/").status_code == 200
    assert any("'seven' is not of type 'integer'" in f for f in take_mismatches())


def test_real_answers_conform_and_are_not_reported(people, api_as):
    improvement = ImprovementFactory()
    api = api_as(people.epg)
    read = api.get(f"/api/v1/improvements/{improvement.pk}/")
    assert read.status_code == 200
    stale = api.patch(
        f"/api/v1/improvements/{improvement.pk}/",
        {"title": "Changed"},
        format="json",
        HTTP_IF_MATCH=f'"{improvement.pk}-999"',
    )
    assert stale.status_code == 412
    assert (
        api.get(
            f"/api/v1/improvements/{improvement.pk}/", HTTP_IF_NONE_MATCH=read["ETag"]
        ).status_code
        == 304
    )
    assert take_mismatches() == []
    # the same answers, checked directly, conform; a body changed by hand does not
    assert problems("GET", f"/api/v1/improvements/{improvement.pk}/", read) == []
    assert problems("PATCH", f"/api/v1/improvements/{improvement.pk}/", stale) == []
    stale.content = b'{"type": "urn:opf:problem:stale"}'
    found = problems("PATCH", f"/api/v1/improvements/{improvement.pk}/", stale)
    assert any("'title' is a required property" in f for f in found), found
