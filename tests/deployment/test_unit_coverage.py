"""``queries.unit_coverage`` (the dashboard's deployment panel) counts in the
database exactly what ``queries.coverage`` computes from its matrix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment import dashboard, queries, services
from deployment.models import ProjectCoverage, ProjectDeployment
from opf.organization.scope import DashboardFilter
from tests.deployment.factories import (
    AssetVersionFactory,
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
    StandardProcessSetFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def deploy(project, version, state: str = "not_started", days_quiet: int = 0) -> None:
    deployment = ProjectDeploymentFactory(project=project, asset_version=version, state=state)
    if days_quiet:
        ProjectDeployment.objects.filter(pk=deployment.pk).update(
            updated_at=timezone.now() - timedelta(days=days_quiet)
        )


@pytest.fixture
def program(people):
    """Two units (one inside the other) and an inactive one, three assets, every
    kind of cell: current, outdated, waived (current or only older), none, stale."""
    top = OrgUnitFactory(name="Engineering")
    child = OrgUnitFactory(name="Avionics", parent=top)
    other = OrgUnitFactory(name="Sales")
    gone = OrgUnitFactory(name="Closed unit", parent=other, active=False)
    assets = [ProcessAssetFactory(name=f"Asset {n}") for n in "ABC"]
    old = [AssetVersionFactory(asset=a, number="1", state="superseded") for a in assets]
    older = AssetVersionFactory(asset=assets[0], number="0", state="superseded")
    new = [ReleasedVersionFactory(asset=a, number="2") for a in assets]
    p = {
        name: ProjectFactory(name=name, org_unit=unit, manager=people.pm)
        for name, unit in [
            ("P1", top),
            ("P2", top),
            ("P3", child),
            ("P4", child),
            ("P5", other),
            ("P6", gone),
        ]
    }
    ProjectFactory(name="Inactive", org_unit=top, active=False)
    deploy(p["P1"], new[0])
    deploy(p["P1"], old[1], days_quiet=60)  # outdated, stale
    deploy(p["P1"], new[2], state="waived", days_quiet=60)  # waived: never stale
    deploy(p["P2"], old[0], state="waived")
    deploy(p["P2"], older, state="waived")  # only waived older ones: waived
    deploy(p["P2"], new[1], days_quiet=60)  # current, stale
    deploy(p["P2"], old[2], state="verified", days_quiet=60)  # outdated, closed: not stale
    deploy(p["P3"], old[0], state="waived")
    deploy(p["P3"], new[0], state="in_use", days_quiet=60)  # current wins over waived old
    deploy(p["P3"], new[1], state="verified", days_quiet=60)
    deploy(p["P4"], old[0], state="in_use")
    deploy(p["P5"], new[0])
    deploy(p["P5"], new[1], days_quiet=60)
    deploy(p["P6"], new[2], state="training", days_quiet=60)
    return {"top": top, "child": child, "other": other, "new": new, **p}


def expected(user, **kwargs) -> tuple[list[tuple], int, list[tuple]]:
    matrix = queries.coverage(user, **kwargs)
    units = [(u.unit.pk, u.projects, u.current, u.applicable, u.percent) for u in matrix.units]
    stale = [(row.project.pk, n) for row in matrix.rows if (n := sum(c.stale for c in row.cells))]
    return units, matrix.totals["stale"], stale


def actual(user, **kwargs) -> tuple[list[tuple], int, list[tuple]]:
    summary = queries.unit_coverage(user, stale_shown=100, **kwargs)
    units = [(u.unit.pk, u.projects, u.current, u.applicable, u.percent) for u in summary.units]
    return units, summary.stale_total, [(s.project_id, s.count) for s in summary.stale]


def test_figures_match_the_matrix(people, program):
    units, stale_total, stale = actual(people.epg)
    assert (units, stale_total, stale) == expected(people.epg)
    by_unit = {pk: rest for pk, *rest in units}
    # Engineering: P1 (1 current, 1 waived), P2 (1 current, 1 waived), P3 (2), P4 (0).
    assert by_unit[program["top"].pk] == [4, 4, 10, 40]
    # Stale: P1's outdated A... B, P2's current B, P3's current A (its B is verified:
    # closed), P5's B and P6's C (an inactive unit's active project still counts).
    assert stale_total == 5
    assert sorted(n for _pk, n in stale) == [1, 1, 1, 1, 1]
    assert {pk for pk, _n in stale} == {program[n].pk for n in ("P1", "P2", "P3", "P5", "P6")}


def test_figures_match_for_a_unit_a_manager_a_standard_set_and_no_columns(people, program):
    for kwargs in ({"unit": program["child"]}, {"unit": program["other"]}, {"days": 90}):
        assert actual(people.epg, **kwargs) == expected(people.epg, **kwargs)
    program["P5"].manager = people.epg
    program["P5"].save()
    assert actual(people.pm) == expected(people.pm)
    standard_set = StandardProcessSetFactory()
    standard_set.asset_versions.set([program["new"][1]])
    services.standard_set_submit(standard_set, actor=people.epg)
    services.standard_set_approve(standard_set, actor=people.executive)
    services.standard_set_publish(standard_set, actor=people.epg)
    summary = queries.unit_coverage(people.epg, only_set=True)
    assert summary.standard_set == standard_set
    assert actual(people.epg, only_set=True) == expected(people.epg, only_set=True)
    assert [u[3] for u in actual(people.epg, only_set=True)[0]] == [
        u.applicable for u in queries.coverage(people.epg, only_set=True).units
    ]
    from deployment.models import AssetVersion

    AssetVersion.objects.update(state="superseded")  # no columns at all
    assert actual(people.epg) == expected(people.epg)
    assert actual(people.epg)[0][0][3:] == (0, None)


def test_the_panel_shows_the_figures_of_the_matrix_in_a_fixed_number_of_queries(people, program):
    f = DashboardFilter(people.epg, None, date(2026, 1, 1), date(2026, 12, 31))
    dashboard.build_deployment(replace(f))  # warm the permission caches
    with CaptureQueriesContext(connection) as ctx:
        figures = dashboard.build_deployment(replace(f))  # as a new request
    small = len(ctx.captured_queries)
    units, stale_total, stale = expected(people.epg, only_set=True)
    assert [
        (u["projects"], u["current"], u["applicable"], u["percent"]) for u in figures["units"]
    ] == [tuple(u[1:]) for u in units]
    assert figures["stale_total"] == stale_total
    assert [row["count"] for row in figures["stale"]] == [n for _pk, n in stale]
    assert figures["stale"][0]["href"] == program["P1"].get_absolute_url()
    for n in range(12):
        project = ProjectFactory(
            name=f"More {n:02d}", org_unit=OrgUnitFactory(parent=program["top"])
        )
        for version in program["new"]:
            deploy(project, version, days_quiet=60)
    with CaptureQueriesContext(connection) as ctx:
        figures = dashboard.build_deployment(replace(f))
    assert len(ctx.captured_queries) == small
    assert len(figures["stale"]) == dashboard.STALE_SHOWN
    assert figures["stale_total"] == expected(people.epg, only_set=True)[1]


def test_the_counts_follow_every_write_and_the_clock(people, program):
    """Each project's cells are counted once and kept (``coverage_counts``): after each
    kind of write, and as time turns an open deployment stale, the figures are the
    matrix's again, and a write counts again only the projects it wrote."""

    def same() -> tuple[list[tuple], int, list[tuple]]:
        found = actual(people.epg)
        assert found == expected(people.epg)
        return found

    def rows() -> dict[int, int]:
        return dict(ProjectCoverage.objects.values_list("project_id", "pk"))

    same()
    counted = rows()
    assert set(counted) == {program[n].pk for n in ("P1", "P2", "P3", "P4", "P5", "P6")}

    # A workflow step (an update() that sends its own signal): P4 alone is counted again.
    in_use = ProjectDeployment.objects.get(project=program["P4"])
    services.deployment_verify(in_use, actor=people.epg)
    same()
    again = rows()
    assert {p for p in counted if again[p] != counted[p]} == {program["P4"].pk}

    # A save, a delete, and a plan's bulk insert.
    deploy(program["P4"], program["new"][1])
    assert same()[0][0][2] == 5  # Engineering: one more current cell
    ProjectDeployment.objects.get(project=program["P5"], asset_version=program["new"][1]).delete()
    same()
    plan = DeploymentPlanFactory()
    plan.asset_versions.set([program["new"][2]])
    plan.target_projects.set([program["P5"]])
    services.deployment_plan_submit(plan, actor=people.epg)
    services.deployment_plan_approve(plan, actor=people.executive)
    same()

    # A release: new columns, every project counted for them.
    newer = AssetVersionFactory(asset=program["new"][0].asset, number="3", state="approved")
    services.asset_version_release(newer, actor=people.epg)
    units, stale_total, _stale = same()
    assert units[0][2] == 3  # Engineering: A's cells (P1, P3) are outdated, B's stay

    # Time: a month on, the deployments written above are stale too (those still open).
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        later = same()
        assert later[1] > stale_total
    assert same()[1] == stale_total  # and with the clock back, they are not


def test_the_panel_shows_the_top_of_the_scope_and_the_level_below(people, program):
    """A chart of every unit of a big organization reads as noise: the panel shows the
    top units and their children (each counting its subtree); choosing a unit in the
    filter shows it and its children."""
    grandchild = OrgUnitFactory(name="Flight controls", parent=program["child"])
    deploy(ProjectFactory(name="P7", org_unit=grandchild, manager=people.pm), program["new"][0])
    whole = DashboardFilter(people.epg, None, date(2026, 1, 1), date(2026, 12, 31))
    names = [u["name"] for u in dashboard.build_deployment(whole)["units"]]
    assert names == ["Engineering", "Avionics", "Sales"]
    engineering = dashboard.build_deployment(whole)["units"][0]
    assert engineering["projects"] == 5  # P1 to P4 and P7, below Avionics
    avionics = replace(whole, org_unit=program["child"])
    shown = dashboard.build_deployment(avionics)["units"]
    assert [(u["name"], u["projects"]) for u in shown] == [("Avionics", 3), ("Flight controls", 1)]
