"""``unit_counts`` (the coverage kept per org unit, for the dashboard of someone who sees
every project) gives exactly what ``queries.unit_coverage`` counts per project, after
every kind of write, at once, and as time turns deployments stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deployment import coverage_counts, dashboard, queries, services, unit_counts
from deployment.models import CoverageWrite, ProjectDeployment, UnitCoverageCount
from opf.organization.scope import DashboardFilter
from tests.deployment.factories import AssetVersionFactory
from tests.deployment.test_unit_coverage import deploy, program  # noqa: F401 (fixture)
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def figures(summary: queries.UnitSummary) -> tuple[list[tuple], int, list[tuple]]:
    units = [(u.unit.name, u.projects, u.current, u.applicable, u.percent) for u in summary.units]
    return units, summary.stale_total, [(s.name, s.count) for s in summary.stale]


def kept(**kwargs) -> tuple[list[tuple], int, list[tuple]]:
    return figures(unit_counts.unit_coverage(**{"stale_shown": 100, **kwargs}))


def per_project(user, **kwargs) -> tuple[list[tuple], int, list[tuple]]:
    kwargs = {"stale_shown": 100, **kwargs}
    return figures(queries.unit_coverage(user, only_set=True, **kwargs))


def same(people, **kwargs) -> tuple[list[tuple], int, list[tuple]]:
    found = kept(**kwargs)
    assert found == per_project(people.epg, **kwargs)
    return found


def rows() -> dict[int, int]:
    return dict(UnitCoverageCount.objects.values_list("org_unit_id", "pk"))


def test_the_kept_counts_are_the_per_project_counts(people, program):  # noqa: F811
    units, stale_total, stale = same(people)
    # Engineering: P1 (1 current, 1 waived), P2 (1 current, 1 waived), P3 (2), P4 (0)
    # of 3 assets: 4 current of 10 applicable; Avionics: P3, P4; Sales: P5 and, in
    # the inactive unit below it, P6.
    assert units == [
        ("Engineering", 4, 4, 10, 40),
        ("Avionics", 2, 2, 6, 33),
        ("Sales", 2, 3, 6, 50),  # P5's A and B, P6's C
    ]
    assert stale_total == 5
    assert stale == [("P1", 1), ("P2", 1), ("P3", 1), ("P5", 1), ("P6", 1)]  # path, name
    for unit in (program["top"], program["child"], program["other"]):
        same(people, unit=unit)
        same(people, unit=unit, levels=1)
    same(people, days=90)
    assert same(people, levels=2)[0] == units
    # The first stale projects shown: those of the first units with stale projects.
    assert kept(stale_shown=2)[2] == [("P1", 1), ("P2", 1)]
    assert kept(stale_shown=3)[2] == per_project(people.epg, stale_shown=3)[2]
    assert kept(stale_shown=0)[2] == []


def test_a_write_shows_at_once_and_counts_again_only_its_unit(people, program):  # noqa: F811
    same(people)
    counted = rows()
    # A workflow step (an update() that sends its own signal): Avionics (P4) alone.
    services.deployment_verify(
        ProjectDeployment.objects.get(project=program["P4"]), actor=people.epg
    )
    same(people)
    again = rows()
    assert {u for u in counted if again[u] != counted[u]} == {program["child"].pk}
    # A save, inside the writer's transaction and after it.
    with transaction.atomic():
        deploy(program["P4"], program["new"][1])
        assert same(people)[0][1] == ("Avionics", 2, 3, 6, 50)
    assert same(people)[0][0] == ("Engineering", 4, 5, 10, 50)
    # A delete, and a plan's bulk insert (its ``forget``).
    ProjectDeployment.objects.get(project=program["P5"], asset_version=program["new"][1]).delete()
    assert same(people)[0][2] == ("Sales", 2, 2, 6, 33)
    coverage_counts.forget([program["P5"].pk])
    same(people)
    # A release: new columns, every unit counted for them (the old rows dropped).
    newer = AssetVersionFactory(asset=program["new"][0].asset, number="3", state="approved")
    services.asset_version_release(newer, actor=people.epg)
    assert same(people)[0][0][2] == 3  # A's cells of P1 and P3 are outdated now
    assert UnitCoverageCount.objects.values("columns").distinct().count() == 1


def test_a_project_moving_or_closing_shows_at_once(people, program):  # noqa: F811
    same(people)
    p5 = program["P5"]
    p5.org_unit = program["child"]  # from Sales to Avionics
    p5.save()
    units = same(people)[0]
    assert units[1] == ("Avionics", 3, 4, 9, 44)
    assert units[2] == ("Sales", 1, 1, 3, 33)  # P6 alone
    program["P1"].active = False
    program["P1"].save()
    assert same(people)[0][0] == ("Engineering", 4, 5, 11, 45)  # P2, P3, P4, P5
    ProjectFactory(name="P8", org_unit=program["other"])  # no deployments
    assert same(people)[0][2] == ("Sales", 2, 1, 6, 17)
    program["P2"].delete()
    assert same(people)[0][0] == ("Engineering", 3, 4, 9, 44)
    # A new unit with its project.
    deploy(ProjectFactory(name="P9", org_unit=OrgUnitFactory(name="Radar")), program["new"][0])
    assert same(people)[0][-1] == ("Radar", 1, 1, 3, 33)


def test_a_count_read_before_a_write_committed_is_dropped_by_its_stamp(people, program):  # noqa: F811
    """A read that counted a unit while a write was under way (the write not committed
    yet) keeps the stamp it read; the writer's stamp moves in its transaction, so the
    row is outdated once it commits, without waiting for any expiry."""
    same(people)
    child = program["child"]
    # As if counted before the verification below committed: another figure.
    UnitCoverageCount.objects.filter(org_unit=child).update(current=0)
    assert kept()[0][1] == ("Avionics", 2, 0, 6, 0)  # held: its stamp has not moved
    written = CoverageWrite.objects.get(org_unit=child).written
    coverage_counts.mark_written([program["P3"].pk])  # what the write's signal does
    assert CoverageWrite.objects.get(org_unit=child).written == written + 1
    assert same(people)[0][1] == ("Avionics", 2, 2, 6, 33)


def test_time_turns_deployments_stale_and_the_clock_back(people, program):  # noqa: F811
    stale_total = same(people)[1]
    deploy(program["P4"], program["new"][2])  # open, updated now
    assert same(people)[1] == stale_total
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert same(people)[1] > stale_total
    assert same(people)[1] == stale_total


def test_a_fixed_number_of_queries_whatever_the_data(people, program):  # noqa: F811
    same(people)
    with CaptureQueriesContext(connection) as ctx:
        kept()
    small = len(ctx.captured_queries)
    assert small == 6
    for n in range(12):
        unit = OrgUnitFactory(parent=program["top"])
        for k in range(2):
            project = ProjectFactory(name=f"More {n:02d}{k}", org_unit=unit)
            for version in program["new"]:
                deploy(project, version, days_quiet=60)
    same(people)
    with CaptureQueriesContext(connection) as ctx:
        kept()
    assert len(ctx.captured_queries) == small


def test_only_who_sees_every_project_reads_the_kept_counts(people, program):  # noqa: F811
    """The projects' view is granted on all of them or on none: who sees none (an
    account switched off) gets the per-project read, which finds none."""
    assert unit_counts.sees_every_project(people.epg)
    assert unit_counts.sees_every_project(people.member)
    nobody = UserFactory(is_active=False)
    assert not unit_counts.sees_every_project(nobody)
    f = DashboardFilter(nobody, None, date(2026, 1, 1), date(2026, 12, 31))
    assert dashboard.build_deployment(replace(f))["units"] == []
    assert not UnitCoverageCount.objects.exists()  # the per-project read
    whole = dashboard.build_deployment(replace(f, user=people.epg))
    assert UnitCoverageCount.objects.exists()
    assert [u["projects"] for u in whole["units"]] == [4, 2, 2]
    # The top units: Engineering 4 of 10, Sales 3 of 6: 7 of 16.
    assert dashboard.coverage_figure(replace(f, user=people.epg))["value"] == 44
