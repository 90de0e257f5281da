"""The dashboard's figures are cached until the tables they read change
(opf.core.freshness): a second look reads the cache, no way of writing leaves a stale
figure behind — a page's POST, an API write, a save, an ``update()``, raw SQL, a Celery
task — and a write computes again only the figures that read what it wrote."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment.models import UnitCoverageCount
from lessons.models import NonCompliance
from opf.core import freshness
from opf.core.health import Heartbeat
from opf.notifications.models import Notification
from opf.tasks import heartbeat
from tests.deployment.factories import ProjectDeploymentFactory, ReleasedVersionFactory
from tests.factories import ProjectFactory
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


def test_an_update_shows_at_once(people, api_as):
    """``QuerySet.update()`` sends no signal: the connection sees the statement."""
    api = api_as(people.executive)
    kept = NonComplianceFactory()
    assert open_ncs(api) == 1
    NonCompliance.objects.filter(pk=kept.pk).update(state="closed")
    assert open_ncs(api) == 0


def test_raw_sql_shows_at_once(people, api_as):
    api = api_as(people.executive)
    kept = NonComplianceFactory()
    assert open_ncs(api) == 1
    table = NonCompliance._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE "{table}" SET state = %s WHERE id = %s', ["closed", kept.pk])  # noqa: S608
    assert open_ncs(api) == 0


def test_a_request_moves_what_it_wrote_again_when_it_has_answered(people, client_as):
    """Once when the request next reads a figure (its own writes show at once), and
    again after its transaction has committed: a figure computed by someone else
    between the write and the commit read the old rows, and is not served."""
    table = Notification._meta.db_table
    Notification.objects.create(recipient=people.epg, kind="test", title="Hello")
    freshness.bump_if_written()
    before = freshness.stamp(table)
    response = client_as(people.epg).post("/notifications/read/")  # update()
    assert response.status_code in (200, 302)
    assert freshness.stamp(table) != before


def test_a_celery_task_moves_what_it_wrote_when_it_has_run(people):
    table = Heartbeat._meta.db_table
    freshness.bump_if_written()
    before = freshness.stamp(table)
    heartbeat.apply()  # run here, as a worker runs it (its signals included)
    assert freshness.stamp(table) != before


def test_a_write_keeps_the_figures_that_did_not_read_its_table(people, api_as):
    """Each panel is kept on its own: a write computes again only the panels that read
    the table written."""
    kept = NonComplianceFactory()
    api = api_as(people.executive)
    api.get("/api/v1/dashboard/")
    everything = queries(lambda: (freshness.bump(), api.get("/api/v1/dashboard/")))
    Heartbeat.objects.create(name="elsewhere", seen_at=timezone.now())  # read by no panel
    untouched = queries(lambda: api.get("/api/v1/dashboard/"))
    assert untouched < 10
    NonCompliance.objects.filter(pk=kept.pk).update(state="closed")  # one table
    after_a_write = queries(lambda: api.get("/api/v1/dashboard/"))
    # The compliance panel and the open non-compliances headline figure (each headline
    # figure is kept on its own), not the other panels or figures.
    assert untouched < after_a_write < everything / 2
    assert open_ncs(api) == 0


def test_a_write_while_a_figure_is_computed_makes_it_stale(people):
    """The tables' generations are read before computing: a write that lands meanwhile
    (another process's, announced when it commits) is not hidden by the new entry."""
    NonComplianceFactory()
    table = NonCompliance._meta.db_table
    calls = []

    def compute() -> int:
        calls.append(1)
        total = NonCompliance.objects.count()
        freshness.announce([table])  # someone else's write, committed meanwhile
        return total

    freshness.cached(("test", "meanwhile"), compute)
    freshness.cached(("test", "meanwhile"), compute)
    assert len(calls) == 2
    freshness.cached(("test", "meanwhile"), lambda: NonCompliance.objects.count())
    assert freshness.cached(("test", "meanwhile"), compute) == 1
    assert len(calls) == 2  # kept once nothing moved while it was computed


def test_a_figure_computed_around_another_reads_what_that_one_read(people):
    """The dashboard's page keeps its drawn panels around the panels' own entries: a
    panel served from the cache still ties the page to the tables it read."""
    NonComplianceFactory()
    inner = ("test", "inner")
    outer = ("test", "outer")

    def count() -> int:
        return NonCompliance.objects.count()

    freshness.cached(inner, count)
    assert freshness.cached(outer, lambda: freshness.cached(inner, count) * 10) == 10
    NonComplianceFactory()
    assert freshness.cached(outer, lambda: freshness.cached(inner, count) * 10) == 20


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


def test_counts_kept_by_their_readers_move_nothing_and_follow_their_sources(people, api_as):
    """The coverage figure keeps each org unit's counted cells in a table as it reads
    (``deployment.unit_counts``, a ``derived_table``): the look that wrote them is
    served from the cache next time, and a deployment written moves the figure."""
    version = ReleasedVersionFactory()
    ProjectDeploymentFactory(asset_version=version)
    bare = ProjectFactory()
    api = api_as(people.executive)

    def coverage() -> int:
        items = api.get("/api/v1/dashboard/").json()["panels"]["headline"]["items"]
        return next(i for i in items if i["slug"] == "coverage")["value"]

    assert coverage() == 50
    counted = UnitCoverageCount.objects.values_list("projects", flat=True)
    assert sum(counted) == 2  # counted while the figure was computed
    assert queries(lambda: api.get("/api/v1/dashboard/")) < 10
    ProjectDeploymentFactory(project=bare, asset_version=version)
    assert coverage() == 100
