"""Coverage matrix, coverage per org unit, stale flags and the attention lists."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment import queries, services
from deployment.models import AssetVersion, ProcessAsset, ProjectDeployment
from opf.core.freshness import bump
from opf.organization.models import Project
from tests.deployment.factories import (
    AssetVersionFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
    StandardProcessSetFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(people):
    unit = OrgUnitFactory(name="Engineering")
    asset = ProcessAssetFactory(name="Peer review")
    old = AssetVersionFactory(asset=asset, number="1", state="superseded")
    new = ReleasedVersionFactory(asset=asset, number="2")
    projects = {
        name: ProjectFactory(name=name, org_unit=unit, manager=people.pm)
        for name in ("Current", "Outdated", "Waived", "Nothing")
    }
    ProjectDeploymentFactory(project=projects["Current"], asset_version=new)
    ProjectDeploymentFactory(project=projects["Outdated"], asset_version=old)
    ProjectDeploymentFactory(project=projects["Waived"], asset_version=new, state="waived")
    return {"unit": unit, "asset": asset, "old": old, "new": new, **projects}


def test_matrix_says_current_outdated_waived_or_none(people, program):
    matrix = queries.coverage(people.member)
    assert [v.pk for v in matrix.versions] == [program["new"].pk]
    cells = {row.project.name: row.cells[0].status for row in matrix.rows}
    assert cells == {
        "Current": "current",
        "Outdated": "outdated",
        "Waived": "waived",
        "Nothing": "none",
    }
    unit = next(u for u in matrix.units if u.unit == program["unit"])
    assert (unit.projects, unit.current, unit.applicable, unit.percent) == (4, 1, 3, 33)


def test_coverage_rolls_up_to_parent_units(people, program):
    child = OrgUnitFactory(name="Avionics", parent=program["unit"])
    ProjectDeploymentFactory(project=ProjectFactory(org_unit=child), asset_version=program["new"])
    matrix = queries.coverage(people.member)
    by_unit = {u.unit.name: u for u in matrix.units}
    assert by_unit["Avionics"].percent == 100
    assert (by_unit["Engineering"].current, by_unit["Engineering"].applicable) == (2, 4)
    only_child = queries.coverage(people.member, unit=child)
    assert [r.project.org_unit for r in only_child.rows] == [child]


def test_stale_deployments_are_flagged_after_the_configured_days(people, program, settings):
    ProjectDeployment.objects.filter(project=program["Current"]).update(
        updated_at=timezone.now() - timedelta(days=10)
    )
    settings.OPF_DEPLOYMENT_STALE_DAYS = 30
    assert queries.coverage(people.member).totals["stale"] == 0
    settings.OPF_DEPLOYMENT_STALE_DAYS = 7
    matrix = queries.coverage(people.member)
    assert matrix.totals["stale"] == 1
    assert next(r for r in matrix.rows if r.project.name == "Current").cells[0].stale
    page = pytest.importorskip("django.test").Client()
    page.force_login(people.epg)
    assert "Current" in page.get("/deployment-attention/").content.decode()


def test_a_bad_stale_days_setting_fails_loudly(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.OPF_DEPLOYMENT_STALE_DAYS = "soon"
    with pytest.raises(ImproperlyConfigured):
        queries.stale_days()


def test_attention_lists_startups_without_the_set_and_projects_on_superseded_versions(
    people, program, client_as
):
    standard_set = StandardProcessSetFactory()
    standard_set.asset_versions.set([program["new"]])
    services.standard_set_submit(standard_set, actor=people.epg)
    services.standard_set_approve(standard_set, actor=people.executive)
    services.standard_set_publish(standard_set, actor=people.epg)
    Project.objects.update(phase="execution")
    Project.objects.filter(name__in=["Current", "Nothing"]).update(phase="startup")
    current_set, startups = queries.startups_without_set(people.epg)
    assert current_set == standard_set
    assert [m.project.name for m in startups] == ["Nothing"]
    assert [d.project.name for d in queries.on_superseded_versions(people.epg)] == ["Outdated"]
    page = client_as(people.epg).get("/deployment-attention/").content.decode()
    assert "Nothing" in page and "Outdated" in page


def test_coverage_page_renders_with_filters(people, program, client_as):
    client = client_as(people.executive)
    response = client.get("/coverage/", {"unit": program["unit"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "33 %" in html and program["asset"].code in html
    # a heat map: asset names head the columns, each cell says its status in words
    assert f'class="asset"><a href="{program["new"].get_absolute_url()}"' in html
    assert f">{program['asset'].name}</a>" in html
    assert re.search(
        r'<td class="heat heat-current state-[a-z_]+"><span class="badge">current', html
    )
    assert re.search(
        r'<td class="heat heat-outdated state-[a-z_]+"><span class="badge">outdated', html
    )
    assert (
        html.count('<td class="heat heat-none state-none"><span class="badge">none</span></td>')
        == 1
    )
    assert 'id="heat-legend"' in html and 'role="region" tabindex="0"' in html
    assert client.get("/coverage/", {"unit": "nope"}).status_code == 200  # ignored, not a 500


def test_coverage_rows_are_paginated_keeping_the_filters(people, program, client_as):
    from deployment.coverage_page import COVERAGE_PAGE_SIZE

    build(COVERAGE_PAGE_SIZE, 1, program["unit"])  # 54 projects in the unit
    client = client_as(people.executive)
    first = client.get("/coverage/", {"unit": program["unit"].pk}).content.decode()
    assert first.count('<tr><th scope="row"><a href="/projects/') == COVERAGE_PAGE_SIZE
    assert f"page=2&amp;unit={program['unit'].pk}" in first or (
        f"unit={program['unit'].pk}&amp;page=2" in first
    )
    assert "Page 1 of 2" in first
    second = client.get("/coverage/", {"unit": program["unit"].pk, "page": 2}).content.decode()
    assert second.count('<tr><th scope="row"><a href="/projects/') == 4
    assert client.get("/coverage/", {"page": "last"}).status_code == 200
    assert client.get("/coverage/", {"page": "nope"}).status_code == 200
    # the tiles count every project, not just the page
    assert ">54</span><span>projects<" in first.replace("\n", "")


# --- query counts and the 500 x 40 benchmark --------------------------------------


def build(projects: int, assets: int, unit) -> None:
    """``projects`` x ``assets`` with a deployment on 3 of every 4 cells (bulk, fast)."""
    start = ProcessAsset.objects.count()
    made = ProcessAsset.objects.bulk_create(
        ProcessAsset(name=f"Bench asset {start + i}", code=f"bench-{start + i}", kind="procedure")
        for i in range(assets)
    )
    versions = AssetVersion.objects.bulk_create(
        AssetVersion(
            asset=a, number="1", change_summary="x", link="https://x.example/", state="released"
        )
        for a in made
    )
    first = Project.objects.count()
    rows = Project.objects.bulk_create(
        Project(
            name=f"Bench project {first + i}",
            code=f"bench-{first + i}",
            org_unit=unit,
            start_date=date(2026, 1, 1),
        )
        for i in range(projects)
    )
    states = [s for s, _label in ProjectDeployment.State.choices]
    ProjectDeployment.objects.bulk_create(
        ProjectDeployment(project=p, asset_version=v, state=states[(i + j) % len(states)])
        for i, p in enumerate(rows)
        for j, v in enumerate(versions)
        if (i + j) % 4
    )
    bump()  # bulk inserts send no signal: as the bulk loading commands do


def render_coverage(client) -> tuple[int, float, int]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get("/coverage/")
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return len(ctx.captured_queries), elapsed, len(response.content)


@pytest.mark.usefixtures("uncached_figures")
def test_coverage_and_attention_queries_do_not_grow(people, client_as):
    client = client_as(people.epg)
    unit = OrgUnitFactory()
    build(3, 2, unit)
    small, _seconds, _size = render_coverage(client)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/deployment-attention/").status_code == 200
    attention_small = len(ctx.captured_queries)
    build(20, 6, unit)
    assert render_coverage(client)[0] == small
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/deployment-attention/").status_code == 200
    assert len(ctx.captured_queries) == attention_small


@pytest.mark.usefixtures("uncached_figures")
def test_benchmark_coverage_matrix_at_500_projects_by_40_assets(people, client_as, capsys):
    """The issue's benchmark: a fixed number of queries at 500 x 40 (a page of 50 rows
    with the figures of all 500), render time printed."""
    client = client_as(people.epg)
    unit = OrgUnitFactory()
    build(2, 2, unit)
    small, _seconds, _size = render_coverage(client)
    build(498, 38, unit)
    assert Project.objects.count() == 500 and ProcessAsset.objects.count() == 40
    queries_big, seconds, size = render_coverage(client)
    assert queries_big == small
    assert size < 300 * 1024  # one page of rows, not the whole matrix
    with capsys.disabled():
        print(
            f"\ncoverage matrix 500 projects x 40 assets (a page of rows): {queries_big} queries, "
            f"{seconds:.2f} s, {size // 1024} KiB of HTML"
        )
    assert seconds < 30  # a guard against a pathological regression, not a target


def test_coverage_columns_are_paged_so_a_page_holds_a_bounded_number_of_cells(people, client_as):
    from deployment.coverage_page import COVERAGE_COLUMNS

    unit = OrgUnitFactory()
    build(2, COVERAGE_COLUMNS + 3, unit)
    client = client_as(people.executive)
    first = client.get("/coverage/").content.decode()
    assert first.count('<th scope="col" class="asset">') == COVERAGE_COLUMNS
    assert f"Assets 1 to {COVERAGE_COLUMNS} of {COVERAGE_COLUMNS + 3}" in first
    assert "assets=2" in first
    second = client.get("/coverage/", {"assets": 2}).content.decode()
    assert second.count('<th scope="col" class="asset">') == 3
    assert second.count('<td class="heat') == 2 * 3
    # the tiles still count every asset's cells, not only this page's columns
    tiles = dict(
        (label, int(n))
        for n, label in re.findall(r'class="num">(\d+)</span><span>([a-z ]+)<', second)
    )
    assert tiles["current"] + tiles["not current"] + tiles["waived"] == 2 * (COVERAGE_COLUMNS + 3)
