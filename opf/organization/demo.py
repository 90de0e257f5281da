"""Demo organization: believable people, units and projects (deterministic).

The lifecycle apps add their own steps (appraisals, plans, assets...) in
``<app>.demo.STEPS`` and ``LATE_STEPS`` (see ``opf.core.registry``), which
``opf.management.commands.demo_data`` runs between this module's first steps and
its last one, ``build_steering``; each step receives the ``Demo`` built so far.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from opf.core.accounts import User
from opf.core.roles import APPRAISER, EXECUTIVE, MEMBER, PROCESS_GROUP, PROJECT_MANAGER, Role
from opf.organization.models import OrgUnit, Project

DEMO_PASSWORD = "opf-demo"  # noqa: S105 - demo sign-ins, printed on purpose

UNITS = [
    # code, name, parent code
    ("acme", "Acme Systems", None),
    ("eng", "Engineering Division", "acme"),
    ("avionics", "Avionics", "eng"),
    ("ground", "Ground Systems", "eng"),
    ("embedded", "Embedded Software", "eng"),
    ("ops", "Operations Division", "acme"),
    ("it", "IT Services", "ops"),
    ("support", "Customer Support", "ops"),
    ("corp", "Corporate", "acme"),
    ("quality", "Quality & Process", "corp"),
    ("hr", "Human Resources", "corp"),
]

PEOPLE = [
    # username, first, last, title, unit, roles
    ("admin", "Ada", "Admin", "System administrator", "quality", (PROCESS_GROUP,)),
    ("epg", "Priya", "Natarajan", "Process group lead", "quality", (PROCESS_GROUP,)),
    ("epg2", "Marco", "Bianchi", "Process engineer", "quality", (PROCESS_GROUP,)),
    ("exec", "Helen", "Okafor", "Chief operating officer", "acme", (EXECUTIVE,)),
    ("exec2", "Daniel", "Weber", "VP Engineering", "eng", (EXECUTIVE,)),
    ("appraiser", "Sofia", "Lindqvist", "Lead appraiser", "quality", (APPRAISER,)),
    ("auditor", "Kenji", "Tanaka", "Process auditor", "quality", (APPRAISER,)),
    ("pm", "Grace", "Mensah", "Project manager", "avionics", (PROJECT_MANAGER,)),
    ("pm2", "Luis", "Romero", "Project manager", "ground", (PROJECT_MANAGER,)),
    ("pm3", "Aisha", "Rahman", "Project manager", "embedded", (PROJECT_MANAGER,)),
    ("pm4", "Tom", "Kowalski", "Project manager", "it", (PROJECT_MANAGER,)),
    ("pm5", "Nora", "Haddad", "Project manager", "support", (PROJECT_MANAGER,)),
    ("pm6", "Ivan", "Petrov", "Project manager", "avionics", (PROJECT_MANAGER,)),
    ("member", "Emma", "Dubois", "Software engineer", "embedded", ()),
    ("member2", "Raj", "Patel", "Test engineer", "ground", ()),
    ("member3", "Chloe", "Martin", "Business analyst", "it", ()),
]

PROJECT_NAMES = [
    "Flight Management Upgrade",
    "Cockpit Display Refresh",
    "Autopilot Certification",
    "Satellite Ground Link",
    "Mission Planning Suite",
    "Telemetry Archive",
    "Sensor Fusion Firmware",
    "Bootloader Hardening",
    "Motor Control Rewrite",
    "Service Desk Migration",
    "Network Segmentation",
    "Identity Federation",
    "Customer Portal",
    "Returns Process Redesign",
    "Field Service Scheduling",
    "Payroll Integration",
    "Onboarding Workflow",
    "Data Warehouse Consolidation",
    "Weather Radar Interface",
    "Ground Station Automation",
    "Battery Management System",
    "Cloud Backup Rollout",
    "Knowledge Base Revamp",
    "Warranty Claims Tool",
    "Cabin Systems Diagnostics",
    "Antenna Pointing Control",
    "CAN Bus Stack",
    "Laptop Fleet Renewal",
    "Chat Support Pilot",
    "Learning Management System",
    "Requirements Tool Adoption",
    "Test Automation Framework",
]
PROJECT_UNITS = [
    "avionics",
    "avionics",
    "avionics",
    "ground",
    "ground",
    "ground",
    "embedded",
    "embedded",
    "embedded",
    "it",
    "it",
    "it",
    "support",
    "support",
    "support",
    "hr",
    "hr",
    "it",
    "avionics",
    "ground",
    "embedded",
    "it",
    "support",
    "support",
    "avionics",
    "ground",
    "embedded",
    "it",
    "support",
    "hr",
    "quality",
    "quality",
]


@dataclass
class Demo:
    users: dict[str, User] = field(default_factory=dict)
    units: dict[str, OrgUnit] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(20260101))
    # The demo's reference day: every date it writes is relative to it.
    today: date = field(default_factory=timezone.localdate)


def build_organization(demo: Demo) -> None:
    for code, name, parent in UNITS:
        demo.units[code] = OrgUnit.objects.create(
            code=code, name=name, parent=demo.units.get(parent) if parent else None
        )
    groups = {g.name: g for g in Group.objects.all()}
    member_group = groups[MEMBER.group]
    for username, first, last, title, unit, roles in PEOPLE:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            job_title=title,
            email=f"{username}@acme.example",
            org_unit=demo.units[unit],
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        role_list: tuple[Role, ...] = roles
        user.groups.add(member_group, *(groups[r.group] for r in role_list))
        demo.users[username] = user
    demo.units["acme"].head = demo.users["exec"]
    demo.units["eng"].head = demo.users["exec2"]
    demo.units["quality"].head = demo.users["epg"]
    for code in ("acme", "eng", "quality"):
        demo.units[code].save()


def build_projects(demo: Demo) -> None:
    managers_by_unit: dict[str, list[User]] = {}
    for user in demo.users.values():
        if user.groups.filter(name=PROJECT_MANAGER.group).exists() and user.org_unit is not None:
            managers_by_unit.setdefault(user.org_unit.code, []).append(user)
    all_managers = [u for users in managers_by_unit.values() for u in users]
    phases = [p.value for p in Project.Phase]
    for index, (name, unit) in enumerate(zip(PROJECT_NAMES, PROJECT_UNITS, strict=True)):
        start = demo.today - timedelta(days=demo.rng.randint(10, 900))
        phase = phases[min(index % 5, 4)] if index % 7 else Project.Phase.STARTUP
        candidates = managers_by_unit.get(unit) or all_managers
        demo.projects.append(
            Project.objects.create(
                name=name,
                code=f"P{100 + index}",
                org_unit=demo.units[unit],
                manager=candidates[index % len(candidates)],
                phase=phase,
                start_date=start,
                end_date=start + timedelta(days=demo.rng.randint(180, 720)),
                active=phase != Project.Phase.CLOSED,
                description=f"{name} for the {demo.units[unit].name} unit.",
            )
        )


def sign_ins() -> list[tuple[str, str, str]]:
    """(role, username, password) rows to print for a newcomer."""
    rows = []
    for username, *_names_title_unit, roles in PEOPLE:
        label = ", ".join(str(r.label) for r in roles) or str(MEMBER.label)
        rows.append((label, username, DEMO_PASSWORD))
    return rows


# --- steering committee, process group, policy and plan (GP 2.1, 2.2, 2.4, 2.10) ------

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
    """Committee and process group, the approved policy (two revisions) and plan, a plan
    sponsor who left, and three steering meetings: two held with decisions and follow-ups,
    one coming up with its briefing.

    Runs last, after the lifecycle apps' steps and late steps (which, among others, leave
    a unit stuck at level 2 since an old appraisal and a falling release trend), so that
    the briefing freezes their figures."""
    from opf.core.services import save_object
    from opf.reference.models import ProcessArea
    from opf.steering import services as steering
    from opf.steering.models import (
        Body,
        CommitteeMembership,
        Decision,
        FollowUp,
        ProgramDocument,
        SteeringMeeting,
    )

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
    first = save_object(
        ProgramDocument(kind="policy", title="Process improvement policy", text=POLICY_TEXT),
        actor=epg,
    )
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
    steering.program_document_approve(second, actor=chair)
    plan = save_object(
        ProgramDocument(kind="plan", title="Process improvement plan 2026", text=PLAN_TEXT),
        actor=epg,
    )
    steering.program_document_approve(plan, actor=chair)
    _sponsor_left(demo)

    now = timezone.now()
    areas = {a.abbreviation: a for a in ProcessArea.objects.filter(reference_model__builtin=True)}
    attendees = [chair, demo.users["exec2"], epg, demo.users["epg2"]]
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
    q2, q3 = meetings
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
    coming = save_object(
        SteeringMeeting(
            title="Steering committee – Q4 review",
            scheduled_at=now + timedelta(days=5),
            location="Board room, building A",
            chair=chair,
            agenda="1. Momentum is falling: why?\n2. Ground Systems at level 2\n3. Policy review",
        ),
        actor=epg,
    )
    coming.attendees.set(attendees)
    steering.freeze_briefing(coming, actor=epg)


def _sponsor_left(demo: Demo) -> None:
    """The sponsor of the newest open action plan left the company (account deactivated)."""
    from django.apps import apps

    from opf.core.services import save_object

    plan_model = apps.get_model("actions", "ProcessActionPlan")
    plan = plan_model.objects.exclude(state__in=["completed", "cancelled"]).order_by("-pk").first()
    if plan is None:
        return
    former = User.objects.create_user(
        username="exec-left",
        first_name="Victor",
        last_name="Hale",
        email="exec-left@acme.example",
        password=DEMO_PASSWORD,
        job_title="Former VP Operations",
        org_unit=demo.units["ops"],
    )
    former.groups.add(Group.objects.get(name=EXECUTIVE.group))
    plan.sponsor = former
    save_object(plan, actor=demo.users["epg"], reason="Sponsor changed")
    User.objects.filter(pk=former.pk).update(is_active=False)
