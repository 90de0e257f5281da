"""The improvement funnel's stages (``deployment.dashboard.build_funnel``): worked out in
one PostgreSQL statement (``_stages_in_sql``) and, on SQLite, from the rows in Python
(``_stages_in_python``): the same counts and median days, on a worked example."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from statistics import median

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import improvement_stays
from actions.models import Improvement
from deployment import dashboard
from deployment.models import AssetVersion
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter
from tests.actions.factories import ImprovementFactory
from tests.appraisals.factories import FindingFactory
from tests.deployment.factories import ProcessAssetFactory, ReleasedVersionFactory
from tests.factories import OrgUnitFactory, ProcessAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the statement is PostgreSQL's"
)


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def history(improvement: Improvement, *steps: tuple[str, datetime]) -> None:
    """Replace ``improvement``'s history rows by (state, when) rows, in this order (rows
    at the same moment are ordered by their insertion, ``history_id``)."""
    row = improvement.history.first()
    improvement.history.all().delete()
    for state, when in steps:
        row.pk = None
        row.state, row.history_date = state, when
        row.save()
    improvement_stays.recount([improvement.pk])  # rows written as such send no signal


def released(area, *moments: datetime) -> None:
    asset = ProcessAssetFactory()
    asset.process_areas.add(area)
    for moment in moments:
        version = ReleasedVersionFactory(asset=asset)
        AssetVersion.objects.filter(pk=version.pk).update(released_at=moment)


@pytest.fixture
def example():
    """Seven improvements (days between the history rows in brackets):

    - one: candidate (2, the row again) (8 days and half a second), selected;
    - two (area A): candidate (4) selected (30) in action (30) implemented, A's asset
      released 10 days later: deployed;
    - three (area B): candidate (1) selected (8) implemented, B's release before it:
      implemented;
    - four: candidate (6) rejected (counted in no stage);
    - five: candidate and selected at the same moment (a stay of 0 days);
    - six: no history row (not counted);
    - seven: candidate (2) in action, and past the later stage (``effective`` below).
    """
    area_a, area_b = ProcessAreaFactory(), ProcessAreaFactory()
    released(area_a, aware(2026, 3, 16), aware(2026, 4, 1))
    released(area_b, aware(2026, 2, 1))
    one, two, three, four, five, six, seven = ImprovementFactory.create_batch(7)
    two.process_areas.add(area_a)
    three.process_areas.add(area_b)
    history(
        one,
        ("candidate", aware(2026, 1, 1)),
        ("candidate", aware(2026, 1, 3)),
        ("selected", aware(2026, 1, 11) + timedelta(microseconds=500_000)),
    )
    history(
        two,
        ("candidate", aware(2026, 1, 1)),
        ("selected", aware(2026, 1, 5)),
        ("in_action", aware(2026, 2, 4)),
        ("implemented", aware(2026, 3, 6)),
    )
    history(
        three,
        ("candidate", aware(2026, 2, 1)),
        ("selected", aware(2026, 2, 2)),
        ("implemented", aware(2026, 2, 10)),
    )
    history(four, ("candidate", aware(2026, 1, 1)), ("rejected", aware(2026, 1, 7)))
    history(five, ("candidate", aware(2026, 1, 1, 12)), ("selected", aware(2026, 1, 1, 12)))
    six.history.all().delete()
    improvement_stays.recount([six.pk])
    history(seven, ("candidate", aware(2026, 1, 1)), ("in_action", aware(2026, 1, 3)))
    return {
        n: i
        for n, i in zip(
            ("one", "two", "three", "four", "five", "six", "seven"),
            (one, two, three, four, five, six, seven),
            strict=True,
        )
    }


def stage_of(example, asked: list) -> dashboard.LaterStage:
    """A later stage that ``seven`` reached; ``asked`` records whom it was asked about."""
    seven = example["seven"].pk

    def reached(ids):
        asked.append(sorted(ids))
        return {pk for pk in ids if pk == seven}

    return dashboard.LaterStage("effective", "Effective", reached)


def figures(built: dict) -> dict:
    return {s["stage"]: (s["count"], s["median_days"]) for s in built["stages"]}


EXPECTED = {
    # candidate stays 0, 1, 2, 4, 6, 10 (and half a second): (2 + 4) / 2
    "candidate": (0, 3.0),
    "selected": (2, 19.0),  # one and five; stays 30 and 8
    "in_action": (0, 30.0),  # seven counts past it
    "implemented": (1, 10.0),  # three; two's 10 days to the release
    "deployed": (1, None),  # two
    "effective": (1, None),  # seven
}


def test_the_funnel_counts_and_median_days_of_the_worked_example(people, example):
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    assert figures(dashboard.build_funnel(f, stage_of(example, []))) == EXPECTED


def test_the_statement_and_the_rows_give_the_same_figures(people, example, monkeypatch):
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    later = stage_of(example, [])
    monkeypatch.setattr(dashboard, "_stages_in_sql", dashboard._stages_in_python)
    assert figures(dashboard.build_funnel(f, later)) == EXPECTED  # SQLite's way
    monkeypatch.undo()
    improvements = restrict(Improvement._default_manager.all(), people.executive)
    if connection.vendor == "postgresql":
        counts, stays = dashboard._stages_in_sql(improvements, later)
        python_counts, python_stays = dashboard._stages_in_python(improvements, later)
        assert {k: v for k, v in python_counts.items() if v} == counts
        # the SQL gives each stage's middle stays only: their median is the same
        assert {k: median(v) for k, v in stays.items()} == {
            k: median(v) for k, v in python_stays.items()
        }
        # one's candidate stay is exact to the microsecond: 10 days and half a second
        assert max(python_stays["candidate"]) == (10 * 86400 + 0.5) / 86400


@on_postgresql
def test_the_later_stage_is_asked_only_about_those_that_can_reach_it(people, example):
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    asked: list = []
    later = stage_of(example, asked)
    narrowed = dashboard.LaterStage(
        later.stage,
        later.label,
        later.reached,
        among=lambda qs: qs.exclude(pk=example["one"].pk),
    )
    assert figures(dashboard.build_funnel(f, narrowed)) == EXPECTED
    everyone = {i.pk for n, i in example.items() if n not in ("one", "six")}
    assert asked == [sorted(everyone)]  # six has no history, one is left out by ``among``
    asked.clear()
    nobody = dashboard.LaterStage(
        later.stage, later.label, later.reached, among=lambda qs: qs.none()
    )
    stages = figures(dashboard.build_funnel(f, nobody))
    assert asked == []  # not asked at all
    assert stages["effective"] == (0, None)
    assert stages["in_action"] == (1, 30.0)  # seven is back in action


@on_postgresql
def test_one_statement_whatever_the_number_of_improvements(people, example):
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    dashboard.build_funnel(f)  # the user's permissions read once
    with CaptureQueriesContext(connection) as ctx:
        dashboard.build_funnel(f)
    assert len(ctx.captured_queries) == 1
    for _i in range(3):
        history(
            ImprovementFactory(), ("candidate", aware(2026, 1, 1)), ("selected", aware(2026, 1, 2))
        )
    with CaptureQueriesContext(connection) as ctx:
        dashboard.build_funnel(f)
    assert len(ctx.captured_queries) == 1


def test_an_org_unit_counts_the_improvements_from_its_findings(people, example):
    unit = OrgUnitFactory()
    below = OrgUnitFactory(parent=unit)
    finding = FindingFactory(org_unit=below)
    example["one"].findings.add(finding)
    example["two"].findings.add(FindingFactory(org_unit=below), finding)
    example["three"].findings.add(FindingFactory(org_unit=OrgUnitFactory()))
    f = DashboardFilter(people.executive, unit, date(2026, 1, 1), date(2026, 6, 30))
    assert figures(dashboard.build_funnel(f)) == {
        "candidate": (0, 7.0),  # one's 10 days and two's 4
        "selected": (1, 30.0),
        "in_action": (0, 30.0),
        "implemented": (0, 10.0),
        "deployed": (1, None),
    }


def test_a_user_who_may_not_see_improvements_sees_an_empty_funnel(example):
    nobody = UserFactory(is_active=False)  # may see no improvement
    f = DashboardFilter(nobody, None, date(2026, 1, 1), date(2026, 6, 30))
    assert restrict(Improvement._default_manager.all(), nobody).count() == 0
    assert set(figures(dashboard.build_funnel(f)).values()) == {(0, None)}


def test_a_state_change_shows_at_once(people, example):
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    assert figures(dashboard.build_funnel(f))["implemented"] == (1, 10.0)
    three = example["three"]
    three.state = Improvement.State.IN_ACTION
    three.save()  # a history row now: three leaves "implemented"
    stages = figures(dashboard.build_funnel(f))
    assert stages["implemented"][0] == 0
    assert stages["in_action"][0] == 2  # three and seven (no later stage asked)
