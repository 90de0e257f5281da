"""The demo's initiatives: the gap essay's story (#20).

Ground Systems, the department stuck at level 2, ran a Six Sigma initiative that ended
seven months ago without deploying anything; its black belt left the company with his
DMAIC plan still open (a departed advocate). Within months a Lean initiative started in
IT Services, another department with another method (the churn warning). Meanwhile the
enterprise CMMI initiative, owned by the process group lead and sponsored by the COO,
groups the program's appraisals, improvements and plans.

This package sits below the lifecycle apps, so it reaches their models through the
initiative's relations (``action_plans``, ``appraisals``, ``improvements``) instead of
importing them.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from opf.core.accounts import User
from opf.core.roles import MEMBER
from opf.core.services import save_object
from opf.initiatives import services
from opf.initiatives.models import Initiative
from opf.initiatives.views import GROUPED
from opf.organization.demo import DEMO_PASSWORD, Demo

ENTERPRISE = "Enterprise CMMI programme"


def build_initiatives(demo: Demo) -> None:
    epg = demo.users["epg"]
    today = timezone.localdate()
    black_belt = User.objects.create_user(
        username="blackbelt",
        first_name="Oscar",
        last_name="Lindgren",
        email="blackbelt@acme.example",
        password=DEMO_PASSWORD,
        job_title="Six Sigma black belt",
        org_unit=demo.units["ground"],
    )
    black_belt.groups.add(Group.objects.get(name=MEMBER.group))
    six_sigma = save_object(
        Initiative(
            name="Six Sigma in Ground Systems",
            method=Initiative.Method.SIX_SIGMA,
            owning_unit=demo.units["ground"],
            owner=black_belt,
            sponsor=demo.users["exec2"],
            start=today - timedelta(days=520),
            description="DMAIC projects on defect escapes, run by the department's black belt.",
        ),
        actor=epg,
    )
    services.initiative_activate(six_sigma, actor=epg)
    plan_model = six_sigma.action_plans.model
    save_object(
        plan_model(
            title="DMAIC: defect escapes in ground software",
            strategy="Measure escapes per release, analyse root causes, pilot peer reviews.",
            owner=black_belt,
            initiative=six_sigma,
        ),
        actor=epg,
    )
    services.initiative_end(
        six_sigma, actor=epg, reason="The black belt left; nothing was deployed."
    )
    Initiative.objects.filter(pk=six_sigma.pk).update(end=today - timedelta(days=210))
    User.objects.filter(pk=black_belt.pk).update(is_active=False)

    lean = save_object(
        Initiative(
            name="Lean service management in IT",
            method=Initiative.Method.LEAN,
            owning_unit=demo.units["it"],
            owner=demo.users["pm4"],
            start=today - timedelta(days=100),
            description="Value-stream mapping of the service desk; a new group, a new method.",
        ),
        actor=epg,
    )
    services.initiative_activate(lean, actor=epg)

    enterprise = save_object(
        Initiative(
            name=ENTERPRISE,
            method=Initiative.Method.CMMI,
            owning_unit=demo.units["acme"],
            owner=epg,
            sponsor=demo.users["exec"],
            start=today - timedelta(days=420),
            description="One standard process set for every division, toward level 3.",
        ),
        actor=epg,
    )
    services.initiative_activate(enterprise, actor=epg)


def group_program_records(demo: Demo) -> None:
    """The program's appraisals, improvements and plans that belong to no initiative
    belong to the enterprise one."""
    enterprise = Initiative.objects.get(name=ENTERPRISE)
    for name in GROUPED:
        model = getattr(enterprise, name).model
        model._default_manager.filter(initiative__isnull=True).update(initiative=enterprise)


STEPS = [build_initiatives]
LATE_STEPS = [group_program_records]
