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

from django.contrib.auth.hashers import make_password
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
    # Every demo person has the same published password: hashed once (a strong hash
    # costs a quarter of a second by design), not once per person.
    password = make_password(DEMO_PASSWORD)
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
        user.password = password
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
    types = [t.value for t in Project.ProjectType]
    sizes = [s.value for s in Project.SizeClass]
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
                # The first four (the measured ones) are development projects, two
                # medium and two large; the rest cycle through the types and sizes.
                project_type=types[0] if index < 4 else types[index % len(types)],
                size_class=(sizes[1] if index < 2 else sizes[2])
                if index < 4
                else sizes[index % len(sizes)],
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


STEPS = [build_organization, build_projects]
