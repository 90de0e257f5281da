"""Enterprise-scale data for benchmarks: ``manage.py build_dataset --scale 1``.

Scale 1 is a large organization (about 60 org units and 600 projects); each
lifecycle app adds its records in ``<app>.dataset`` with ``build(data)``
(see ``opf.core.registry``). Everything is bulk-inserted and deterministic from
the seed. History rows are not written for generated data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from opf.core.accounts import User
from opf.core.roles import APPRAISER, EXECUTIVE, MEMBER, PROCESS_GROUP, PROJECT_MANAGER
from opf.organization.models import PATH_STEP, OrgUnit, Project


@dataclass
class Dataset:
    scale: float
    seed: int
    rng: random.Random = field(init=False)
    today: date = field(default_factory=date.today)
    units: list[OrgUnit] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    users: dict[str, list[User]] = field(default_factory=dict)
    # The process areas (pks) that assets and improvements are about: the built-in
    # model's, as the dashboard's institutionalization grid shows them (appraisals fill it).
    areas: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def count(self, at_scale_1: int, minimum: int = 1) -> int:
        return max(minimum, round(at_scale_1 * self.scale))


def build_people(data: Dataset) -> None:
    password = make_password("opf-bench")
    counts = {
        PROCESS_GROUP: data.count(8, 2),
        EXECUTIVE: data.count(12, 2),
        APPRAISER: data.count(20, 2),
        PROJECT_MANAGER: data.count(150, 3),
        MEMBER: data.count(300, 3),
    }
    groups = {g.name: g for g in Group.objects.all()}
    member = groups[MEMBER.group]
    memberships = []
    through = User.groups.through
    for role, n in counts.items():
        people = User.objects.bulk_create(
            User(
                username=f"{role.slug}-{i}",
                password=password,
                first_name=role.slug.title(),
                last_name=str(i),
                email=f"{role.slug}-{i}@bench.example",
            )
            for i in range(n)
        )
        data.users[role.slug] = people
        for person in people:
            memberships.append(through(user_id=person.pk, group_id=member.pk))
            if role is not MEMBER:
                memberships.append(through(user_id=person.pk, group_id=groups[role.group].pk))
    through.objects.bulk_create(memberships)


def build_units(data: Dataset) -> None:
    total = data.count(60, 3)
    root = OrgUnit.objects.create(name="Bench Corporation", code="bench")
    divisions = [
        OrgUnit.objects.create(name=f"Division {i}", code=f"bench-div-{i}", parent=root)
        for i in range(max(2, total // 10))
    ]
    remaining = total - 1 - len(divisions)
    departments = OrgUnit.objects.bulk_create(
        OrgUnit(name=f"Department {i}", code=f"bench-dep-{i}", parent=divisions[i % len(divisions)])
        for i in range(remaining)
    )
    for department in departments:  # bulk_create skips save(): set the paths here
        parent = department.parent
        assert parent is not None  # each was given its division above
        department.path = f"{parent.path}{department.pk:0{PATH_STEP}d}"
    OrgUnit.objects.bulk_update(departments, ["path"])
    data.units = [root, *divisions, *departments]


def build_projects(data: Dataset) -> None:
    managers = data.users[PROJECT_MANAGER.slug]
    leaves = data.units[1:]
    phases = [p.value for p in Project.Phase]
    types = [t.value for t in Project.ProjectType]
    sizes = [s.value for s in Project.SizeClass]
    projects = []
    for i in range(data.count(600, 5)):
        start = data.today - timedelta(days=data.rng.randint(0, 1500))
        phase = phases[i % len(phases)]  # every phase at any scale: filtered pages get rows
        projects.append(
            Project(
                name=f"Project {i:04d}",
                code=f"B{i:05d}",
                org_unit=leaves[i % len(leaves)],
                manager=managers[i % len(managers)],
                phase=phase,
                # Deterministic, and every mix at any scale (3 and 4 are coprime).
                project_type=types[i % len(types)],
                size_class=sizes[i % len(sizes)],
                start_date=start,
                end_date=start + timedelta(days=data.rng.randint(90, 900)),
                active=phase != Project.Phase.CLOSED,
            )
        )
    data.projects = Project.objects.bulk_create(projects, batch_size=1000)


STEPS = [build_people, build_units, build_projects]
