"""Ratings in the appraisal: proposals from the grid through unit-level values and goals,
confirmation by the lead appraiser only, Class A only, not applicable where allowed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from appraisals import queries, services
from appraisals.models import Appraisal, GoalRating, Rating
from opf.core.errors import TransitionRefused
from opf.reference.models import Goal, Practice
from tests.appraisals.conftest import Setup, cover
from tests.appraisals.factories import FindingFactory
from tests.factories import GoalFactory, PracticeFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def _characterize(s: Setup, place: str, values: list[str]) -> None:
    for practice, value in zip(s.practices, values, strict=True):
        services.characterize(
            appraisal=s.appraisal, practice=practice, instance=place, value=value, actor=s.lead
        )


@dataclass
class Goals:
    sg: Goal
    gg2: Goal
    gg4: Goal
    gp4: Practice


@pytest.fixture
def rated(conducting: Setup) -> tuple[Setup, Goals]:
    """PP's two practices under SG 1, plus GG 2 (GP 2.1) and GG 4 (GP 4.1), all covered."""
    s = conducting
    sg = GoalFactory(process_area=s.area, code="SG 1")
    Practice.objects.filter(pk__in=[p.pk for p in s.practices]).update(goal=sg)
    gg2 = GoalFactory(process_area=s.area, code="GG 2", kind="generic")
    gg4 = GoalFactory(process_area=s.area, code="GG 4", kind="generic")
    gp2 = PracticeFactory(process_area=s.area, goal=gg2, code="GP 2.1")
    gp4 = PracticeFactory(process_area=s.area, goal=gg4, code="GP 4.1")
    s.practices = [*s.practices, gp2, gp4]
    cover(s)
    return s, Goals(sg, gg2, gg4, gp4)


@pytest.mark.parametrize(
    ("unit", "project", "expected"),
    [
        # values of SP 1.1, SP 1.2, GP 2.1, GP 4.1 in the unit and in its project
        (["FI", "FI", "FI", "NI"], ["FI", "FI", "FI", "NI"], "satisfied"),  # GG 4 ignored
        (["FI", "LI", "LI", "NY"], ["LI", "NY", "FI", "NY"], "satisfied"),  # NY left out
        (["FI", "PI", "FI", "FI"], ["FI", "FI", "FI", "FI"], "not_satisfied"),  # one PI
        (["FI", "FI", "FI", "FI"], ["FI", "FI", "NI", "FI"], "not_satisfied"),  # GG 2 fails
        (["NY", "FI", "FI", "FI"], ["NY", "FI", "FI", "FI"], "not_rated"),  # all NY
    ],
)
def test_worked_examples_from_grid_to_area(rated, unit, project, expected):
    s, goals = rated
    _characterize(s, f"u{s.unit.pk}", unit)
    _characterize(s, f"p{s.project.pk}", project)
    proposals = queries.rating_proposals_in_full(s.appraisal)
    assert proposals.areas[(s.area.pk, s.unit.pk)] == expected
    assert (goals.gg4.pk, s.unit.pk) not in proposals.goals  # continuous only


def test_goal_ratings_are_stored_and_a_weakness_fails_only_its_goal(rated):
    s, goals = rated
    _characterize(s, f"u{s.unit.pk}", ["FI", "LI", "FI", "FI"])
    _characterize(s, f"p{s.project.pk}", ["FI", "FI", "FI", "FI"])
    FindingFactory(appraisal=s.appraisal, process_area=s.area, practice=goals.gp4, severity="high")
    services.ratings_refresh(s.appraisal)
    stored = {g.goal_id: g.proposed for g in GoalRating.objects.filter(org_unit=s.unit)}
    assert stored == {goals.sg.pk: "satisfied", goals.gg2.pk: "satisfied"}
    assert Rating.objects.get(org_unit=s.unit).proposed == "satisfied"  # GG 4 weakness ignored
    FindingFactory(
        appraisal=s.appraisal, process_area=s.area, practice=s.practices[0], severity="high"
    )
    services.ratings_refresh(s.appraisal)
    assert GoalRating.objects.get(org_unit=s.unit, goal=goals.sg).proposed == "not_satisfied"
    assert GoalRating.objects.get(org_unit=s.unit, goal=goals.gg2).proposed == "satisfied"
    assert Rating.objects.get(org_unit=s.unit).proposed == "not_satisfied"


def test_the_lead_confirms_and_an_override_needs_a_reason(conducting, api_as, client_as):
    s = conducting
    cover(s)
    _characterize(s, f"u{s.unit.pk}", ["FI", "LI"])
    _characterize(s, f"p{s.project.pk}", ["LI", "LI"])
    rating = next(r for r in services.ratings_refresh(s.appraisal) if r.org_unit == s.unit)
    assert rating.proposed == "satisfied"
    api = api_as(s.lead)
    refused = api.post(f"/api/v1/ratings/{rating.pk}/confirm/", {"value": "not_satisfied"})
    assert refused.status_code == 400
    assert "reason" in field_errors(refused)
    done = api.post(
        f"/api/v1/ratings/{rating.pk}/confirm/",
        {"value": "not_satisfied", "reason": "Interviews contradicted the artifacts."},
    )
    assert done.status_code == 200
    assert done.json()["value"] == "not_satisfied" and done.json()["confirmed"] is True
    rating.refresh_from_db()
    assert rating.overridden and rating.confirmed_by == s.lead
    page = client_as(s.lead).get(s.appraisal.get_absolute_url()).content.decode()
    assert "Interviews contradicted the artifacts." in page
    assert "Only a SCAMPI Class A appraisal rates" in page
    assert "when all its goals in scope are satisfied" in page


def test_the_process_group_cannot_override_the_lead(conducting, people, api_as, client_as):
    s = conducting
    rating = services.ratings_refresh(s.appraisal)[0]
    services.rating_confirm(rating, value="not_satisfied", reason="Weakness open", actor=s.lead)
    for user in (people.epg, s.member, people.executive):
        answer = api_as(user).post(
            f"/api/v1/ratings/{rating.pk}/confirm/", {"value": "satisfied", "reason": "We say so"}
        )
        assert answer.status_code == 403, user
        page = client_as(user).post(
            f"/ratings/{rating.pk}/confirm/", {"value": "satisfied", "reason": "We say so"}
        )
        assert page.status_code == 403, user
    rating.refresh_from_db()
    assert (rating.value, rating.confirmed_by) == ("not_satisfied", s.lead)


def test_a_lead_off_the_team_cannot_confirm(conducting, api_as):
    s = conducting
    rating = services.ratings_refresh(s.appraisal)[0]
    s.appraisal.team.remove(s.lead)
    answer = api_as(s.lead).post(
        f"/api/v1/ratings/{rating.pk}/confirm/", {"value": rating.proposed}
    )
    assert answer.status_code == 403
    rating.refresh_from_db()
    assert rating.value == ""


@pytest.mark.parametrize(("area", "allowed"), [("SAM", True), ("PP", False)])
def test_not_applicable_only_where_the_model_allows_it(conducting, api_as, area, allowed):
    s = conducting
    s.area.abbreviation = area
    s.area.save()
    rating = services.ratings_refresh(s.appraisal)[0]
    answer = api_as(s.lead).post(
        f"/api/v1/ratings/{rating.pk}/confirm/",
        {"value": "not_applicable", "reason": "No suppliers in this unit."},
    )
    rating.refresh_from_db()
    if allowed:
        assert answer.status_code == 200 and rating.value == "not_applicable"
    else:
        assert answer.status_code == 400
        assert "cannot be Not applicable" in str(field_errors(answer)["value"])
        assert rating.value == ""


def test_maturity_follows_confirmed_ratings(conducting):
    s = conducting
    for rating in services.ratings_refresh(s.appraisal):
        value = "satisfied" if rating.org_unit == s.unit else "not_rated"
        services.rating_confirm(rating, value=value, reason="checked", actor=s.lead)
    levels = dict(queries.maturity_by_unit(s.appraisal))
    assert levels[s.unit] == 2
    assert levels[s.other_unit] is None  # confirmed not rated: not determined, not level 1


@pytest.mark.parametrize("method", ["scampi_b", "scampi_c", "gap_analysis"])
def test_other_classes_yield_no_rating_anywhere(conducting, api_as, client_as, method):
    s = conducting
    rating = services.ratings_refresh(s.appraisal)[0]  # proposed while it was Class A
    Appraisal.objects.filter(pk=s.appraisal.pk).update(method=method)
    s.appraisal.refresh_from_db()
    assert services.ratings_refresh(s.appraisal) == []
    with pytest.raises(TransitionRefused):
        services.rating_confirm(rating, value=rating.proposed, actor=s.lead)
    answer = api_as(s.lead).post(f"/api/v1/ratings/{rating.pk}/confirm/", {"value": "satisfied"})
    assert answer.status_code == 409
    assert "Only a SCAMPI Class A appraisal rates" in answer.json()["detail"]
    refresh = api_as(s.lead).post(f"/api/v1/appraisals/{s.appraisal.pk}/refresh-ratings/")
    assert refresh.status_code == 409
    assert queries.maturity_by_unit(s.appraisal) == []
    page = client_as(s.lead).get(s.appraisal.get_absolute_url()).content.decode()
    assert "Only a SCAMPI Class A appraisal rates" in page
    assert f"/ratings/{rating.pk}/confirm/" not in page and "Recompute proposals" not in page
    rating.refresh_from_db()
    assert rating.value == ""


def test_the_api_shows_goal_ratings_and_unit_characterizations(rated, api_as):
    s, goals = rated
    _characterize(s, f"u{s.unit.pk}", ["FI", "LI", "FI", "FI"])
    _characterize(s, f"p{s.project.pk}", ["NY", "FI", "FI", "FI"])
    api = api_as(s.lead)
    assert api.post(f"/api/v1/appraisals/{s.appraisal.pk}/refresh-ratings/").status_code == 200
    listed = api.get(f"/api/v1/goal-ratings/?appraisal={s.appraisal.pk}").json()["results"]
    assert {(g["goal"], g["org_unit"], g["proposed"]) for g in listed} >= {
        (goals.sg.pk, s.unit.pk, "satisfied")
    }
    units = api.get(f"/api/v1/appraisals/{s.appraisal.pk}/practice-characterizations/").json()
    values = {(u["practice"], u["org_unit"]): u["value"] for u in units}
    assert values[(s.practices[0].pk, s.unit.pk)] == "FI"  # FI here, NY in the project
    assert values[(s.practices[1].pk, s.unit.pk)] == "LI"
    assert values[(s.practices[0].pk, s.other_unit.pk)] is None
