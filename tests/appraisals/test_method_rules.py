"""The appraisal method's rules as worked examples (``appraisals.method``): aggregation
of instances to the unit, goal and area ratings, the staged maturity level, coverage."""

from __future__ import annotations

from datetime import date

import pytest

from appraisals import method

pytestmark = pytest.mark.django_db(databases=[])


@pytest.mark.parametrize(
    ("instances", "unit"),
    [
        (["FI", "FI"], "FI"),  # all FI
        (["FI", "LI", "NY"], "LI"),  # FI and LI, the NY project left out
        (["FI", "NY"], "FI"),  # NY is not "not rated": it is left out
        (["LI", "LI"], "LI"),
        (["FI", "PI", "FI"], "PI"),  # one PI among FI
        (["FI", "NI"], "PI"),  # a mix with NI: partially
        (["PI", "NI"], "PI"),
        (["NI", "NI", "NY"], "NI"),  # all NI
        (["NY", "NY"], None),  # no project at that stage yet: no unit value
        (["FI", None], None),  # an instance not characterized yet
        ([], None),
    ],
)
def test_instances_aggregate_to_the_unit(instances, unit):
    assert method.aggregate(instances) == unit


@pytest.mark.parametrize(
    ("practices", "high_weakness", "goal"),
    [
        (["FI", "LI"], False, "satisfied"),
        (["FI", "LI"], True, "not_satisfied"),  # a weakness that fails the goal
        (["FI", "PI"], False, "not_satisfied"),  # one PI practice
        (["FI", None], False, "not_rated"),  # a practice without a unit value
        ([], False, "not_rated"),  # no practices loaded
    ],
)
def test_the_goal_rule(practices, high_weakness, goal):
    assert method.goal_rating(practices, high_weakness=high_weakness) == goal


@pytest.mark.parametrize(
    ("goals", "area"),
    [
        (["satisfied", "satisfied"], "satisfied"),
        (["satisfied", "not_rated"], "not_rated"),
        (["not_rated", "not_satisfied"], "not_satisfied"),
        ([], "not_rated"),
    ],
)
def test_an_area_is_satisfied_when_all_its_goals_are(goals, area):
    assert method.area_rating(goals) == area


@pytest.mark.parametrize(
    ("code", "kind", "level", "counts"),
    [
        ("SG 1", "specific", 2, True),
        ("GG 2", "generic", 2, True),
        ("GG 3", "generic", 2, False),  # a level 2 area's GG 3 counts for level 3 only
        ("GG 3", "generic", 3, True),
        ("GG 4", "generic", 3, False),  # continuous only
        ("GG5", "generic", 5, False),
    ],
)
def test_which_goals_count_in_a_staged_rating(code, kind, level, counts):
    assert method.counts_in_staged_rating(code, kind, level) is counts


LEVELS = {2: {1, 2}, 3: {3}, 4: {4}}


@pytest.mark.parametrize(
    ("values", "gg3_unmet", "level"),
    [
        ({1: "satisfied", 2: "satisfied", 3: "satisfied", 4: "satisfied"}, set(), 4),
        ({1: "satisfied", 2: "not_applicable", 3: "satisfied"}, set(), 3),
        ({1: "satisfied", 2: "satisfied", 3: "not_satisfied"}, set(), 2),
        ({1: "satisfied", 2: "satisfied", 3: "satisfied"}, {1}, 2),  # GG 3 missing for level 3
        ({1: "not_satisfied", 2: "satisfied"}, set(), 1),
        ({1: "not_rated", 2: "satisfied"}, set(), None),  # confirmed not rated: not determined
        ({1: "satisfied"}, set(), None),  # a level 2 area out of scope
        ({1: "", 2: "satisfied"}, set(), None),  # not confirmed yet
        ({1: "satisfied", 2: "satisfied", 3: "not_rated"}, set(), 2),
    ],
)
def test_the_staged_maturity_level(values, gg3_unmet, level):
    assert method.maturity_level(LEVELS, values, gg3_unmet) == level


@pytest.mark.parametrize(
    ("kinds", "covered"),
    [
        ({"direct", "affirmation"}, True),
        ({"direct", "indirect"}, True),
        ({"direct"}, False),
        ({"indirect", "affirmation"}, False),  # no direct artifact
        (set(), False),
    ],
)
def test_the_coverage_rule(kinds, covered):
    assert method.covered(kinds) is covered


@pytest.mark.parametrize(
    ("method_name", "rates"),
    [("scampi_a", True), ("scampi_b", False), ("scampi_c", False), ("gap_analysis", False)],
)
def test_only_class_a_rates(method_name, rates):
    assert method.rates(method_name) is rates


@pytest.mark.parametrize(("area", "allowed"), [("SAM", True), ("sam", True), ("PP", False)])
def test_not_applicable_only_where_the_model_allows_it(area, allowed):
    assert method.may_be_not_applicable(area) is allowed


@pytest.mark.parametrize(
    ("end", "expires"),
    [
        (date(2026, 3, 6), date(2029, 3, 6)),
        (date(2028, 2, 29), date(2031, 2, 28)),
        (None, None),
    ],
)
def test_class_a_ratings_expire_three_years_after_the_end(end, expires):
    assert method.ratings_expire(end) == expires
