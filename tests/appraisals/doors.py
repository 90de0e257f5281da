"""Doors of the appraisal pages and endpoints (see tests/doors.py).

``people.appraiser`` is on the team of the appraisal each door builds: team
members change their appraisal's results; the process group changes anything.
"""

from __future__ import annotations

from appraisals.models import Appraisal, Characterization, GoalRating
from tests.appraisals.factories import (
    AppraisalFactory,
    CharacterizationFactory,
    PracticeCharacterizationFactory,
    ProcessNeedFactory,
    RatingFactory,
)
from tests.doors import EVERYONE, STAFF, Door
from tests.factories import GoalFactory, PracticeFactory

TEAM = frozenset({"epg", "appraiser"})
LEAD = frozenset({"appraiser"})  # only the lead appraiser rates (#18)
ON_TEAM = frozenset({"appraiser"})  # the team itself, not the process group off it (#18)


def _appraisal(people, state: str = Appraisal.State.IN_PROGRESS) -> Appraisal:
    appraisal = AppraisalFactory(state=state, lead_appraiser=people.appraiser)
    appraisal.team.set([people.appraiser])
    return appraisal


def _practice(appraisal: Appraisal):
    area = appraisal.process_areas.first()
    return PracticeFactory(process_area=area, goal=None)


def _cell(people) -> str:
    appraisal = _appraisal(people)
    unit = appraisal.org_units.first()
    return f"/appraisals/{appraisal.pk}/grid/{_practice(appraisal).pk}/u{unit.pk}/"


def _class_a(people, state: str = Appraisal.State.FINDINGS_DELIVERED) -> Appraisal:
    appraisal = _appraisal(people, state)
    Appraisal.objects.filter(pk=appraisal.pk).update(method=Appraisal.Method.SCAMPI_A)
    appraisal.refresh_from_db()
    return appraisal


def _rating(people):
    appraisal = _class_a(people)
    return RatingFactory(appraisal=appraisal, process_area=appraisal.process_areas.first())


def _goal_rating(people):
    appraisal = _class_a(people)
    goal = GoalFactory(process_area=appraisal.process_areas.first())
    return GoalRating.objects.create(
        appraisal=appraisal, goal=goal, org_unit=appraisal.org_units.first()
    )


def _characterization(people) -> Characterization:
    appraisal = _appraisal(people)
    return CharacterizationFactory(appraisal=appraisal, practice=_practice(appraisal))


def _unit_value(people) -> int:
    return PracticeCharacterizationFactory(appraisal=_appraisal(people)).pk


def _need(people) -> int:
    return ProcessNeedFactory().pk


def _characterization_payload() -> dict:
    return {"value": "FI"}


DOORS = [
    # process needs (kept, never deleted: retired and reactivated)
    Door("appraisals:processneed_list", lambda p: "/process-needs/", EVERYONE),
    Door("appraisals:processneed_detail", lambda p: f"/process-needs/{_need(p)}/", EVERYONE),
    Door("appraisals:processneed_add", lambda p: "/process-needs/add/", STAFF),
    Door("appraisals:processneed_edit", lambda p: f"/process-needs/{_need(p)}/edit/", STAFF),
    Door(
        "appraisals:processneed_field",
        lambda p: f"/process-needs/{_need(p)}/fields/priority/",
        STAFF,
    ),
    Door(
        "appraisals:processneed_transition",
        lambda p: f"/process-needs/{_need(p)}/do/retire/",
        STAFF,
        method="POST",
        data=lambda: {"reason": "met"},
    ),
    Door("GET /api/v1/process-needs/", lambda p: "/api/v1/process-needs/", EVERYONE),
    Door("POST /api/v1/process-needs/", lambda p: "/api/v1/process-needs/", STAFF, "POST"),
    Door(
        "GET /api/v1/process-needs/{id}/",
        lambda p: f"/api/v1/process-needs/{_need(p)}/",
        EVERYONE,
    ),
    Door(
        "PUT /api/v1/process-needs/{id}/",
        lambda p: f"/api/v1/process-needs/{_need(p)}/",
        STAFF,
        "PUT",
    ),
    Door(
        "PATCH /api/v1/process-needs/{id}/",
        lambda p: f"/api/v1/process-needs/{_need(p)}/",
        STAFF,
        "PATCH",
    ),
    Door(
        "GET /api/v1/process-needs/{id}/history/",
        lambda p: f"/api/v1/process-needs/{_need(p)}/history/",
        EVERYONE,
    ),
    Door(
        "POST /api/v1/process-needs/{id}/retire/",
        lambda p: f"/api/v1/process-needs/{_need(p)}/retire/",
        STAFF,
        "POST",
        data=lambda: {"reason": "met"},
    ),
    Door(
        "POST /api/v1/process-needs/{id}/reactivate/",
        lambda p: f"/api/v1/process-needs/{_need(p)}/reactivate/",
        STAFF,
        "POST",
    ),
    # the appraisal's own work pages
    Door("appraisals:appraisal_grid", lambda p: f"/appraisals/{_appraisal(p).pk}/grid/", EVERYONE),
    Door(
        "appraisals:appraisal_grid_cell",
        _cell,
        TEAM,
        "POST",
        data=lambda: {"value": "FI"},
    ),
    Door(
        "appraisals:finding_record",
        lambda p: f"/appraisals/{_appraisal(p).pk}/findings/",
        TEAM,
        "POST",
    ),
    Door(
        "appraisals:appraisal_copy",
        lambda p: f"/appraisals/{_appraisal(p).pk}/copy/",
        STAFF,
        "POST",
    ),
    Door(
        "POST /api/v1/appraisals/{id}/copy/",
        lambda p: f"/api/v1/appraisals/{_appraisal(p).pk}/copy/",
        STAFF,
        "POST",
    ),
    Door(
        "appraisals:ratings_refresh",
        lambda p: f"/appraisals/{_class_a(p).pk}/ratings/refresh/",
        LEAD,
        "POST",
    ),
    Door(
        "POST /api/v1/appraisals/{id}/refresh-ratings/",
        lambda p: f"/api/v1/appraisals/{_class_a(p).pk}/refresh-ratings/",
        LEAD,
        "POST",
    ),
    Door(
        "GET /api/v1/appraisals/{id}/practice-characterizations/",
        lambda p: f"/api/v1/appraisals/{_appraisal(p).pk}/practice-characterizations/",
        EVERYONE,
    ),
    Door(
        "GET /api/v1/appraisals/{id}/indicative-profile/",
        lambda p: f"/api/v1/appraisals/{_appraisal(p).pk}/indicative-profile/",
        EVERYONE,
    ),
    # organizational-unit characterizations: proposed by the rule, confirmed by the team
    Door(
        "appraisals:unit_characterizations",
        lambda p: f"/appraisals/{_appraisal(p).pk}/unit-characterizations/",
        EVERYONE,
    ),
    Door(
        "appraisals:unit_characterizations_refresh",
        lambda p: f"/appraisals/{_appraisal(p).pk}/unit-characterizations/refresh/",
        ON_TEAM,
        "POST",
    ),
    Door(
        "appraisals:unit_characterization_confirm",
        lambda p: f"/unit-characterizations/{_unit_value(p)}/confirm/",
        ON_TEAM,
        "POST",
        data=lambda: {"value": "LI"},
    ),
    Door(
        "GET /api/v1/practice-characterizations/",
        lambda p: "/api/v1/practice-characterizations/",
        EVERYONE,
    ),
    Door(
        "GET /api/v1/practice-characterizations/{id}/",
        lambda p: f"/api/v1/practice-characterizations/{_unit_value(p)}/",
        EVERYONE,
    ),
    Door(
        "GET /api/v1/practice-characterizations/{id}/history/",
        lambda p: f"/api/v1/practice-characterizations/{_unit_value(p)}/history/",
        EVERYONE,
    ),
    Door(
        "POST /api/v1/practice-characterizations/{id}/confirm/",
        lambda p: f"/api/v1/practice-characterizations/{_unit_value(p)}/confirm/",
        ON_TEAM,
        "POST",
        data=lambda: {"value": "LI"},
    ),
    Door(
        "POST /api/v1/appraisals/{id}/refresh-unit-characterizations/",
        lambda p: f"/api/v1/appraisals/{_appraisal(p).pk}/refresh-unit-characterizations/",
        ON_TEAM,
        "POST",
    ),
    # goal ratings: proposed by the goal rule, judged by the team (SCAMPI A v1.2, 2.6.1)
    Door(
        "appraisals:goal_ratings",
        lambda p: f"/appraisals/{_goal_rating(p).appraisal_id}/goal-ratings/",
        EVERYONE,
    ),
    Door(
        "appraisals:goal_judge",
        lambda p: f"/goal-ratings/{_goal_rating(p).pk}/judge/",
        ON_TEAM,
        "POST",
        data=lambda: {"value": "not_satisfied", "reason": "weakness"},
    ),
    Door(
        "POST /api/v1/goal-ratings/{id}/judge/",
        lambda p: f"/api/v1/goal-ratings/{_goal_rating(p).pk}/judge/",
        ON_TEAM,
        "POST",
        data=lambda: {"value": "not_satisfied", "reason": "weakness"},
    ),
    Door("GET /api/v1/goal-ratings/", lambda p: "/api/v1/goal-ratings/", EVERYONE),
    Door(
        "GET /api/v1/goal-ratings/{id}/",
        lambda p: f"/api/v1/goal-ratings/{_goal_rating(p).pk}/",
        EVERYONE,
    ),
    Door(
        "GET /api/v1/goal-ratings/{id}/history/",
        lambda p: f"/api/v1/goal-ratings/{_goal_rating(p).pk}/history/",
        EVERYONE,
    ),
    Door(
        "appraisals:findings_import",
        lambda p: f"/appraisals/{_appraisal(p).pk}/import/",
        TEAM,
    ),
    Door(
        "appraisals:appraisal_report",
        lambda p: f"/appraisals/{_appraisal(p).pk}/report/",
        EVERYONE,
    ),
    Door(
        "appraisals:appraisal_disclosure",
        lambda p: f"/appraisals/{_class_a(p).pk}/disclosure/",
        EVERYONE,
    ),
    Door("appraisals:maturity", lambda p: "/maturity/", EVERYONE),
    # ratings: proposed by the rules, confirmed by the lead appraiser only
    Door("appraisals:rating_list", lambda p: "/ratings/", EVERYONE),
    Door("appraisals:rating_detail", lambda p: f"/ratings/{_rating(p).pk}/", EVERYONE),
    Door(
        "appraisals:rating_confirm",
        lambda p: f"/ratings/{_rating(p).pk}/confirm/",
        LEAD,
        "POST",
        data=lambda: {"value": "satisfied", "reason": "checked"},
    ),
    Door("GET /api/v1/ratings/", lambda p: "/api/v1/ratings/", EVERYONE),
    Door("GET /api/v1/ratings/{id}/", lambda p: f"/api/v1/ratings/{_rating(p).pk}/", EVERYONE),
    Door(
        "GET /api/v1/ratings/{id}/history/",
        lambda p: f"/api/v1/ratings/{_rating(p).pk}/history/",
        EVERYONE,
    ),
    Door(
        "POST /api/v1/ratings/{id}/confirm/",
        lambda p: f"/api/v1/ratings/{_rating(p).pk}/confirm/",
        LEAD,
        "POST",
        data=lambda: {"value": "satisfied", "reason": "checked"},
    ),
    # characterizations (the grid's records)
    Door("GET /api/v1/characterizations/", lambda p: "/api/v1/characterizations/", EVERYONE),
    Door(
        "POST /api/v1/characterizations/",
        lambda p: f"/api/v1/characterizations/?appraisal={_appraisal(p).pk}",
        TEAM,
        "POST",
        data=_characterization_payload,
    ),
    *(
        Door(
            f"{method} /api/v1/characterizations/{{id}}/",
            lambda p: f"/api/v1/characterizations/{_characterization(p).pk}/",
            allowed,
            method,
            data=_characterization_payload if method in ("PUT", "PATCH") else None,
        )
        for method, allowed in (
            ("GET", EVERYONE),
            ("PUT", TEAM),
            ("PATCH", TEAM),
            ("DELETE", TEAM),
        )
    ),
    Door(
        "GET /api/v1/characterizations/{id}/history/",
        lambda p: f"/api/v1/characterizations/{_characterization(p).pk}/history/",
        EVERYONE,
    ),
]
