"""The team's judgment per goal (#18, SCAMPI A v1.2 2.6.1): a goal is satisfied when
every practice is FI or LI at unit level and the team judges that the weaknesses do
not significantly affect it. The proposal counts an open high-severity weakness as
significant; the team decides, with a reason where it departs. Worked examples in
the service, the page and the API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisals import queries, services
from appraisals.models import Appraisal, GoalRating, Rating
from opf.core.errors import TransitionRefused
from opf.reference.models import Goal, Practice
from tests.appraisals.conftest import Setup, cover
from tests.appraisals.factories import FindingFactory
from tests.factories import GoalFactory, PracticeFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@dataclass
class Goals:
    sg: Goal
    gg2: Goal


def _characterize(s: Setup, place: str, values: list[str]) -> None:
    for practice, value in zip(s.practices, values, strict=True):
        services.characterize(
            appraisal=s.appraisal, practice=practice, instance=place, value=value, actor=s.lead
        )


@pytest.fixture
def goals(conducting: Setup) -> tuple[Setup, Goals]:
    """PP: SP 1.1 and SP 1.2 under SG 1, GP 2.1 under GG 2, all covered; avionics and
    its project fms characterized FI throughout."""
    s = conducting
    sg = GoalFactory(process_area=s.area, code="SG 1", order=1)
    Practice.objects.filter(pk__in=[p.pk for p in s.practices]).update(goal=sg)
    gg2 = GoalFactory(process_area=s.area, code="GG 2", kind="generic", order=2)
    s.practices = [*s.practices, PracticeFactory(process_area=s.area, goal=gg2, code="GP 2.1")]
    cover(s)
    for place in (f"u{s.unit.pk}", f"p{s.project.pk}"):
        _characterize(s, place, ["FI", "FI", "FI"])
    services.ratings_refresh(s.appraisal)
    return s, Goals(sg, gg2)


def _goal(s: Setup, goal: Goal) -> GoalRating:
    return GoalRating.objects.get(appraisal=s.appraisal, goal=goal, org_unit=s.unit)


def _area(s: Setup) -> str:
    return Rating.objects.get(appraisal=s.appraisal, org_unit=s.unit).proposed


def _high_weakness(s: Setup, practice: Practice, severity: str = "high") -> None:
    FindingFactory(
        appraisal=s.appraisal,
        process_area=s.area,
        practice=practice,
        org_unit=s.unit,
        kind="weakness",
        severity=severity,
    )


def test_a_high_weakness_proposes_not_satisfied_and_the_team_judges_it_not_significant(goals):
    s, g = goals
    _high_weakness(s, s.practices[0])
    services.ratings_refresh(s.appraisal)
    row = _goal(s, g.sg)
    assert (row.allowed, row.proposed, row.effective) == (
        "satisfied",
        "not_satisfied",
        "not_satisfied",
    )
    assert _area(s) == "not_satisfied"
    # Departing from the proposal needs the team's reason; nothing is saved without it.
    with pytest.raises(ValidationError) as refused:
        services.goal_judge(row, value="satisfied", actor=s.member)
    assert "reason" in refused.value.message_dict
    assert _goal(s, g.sg).value == ""
    reason = "The weakness is one template missing in one sampled project; the goal is met."
    judged = services.goal_judge(row, value="satisfied", reason=reason, actor=s.member)
    assert (judged.value, judged.departs, judged.judged_by) == ("satisfied", True, s.member)
    assert judged.effective == "satisfied"
    assert _area(s) == "satisfied"  # the judged goal decides the area's proposal
    last = judged.history.first()
    assert (last.value, last.reason, last.history_change_reason) == (
        "satisfied",
        reason,
        "Departed from the proposal",
    )


def test_the_team_judges_a_lower_weakness_significant(goals):
    """All FI and a medium weakness: proposed satisfied; the team judges the weakness
    significantly affects GG 2, so GG 2 and the area are not satisfied."""
    s, g = goals
    _high_weakness(s, s.practices[2], severity="medium")
    services.ratings_refresh(s.appraisal)
    assert (_goal(s, g.gg2).proposed, _area(s)) == ("satisfied", "satisfied")
    services.goal_judge(
        _goal(s, g.gg2), value="not_satisfied", reason="No plan for the process", actor=s.lead
    )
    assert _goal(s, g.gg2).effective == "not_satisfied"
    assert _goal(s, g.sg).effective == "satisfied"  # only the judged goal moves
    assert _area(s) == "not_satisfied"


def test_confirming_the_proposal_needs_no_reason(goals):
    s, g = goals
    judged = services.goal_judge(_goal(s, g.sg), value="satisfied", actor=s.member)
    assert (judged.value, judged.reason, judged.departs) == ("satisfied", "", False)
    assert judged.history.first().history_change_reason == "Judged"


def test_a_goal_with_a_pi_practice_is_decided_by_its_practices(goals):
    s, g = goals
    _characterize(s, f"u{s.unit.pk}", ["FI", "PI", "FI"])
    services.ratings_refresh(s.appraisal)
    row = _goal(s, g.sg)
    assert (row.allowed, row.proposed) == ("not_satisfied", "not_satisfied")
    for value in ("satisfied", "not_satisfied"):
        with pytest.raises(ValidationError) as refused:
            services.goal_judge(row, value=value, reason="we think so", actor=s.member)
        assert "decided by its practices" in refused.value.message_dict["value"][0]
    assert _goal(s, g.sg).value == ""


def test_a_judgment_is_cleared_when_its_practices_no_longer_allow_it(goals):
    s, g = goals
    _high_weakness(s, s.practices[0])
    services.goal_judge(_goal(s, g.sg), value="satisfied", reason="minor", actor=s.member)
    assert _area(s) == "satisfied"
    _characterize(s, f"u{s.unit.pk}", ["NI", "FI", "FI"])  # SP 1.1: NI, FI -> PI
    services.ratings_refresh(s.appraisal)
    row = _goal(s, g.sg)
    assert (row.value, row.reason, row.judged_by, row.allowed) == ("", "", None, "not_satisfied")
    assert row.history.first().history_change_reason == "Practices changed: to be judged again"
    assert _area(s) == "not_satisfied"


def test_only_the_team_judges_and_only_while_the_ratings_are_open(goals, people):
    s, g = goals
    with pytest.raises(PermissionDenied):
        services.goal_judge(_goal(s, g.sg), value="satisfied", actor=people.epg)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(state=Appraisal.State.CLOSED)
    with pytest.raises(TransitionRefused):
        services.goal_judge(_goal(s, g.sg), value="satisfied", actor=s.lead)
    Appraisal.objects.filter(pk=s.appraisal.pk).update(
        state=Appraisal.State.IN_PROGRESS, method=Appraisal.Method.SCAMPI_C
    )
    with pytest.raises(TransitionRefused):
        services.goal_judge(_goal(s, g.sg), value="satisfied", actor=s.lead)
    assert _goal(s, g.sg).value == ""


def test_a_gg3_judged_not_satisfied_holds_back_level_three(goals):
    s, _goals = goals
    gg3 = GoalFactory(process_area=s.area, code="GG 3", kind="generic", order=3)
    row = GoalRating.objects.create(
        appraisal=s.appraisal, goal=gg3, org_unit=s.unit, proposed="satisfied", allowed="satisfied"
    )
    assert queries.gg3_unmet([s.appraisal.pk]) == {}
    GoalRating.objects.filter(pk=row.pk).update(value="not_satisfied", reason="no OPD assets")
    assert queries.gg3_unmet([s.appraisal.pk]) == {(s.appraisal.pk, s.unit.pk): {s.area.pk}}


def test_the_page_states_the_rule_and_records_a_judgment_without_javascript(goals, client_as):
    s, g = goals
    _high_weakness(s, s.practices[0])
    services.ratings_refresh(s.appraisal)
    client = client_as(s.member)
    url = f"/appraisals/{s.appraisal.pk}/goal-ratings/"
    page = client.get(url).content.decode()
    assert "2.6.1" in page and "do not significantly affect" in page
    row = _goal(s, g.sg)
    assert f'id="gr-{row.pk}"' in page and f"/goal-ratings/{row.pk}/judge/" in page
    judge = f"/goal-ratings/{row.pk}/judge/"
    refused = client.post(judge, {"value": "satisfied", "reason": ""}, follow=True)
    assert "departs from the proposal (Not satisfied): give the team&#x27;s reason" in (
        refused.content.decode()
    )
    assert _goal(s, g.sg).value == ""
    client.post(judge, {"value": "satisfied", "reason": "Isolated template gap"})
    assert (_goal(s, g.sg).value, _goal(s, g.sg).reason) == ("satisfied", "Isolated template gap")
    page = client.get(url).content.decode()
    assert "Isolated template gap" in page and "departs from the proposal" in page
    detail = client.get(f"/appraisals/{s.appraisal.pk}/").content.decode()
    assert "(team's judgment)" in detail
    ads = client.get(f"/appraisals/{s.appraisal.pk}/disclosure/").content.decode()
    assert "Goals the team judged against the proposal" in ads
    shown = f"PP SG 1 @ {s.unit}: Satisfied (proposed Not satisfied) – Isolated template gap"
    assert shown in ads


def test_the_page_offers_no_judgment_off_the_team(goals, people, client_as):
    s, g = goals
    client = client_as(people.epg)
    page = client.get(f"/appraisals/{s.appraisal.pk}/goal-ratings/").content.decode()
    assert "Only the appraisal team judges its goals." in page and "/judge/" not in page
    client.post(f"/goal-ratings/{_goal(s, g.sg).pk}/judge/", {"value": "not_satisfied"})
    assert _goal(s, g.sg).value == ""


def test_the_api_judges_with_the_same_rule(goals, people, api_as):
    s, g = goals
    _high_weakness(s, s.practices[0])
    services.ratings_refresh(s.appraisal)
    api = api_as(s.member)
    row = _goal(s, g.sg)
    listed = api.get(f"/api/v1/goal-ratings/?appraisal={s.appraisal.pk}").json()["results"]
    shown = next(r for r in listed if r["id"] == row.pk)
    assert (shown["allowed"], shown["proposed"], shown["value"], shown["effective"]) == (
        "satisfied",
        "not_satisfied",
        "",
        "not_satisfied",
    )
    url = f"/api/v1/goal-ratings/{row.pk}/judge/"
    bad = api.post(url, {"value": "satisfied"}, format="json")
    assert bad.status_code == 400 and "reason" in field_errors(bad), bad.content
    wrong = api.post(url, {"value": "maybe"}, format="json")
    assert wrong.status_code == 400 and "value" in field_errors(wrong), wrong.content
    ok = api.post(url, {"value": "satisfied", "reason": "isolated"}, format="json")
    assert ok.status_code == 200, ok.content
    assert (ok.json()["effective"], ok.json()["departs"]) == ("satisfied", True)
    assert (
        api_as(people.epg).post(url, {"value": "not_satisfied"}, format="json").status_code == 403
    )
    ratings = api.get(f"/api/v1/ratings/?appraisal={s.appraisal.pk}").json()["results"]
    assert {r["proposed"] for r in ratings if r["org_unit"] == s.unit.pk} == {"satisfied"}
