"""The dashboard's figures are cached until the data next changes (opf.core.freshness):
a second look reads the cache, and no way of writing leaves a stale figure behind — a
page's POST, an API write, a save, an ``update()`` in a request or in a Celery task."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lessons.models import NonCompliance
from opf.core import freshness
from opf.tasks import sweep_webhooks
from tests.lessons.factories import NonComplianceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_cache_on")]


@pytest.fixture
def _cache_on():
    with override_settings(OPF_FIGURES_CACHE_SECONDS=300):
        freshness.bump()
        yield


def open_ncs(api) -> int:
    response = api.get("/api/v1/dashboard/")
    assert response.status_code == 200, response.content[:300]
    items = response.json()["panels"]["headline"]["items"]
    return next(i for i in items if i["slug"] == "open-non-compliances")["value"]


def queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_a_second_look_reads_the_cache_and_shows_the_same(people, api_as):
    NonComplianceFactory()
    api = api_as(people.executive)
    first = api.get("/api/v1/dashboard/").json()
    cached = queries(lambda: api.get("/api/v1/dashboard/"))
    freshness.bump()
    computed = queries(lambda: api.get("/api/v1/dashboard/"))
    assert api.get("/api/v1/dashboard/").json() == first
    # Computing reads every panel (dozens of queries); the cache leaves only the
    # request's own (the token, the user, the filter's units).
    assert computed > 40
    assert cached < 10


def test_a_save_shows_at_once(people, api_as):
    api = api_as(people.executive)
    NonComplianceFactory()
    assert open_ncs(api) == 1
    NonComplianceFactory()  # post_save
    assert open_ncs(api) == 2


def test_an_update_in_a_request_shows_at_once(people, api_as, client_as):
    """A write with ``QuerySet.update()`` sends no signal: the request that made it
    moves the generation when it has answered."""
    api = api_as(people.executive)
    kept = NonComplianceFactory()
    assert open_ncs(api) == 1
    before = freshness.generation()

    NonCompliance.objects.filter(pk=kept.pk).update(state="closed")  # no signal
    assert freshness.generation() == before  # (so the next read would be stale...)
    # ...but every write reaches the data inside a request, whose answer bumps it:
    client_as(people.epg).post("/notifications/read/")  # mark_read: update()
    assert freshness.generation() > before
    assert open_ncs(api) == 0


def test_a_celery_task_moves_the_generation_when_it_has_run(people):
    before = freshness.generation()
    sweep_webhooks.apply()  # run here, as a worker runs it (its signals included)
    assert freshness.generation() > before


def test_without_a_shared_cache_nothing_is_cached(people, api_as):
    api = api_as(people.executive)
    with override_settings(OPF_FIGURES_CACHE_SECONDS=0):
        api.get("/api/v1/dashboard/")
        assert queries(lambda: api.get("/api/v1/dashboard/")) > 40


def test_the_page_keeps_its_drawn_panels_until_the_data_changes(people, client_as):
    client = client_as(people.executive)
    NonComplianceFactory(title="First")
    page = client.get("/dashboard/").content.decode()
    assert queries(lambda: client.get("/dashboard/")) < 15  # drawn panels from the cache
    partial = client.get("/dashboard/", headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="panels"') and "<html" not in partial
    assert partial in page
    NonComplianceFactory(title="Second")
    again = client.get("/dashboard/").content.decode()
    assert again != page
    figure = re.compile(r'id="headline-open-non-compliances".*?headline-value">(\d+)', re.S)
    assert [m.group(1) for m in (figure.search(page), figure.search(again))] == ["1", "2"]


def test_a_lists_total_is_counted_again_only_after_a_write(people, api_as):
    """The API's ``count`` (an exact COUNT over the whole table) is kept per query until
    the data changes; a row written shows in it at once."""
    NonComplianceFactory.create_batch(3)
    api = api_as(people.epg)

    def total() -> int:
        response = api.get("/api/v1/non-compliances/")
        assert response.status_code == 200
        return response.json()["count"]

    first = total()
    assert first == NonCompliance.objects.count()
    assert queries(total) < queries(lambda: (freshness.bump(), total()))
    NonComplianceFactory()
    assert total() == first + 1
