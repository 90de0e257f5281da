"""Doors of the improvement and action-plan pages (see tests/doors.py).

``people.member`` is the assignee of the action item each door builds:
assignees move their own items; the process group plans everything.
"""

from __future__ import annotations

from tests.actions.factories import (
    ActionItemFactory,
    CommitmentFactory,
    ImprovementFactory,
    PilotFactory,
    PlanIssueFactory,
    PlanMeetingFactory,
    PrioritizationCriterionFactory,
    ProcessActionPlanFactory,
    SuccessCriterionFactory,
)
from tests.appraisals.factories import FindingFactory, ProcessNeedFactory
from tests.doors import EVERYONE, STAFF, Door

ASSIGNEE = frozenset({"epg", "member"})


def _item(people) -> int:
    return ActionItemFactory(assignee=people.member).pk


def _pilot(people) -> int:
    pilot = PilotFactory(state="running")
    SuccessCriterionFactory(pilot=pilot, comparator=">=", target=10)
    return pilot.pk


def _picked_weakness() -> dict:
    finding = FindingFactory(kind="weakness")
    return {"appraisal": finding.appraisal_id, "findings": [finding.pk], "title": "Estimation"}


def _score(people) -> str:
    improvement = ImprovementFactory()
    return f"/improvements/{improvement.pk}/scores/{PrioritizationCriterionFactory().pk}/"


CARRIABLE = (
    ("action-items", ActionItemFactory),
    ("plan-issues", PlanIssueFactory),
    ("commitments", CommitmentFactory),
)


_CARRIED: list[str] = []


def _carry_plan_url() -> str:
    """A running plan with one open item, which the door's data then ticks (the gate
    asks for the URL first)."""
    item = ActionItemFactory(plan=ProcessActionPlanFactory(state="in_progress"))
    _CARRIED.append(f"actionitem-{item.pk}")
    return f"/action-plans/{item.plan_id}/carry-over/"


def _carry_to() -> dict:
    return {"to_plan": ProcessActionPlanFactory().pk, "reason": "Next release."}


DOORS = [
    Door(
        "actions:improvement_from_findings",
        lambda p: "/improvements/from-findings/",
        STAFF,
        "POST",
        data=_picked_weakness,
    ),
    Door(
        "actions:improvement_from_need",
        lambda p: f"/improvements/from-need/{ProcessNeedFactory().pk}/",
        STAFF,
        "POST",
    ),
    Door("actions:improvement_score", _score, STAFF, "POST", data=lambda: {"value": "3"}),
    Door(
        "actions:improvement_rank",
        lambda p: f"/improvements/{ImprovementFactory().pk}/rank/",
        STAFF,
        "POST",
        data=lambda: {"rank": "1", "reason": "sponsor's call"},
    ),
    Door(
        "actions:processactionplan_board",
        lambda p: f"/action-plans/{ProcessActionPlanFactory().pk}/board/",
        EVERYONE,
    ),
    Door(
        "actions:actionitem_move",
        lambda p: f"/action-items/{_item(p)}/move/",
        ASSIGNEE,
        "POST",
        data=lambda: {"status": "doing"},
    ),
    Door(
        "POST /api/v1/action-items/{id}/move/",
        lambda p: f"/api/v1/action-items/{_item(p)}/move/",
        ASSIGNEE,
        "POST",
        data=lambda: {"status": "doing"},
    ),
    Door(
        "actions:planmeeting_follow_up",
        lambda p: f"/plan-meetings/{PlanMeetingFactory().pk}/follow-ups/",
        STAFF,
        "POST",
        data=lambda: {"title": "Send the minutes"},
    ),
    Door(
        "actions:pilot_results",
        lambda p: f"/pilots/{_pilot(p)}/results/",
        STAFF,
        "POST",
    ),
    Door(
        "POST /api/v1/pilots/{id}/record-results/",
        lambda p: f"/api/v1/pilots/{_pilot(p)}/record-results/",
        STAFF,
        "POST",
        data=lambda: {"results": []},
    ),
    Door(
        "actions:pilot_decide",
        lambda p: f"/pilots/{_pilot(p)}/decide/",
        STAFF | {"executive"},  # an executive adopts by override on the same form
        "POST",
        data=lambda: {"decision": "adopt", "rationale": "met"},
    ),
    Door(
        "actions:processactionplan_complete",
        lambda p: f"/action-plans/{ProcessActionPlanFactory(state='in_progress').pk}/complete/",
        STAFF,
        "POST",
    ),
    Door(
        "actions:processactionplan_carry_over",
        lambda p: _carry_plan_url(),
        STAFF,
        "POST",
        data=lambda: {**_carry_to(), "records": _CARRIED[-1:]},
    ),
    *(
        Door(
            f"POST /api/v1/{kind}/{{id}}/carry-over/",
            lambda p, kind=kind, make=make: f"/api/v1/{kind}/{make().pk}/carry-over/",
            STAFF,
            "POST",
            data=_carry_to,
        )
        for kind, make in CARRIABLE
    ),
]
