"""Demo data for steering: the committee, its meetings and decisions, the program
documents, and the closing briefing (last: it freezes every area's dashboard figures)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from opf.core.accounts import User
from opf.organization.demo import Demo

if TYPE_CHECKING:
    from opf.reference.models import ProcessArea
    from opf.steering.models import SteeringMeeting

POLICY_TEXT = (
    "Acme improves its processes continuously and on purpose. Every org unit takes part in "
    "the process improvement program run by the process group and overseen by the steering "
    "committee. Units appraise their processes at least every two years, act on the findings "
    "through approved action plans with an executive sponsor, and use the standard process set."
)
PLAN_TEXT = (
    "Goals for the year: close the level 2 gaps found in Engineering, deploy the estimation "
    "guideline to every project, and bring Ground Systems from level 2 to level 3. Resources: "
    "two process engineers full time, 10% of each project manager's time for deployment."
)


def build_steering(demo: Demo) -> None:
    """Committee and process group, the approved policy (two revisions) and plan, and
    three steering meetings: two held with decisions and follow-ups,
    one coming up with its briefing.

    Runs last, after the lifecycle apps' steps and late steps (which, among others, leave
    a unit stuck at level 2 since an old appraisal and a falling release trend), so that
    the briefing freezes their figures."""
    from opf.reference.models import ProcessArea

    _committees(demo)
    _program_documents(demo)

    now = timezone.now()
    areas = {a.abbreviation: a for a in ProcessArea.objects.filter(reference_model__builtin=True)}
    attendees = [demo.users["exec"], demo.users["exec2"], demo.users["epg"], demo.users["epg2"]]
    q2, q3 = _held_meetings(demo, now, attendees)
    _decisions(demo, q2, q3, areas)
    _coming_meeting(demo, now, attendees)


def _committees(demo: Demo) -> None:
    """The steering committee and the process group."""
    from opf.core.services import save_object
    from opf.steering.models import Body, CommitteeMembership

    epg, chair = demo.users["epg"], demo.users["exec"]
    for user, body, role in (
        (chair, Body.STEERING_COMMITTEE, CommitteeMembership.Role.CHAIR),
        (demo.users["exec2"], Body.STEERING_COMMITTEE, CommitteeMembership.Role.MEMBER),
        (epg, Body.STEERING_COMMITTEE, CommitteeMembership.Role.SECRETARY),
        (epg, Body.PROCESS_GROUP, CommitteeMembership.Role.LEAD),
        (demo.users["epg2"], Body.PROCESS_GROUP, CommitteeMembership.Role.MEMBER),
        (demo.users["pm"], Body.PROCESS_GROUP, CommitteeMembership.Role.MEMBER),
    ):
        save_object(
            CommitteeMembership(
                body=body, user=user, role=role, start=demo.today - timedelta(days=700)
            ),
            actor=epg,
        )


def _program_documents(demo: Demo) -> None:
    """The policy in two approved revisions (the first superseded) and the plan."""
    from opf.core.services import save_object
    from opf.steering import services as steering
    from opf.steering.models import ProgramDocument

    epg, chair = demo.users["epg"], demo.users["exec"]
    first = save_object(
        ProgramDocument(kind="policy", title="Process improvement policy", text=POLICY_TEXT),
        actor=epg,
    )
    steering.program_document_submit(first, actor=epg, approver=chair)
    steering.program_document_approve(first, actor=chair)
    second = save_object(
        ProgramDocument(
            kind="policy",
            title="Process improvement policy",
            text=POLICY_TEXT + " Every plan names an executive sponsor.",
            effective_from=demo.today - timedelta(days=60),
        ),
        actor=epg,
    )
    steering.program_document_submit(second, actor=epg, approver=chair)
    steering.program_document_approve(second, actor=chair)
    plan = save_object(
        ProgramDocument(kind="plan", title="Process improvement plan 2026", text=PLAN_TEXT),
        actor=epg,
    )
    steering.program_document_submit(plan, actor=epg, approver=chair)
    steering.program_document_approve(plan, actor=chair)


def _held_meetings(demo: Demo, now: datetime, attendees: list[User]) -> list[SteeringMeeting]:
    """The Q2 and Q3 reviews, briefed and held."""
    from opf.core.services import save_object
    from opf.steering import services as steering
    from opf.steering.models import SteeringMeeting

    epg, chair = demo.users["epg"], demo.users["exec"]
    meetings = []
    for days, title in (
        (-120, "Steering committee – Q2 review"),
        (-30, "Steering committee – Q3 review"),
    ):
        meeting = save_object(
            SteeringMeeting(
                title=title,
                scheduled_at=now + timedelta(days=days),
                location="Board room, building A",
                chair=chair,
                agenda="1. Maturity and the level 2 gap\n2. Action plan health\n3. Sponsorship",
                notes="Minutes kept by the process group.",
            ),
            actor=epg,
        )
        meeting.attendees.set(attendees)
        steering.freeze_briefing(meeting, actor=epg)
        steering.meeting_hold(meeting, actor=epg)
        meetings.append(meeting)
    return meetings


def _decisions(
    demo: Demo,
    q2: SteeringMeeting,
    q3: SteeringMeeting,
    areas: dict[str, ProcessArea],
) -> None:
    """The held meetings' decisions, each with a follow-up (one already done)."""
    from opf.core.services import save_object
    from opf.steering import services as steering
    from opf.steering.models import Decision, FollowUp

    epg, chair = demo.users["epg"], demo.users["exec"]
    for meeting, title, area, owner, due, done in (
        (q2, "Fund the estimation guideline for all projects", "PP", epg, -90, True),
        (q2, "Name an executive sponsor for every action plan", "OPF", chair, -60, False),
        (q3, "Ground Systems prepares a level 3 appraisal", "OPD", demo.users["exec2"], 30, False),
    ):
        decision = save_object(
            Decision(meeting=meeting, title=title, rationale="Discussed on the dashboard."),
            actor=epg,
        )
        decision.process_areas.set([areas[area]] if area in areas else [])
        item = save_object(
            FollowUp(
                meeting=meeting,
                decision=decision,
                title=title,
                owner=owner,
                due=demo.today + timedelta(days=due),
            ),
            actor=epg,
        )
        if done:
            steering.follow_up_complete(item, actor=owner)


def _coming_meeting(demo: Demo, now: datetime, attendees: list[User]) -> None:
    """The Q4 review in five days, its briefing frozen now."""
    from opf.core.services import save_object
    from opf.steering import services as steering
    from opf.steering.models import SteeringMeeting

    epg = demo.users["epg"]
    coming = save_object(
        SteeringMeeting(
            title="Steering committee – Q4 review",
            scheduled_at=now + timedelta(days=5),
            location="Board room, building A",
            chair=demo.users["exec"],
            agenda="1. Momentum is falling: why?\n2. Ground Systems at level 2\n3. Policy review",
        ),
        actor=epg,
    )
    coming.attendees.set(attendees)
    steering.freeze_briefing(coming, actor=epg)


CLOSING_STEPS = [build_steering]
