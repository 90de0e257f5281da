"""Demo data: a library of 20 assets with versions, one published standard set,
two deployment plans and deployments in every state (deterministic); and, as a
late step, release dates that make the program's momentum fall.

Everything goes through the services with the demo people as actors, so the
history reads like a real program.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from deployment import coverage_counts, services
from deployment.dashboard import assets_released
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from opf.core.dashboard import add_months, momentum_series, month_start
from opf.core.services import save_object
from opf.core.thresholds import falling_months
from opf.organization.demo import Demo
from opf.organization.scope import DashboardFilter
from opf.reference.models import ProcessArea

K = ProcessAsset.Kind
ASSETS = [
    # code, name, kind, requires training, process areas, tags
    ("sdp", "Software development process", K.STANDARD_PROCESS, True, "PP PMC", "lifecycle"),
    ("reqm-proc", "Requirements management procedure", K.PROCEDURE, False, "REQM", "requirements"),
    ("rd-guide", "Requirements elicitation guideline", K.GUIDELINE, False, "RD", "requirements"),
    ("pp-tmpl", "Project plan template", K.TEMPLATE, False, "PP", "planning"),
    ("est-guide", "Estimation guideline", K.GUIDELINE, True, "PP", "planning, estimation"),
    ("pmc-check", "Status review checklist", K.CHECKLIST, False, "PMC", "monitoring"),
    ("risk-proc", "Risk management procedure", K.PROCEDURE, True, "RSKM", "risk"),
    ("risk-tmpl", "Risk register template", K.TEMPLATE, False, "RSKM", "risk"),
    ("cm-proc", "Configuration management procedure", K.PROCEDURE, True, "CM", "configuration"),
    ("cm-plan", "CM plan template", K.TEMPLATE, False, "CM", "configuration"),
    ("peer-rev", "Peer review procedure", K.PROCEDURE, True, "VER", "verification"),
    ("peer-check", "Code review checklist", K.CHECKLIST, False, "VER", "verification"),
    ("test-proc", "Test process", K.STANDARD_PROCESS, False, "VAL VER", "testing"),
    ("ppqa-check", "Process audit checklist", K.CHECKLIST, False, "PPQA", "quality"),
    ("ma-defs", "Project measures definitions", K.MEASURE_DEFINITION, False, "MA", "measures"),
    ("dar-guide", "Decision analysis guideline", K.GUIDELINE, False, "DAR", "decisions"),
    ("tailor-guide", "Tailoring guidelines", K.TAILORING_GUIDELINE, False, "OPD IPM", "tailoring"),
    (
        "sdp-course",
        "Software process training course",
        K.TRAINING_MATERIAL,
        False,
        "OT",
        "training",
    ),
    ("supplier-proc", "Supplier agreement procedure", K.PROCEDURE, False, "SAM", "suppliers"),
    ("lessons-tmpl", "Lessons learned template", K.TEMPLATE, False, "OPF", "lessons"),
]
SET_ASSETS = ("sdp", "reqm-proc", "pp-tmpl", "risk-proc", "cm-proc", "peer-rev", "test-proc")
STATES = ["not_started", "planning", "training", "in_use", "verified", "waived"]


def _version(asset: ProcessAsset, number: str, summary: str, demo: Demo) -> AssetVersion:
    return save_object(
        AssetVersion(
            asset=asset,
            number=number,
            change_summary=summary,
            link=f"https://intranet.acme.example/pal/{asset.code}/{number}/",
            origin="" if number == "1.0" else f"Action plan PAP-{demo.rng.randint(10, 40)}",
        ),
        actor=demo.users["epg"],
    )


def _approved(version: AssetVersion, demo: Demo) -> AssetVersion:
    services.asset_version_submit(version, actor=demo.users["epg"])
    return services.asset_version_approve(version, actor=demo.users["exec"])


def _release(version: AssetVersion, demo: Demo) -> None:
    _approved(version, demo)
    services.asset_version_release(version, actor=demo.users["epg"])


def build_library(demo: Demo) -> None:
    epg = demo.users["epg"]
    areas = {a.abbreviation: a for a in ProcessArea.objects.filter(reference_model__builtin=True)}
    assets: dict[str, ProcessAsset] = {}
    for code, name, kind, training, pas, tags in ASSETS:
        asset = save_object(
            ProcessAsset(
                code=code,
                name=name,
                kind=kind,
                owner=demo.users["epg2" if len(assets) % 2 else "epg"],
                tags=tags,
                requires_training=training,
                description=f"{name}: part of Acme's organizational process assets.",
            ),
            actor=epg,
        )
        asset.process_areas.set([areas[a] for a in pas.split() if a in areas])
        assets[code] = asset
        _release(_version(asset, "1.0", "First organizational release.", demo), demo)
    demo.assets = assets  # type: ignore[attr-defined]


def build_standard_set(demo: Demo) -> None:
    versions = AssetVersion.objects.filter(
        asset__code__in=SET_ASSETS, state=AssetVersion.State.RELEASED
    )
    standard_set = save_object(
        StandardProcessSet(
            name="Acme standard process set",
            baseline="2025.1",
            description="The organization's set of standard processes, first baseline.",
        ),
        actor=demo.users["epg"],
    )
    standard_set.asset_versions.set(versions)
    services.standard_set_submit(standard_set, actor=demo.users["epg"])
    services.standard_set_approve(standard_set, actor=demo.users["exec"])
    services.standard_set_publish(standard_set, actor=demo.users["epg"])
    demo.standard_set = standard_set  # type: ignore[attr-defined]


def build_plans(demo: Demo) -> None:
    epg, executive = demo.users["epg"], demo.users["exec2"]
    first = save_object(
        DeploymentPlan(
            name="Engineering rollout of the standard set",
            standard_set=demo.standard_set,  # type: ignore[attr-defined]
            start_date=demo.today - timedelta(days=200),
            end_date=demo.today + timedelta(days=60),
            training_notes="Two half-day sessions per unit; course material in the library.",
            support_notes="Process group office hours every Thursday.",
        ),
        actor=epg,
    )
    first.target_units.set([demo.units["eng"]])
    services.deployment_plan_submit(first, actor=epg, approver=executive)
    services.deployment_plan_approve(first, actor=executive)

    # New releases after the first rollout: projects on v1 become "superseded".
    assets = demo.assets  # type: ignore[attr-defined]
    for index, code in enumerate(("sdp", "risk-proc", "peer-rev", "pp-tmpl", "est-guide")):
        _release(
            _version(
                assets[code], "2.0", "Simplified after the pilot; fewer mandatory steps.", demo
            ),
            demo,
        )
        if index < 2:
            _release(_version(assets[code], "2.1", "Clarified roles and examples.", demo), demo)
    # One draft waits for the executive "exec"; one was sent back to epg with a comment.
    services.asset_version_submit(
        _version(assets["test-proc"], "2.0", "Draft: adds exploratory testing.", demo),
        actor=epg,
        approver=demo.users["exec"],
    )
    services.asset_version_send_back(
        services.asset_version_submit(
            _version(assets["lessons-tmpl"], "2.0", "Adds a section on reuse.", demo), actor=epg
        ),
        actor=demo.users["exec2"],
        reason="Say which projects asked for the reuse section.",
    )
    _approved(
        _version(assets["cm-proc"], "2.0", "Branching strategy for product lines.", demo), demo
    )

    second = save_object(
        DeploymentPlan(
            name="Operations adoption of planning and risk assets",
            start_date=demo.today - timedelta(days=40),
            end_date=demo.today + timedelta(days=120),
            training_notes="E-learning module for planning; risk workshop.",
            support_notes="A process engineer joins each project's kick-off.",
        ),
        actor=epg,
    )
    second.asset_versions.set(
        AssetVersion.objects.filter(
            asset__code__in=("pp-tmpl", "risk-proc", "pmc-check", "lessons-tmpl"),
            state=AssetVersion.State.RELEASED,
        )
    )
    second.target_units.set([demo.units["ops"]])
    second.target_projects.set([p for p in demo.projects if p.org_unit.code == "quality"][:1])
    services.deployment_plan_submit(second, actor=epg)
    services.deployment_plan_approve(second, actor=demo.users["exec"])

    # Aimed at the root unit: the scope panel's enterprise-wide initiative (waiting for
    # an executive's approval, so it deploys nothing yet; on the program calendar, the
    # approval is due by its start).
    enterprise = save_object(
        DeploymentPlan(
            name="Enterprise rollout of the lessons-learned template",
            start_date=demo.today + timedelta(days=21),
            end_date=demo.today + timedelta(days=210),
            training_notes="A one-hour briefing per division.",
        ),
        actor=epg,
    )
    enterprise.target_units.set([demo.units["acme"]])
    enterprise.asset_versions.set(
        AssetVersion.objects.filter(asset__code="lessons-tmpl", state=AssetVersion.State.RELEASED)
    )
    services.deployment_plan_submit(enterprise, actor=epg, approver=demo.users["exec"])


def progress_deployments(demo: Demo) -> None:
    """Move deployments into every state as their managers would."""
    deployments = list(
        ProjectDeployment.objects.select_related(
            "project__manager", "asset_version__asset"
        ).order_by("project__code", "asset_version__asset__code", "pk")
    )
    verifier = demo.users["epg"]
    paths = {
        "not_started": [],
        "planning": ["plan"],
        "training": ["plan", "train"],
        "in_use": ["plan", "train", "use"],
        "verified": ["plan", "use", "verify"],
        "waived": ["waive"],
    }
    for index, deployment in enumerate(deployments):
        target = STATES[(index + demo.rng.randint(0, 5)) % len(STATES)]
        manager = deployment.project.manager or verifier
        if target in ("in_use", "verified") and deployment.asset_version.asset.requires_training:
            people = services.people_of([deployment.project])[deployment.project_id]
            TrainingRecord.objects.bulk_create(
                [
                    TrainingRecord(person_id=pk, asset_version=deployment.asset_version)
                    for pk in people
                ],
                ignore_conflicts=True,
            )
            TrainingRecord.objects.filter(
                person_id__in=people, asset_version=deployment.asset_version
            ).update(
                status=TrainingRecord.Status.DONE,
                completed_on=demo.today - timedelta(days=demo.rng.randint(5, 60)),
            )
        for step in paths[target]:
            actor = verifier if step == "verify" else manager
            services.deployment_update(
                deployment,
                actor=actor,
                expected_version=None,
                transition=step,
                reason="Not applicable to this project's scope." if step == "waive" else "",
                notes=f"Step '{step}' recorded by {actor}." if step != "verify" else None,
            )
    # Some deployments went quiet: they show as stale.
    quiet = [d.pk for d in deployments[::9]]
    ProjectDeployment.objects.filter(pk__in=quiet).exclude(
        state__in=ProjectDeployment.CLOSED_STATES
    ).update(updated_at=timezone.now() - timedelta(days=75))
    coverage_counts.forget()  # an update() sends no signal


def build_tailoring(demo: Demo) -> None:
    candidates = list(
        ProjectDeployment.objects.filter(
            state__in=[ProjectDeployment.State.PLANNING, ProjectDeployment.State.IN_USE]
        )
        .select_related("project__manager")
        .order_by("pk")[:3]
    )
    whats = [
        ("Weekly instead of daily status reviews", "A four-person team co-located in one room."),
        ("Risk register kept in the issue tracker", "The customer requires their tool."),
        ("Peer reviews by pairs instead of formal inspections", "Small changes, pair programming."),
    ]
    for index, (deployment, (what, why)) in enumerate(zip(candidates, whats, strict=False)):
        record = save_object(
            TailoringRecord(deployment=deployment, what=what, why=why),
            actor=deployment.project.manager or demo.users["epg"],
        )
        if index == 0:
            services.tailoring_approve(record, actor=demo.users["epg"])


STEPS = [build_library, build_standard_set, build_plans, progress_deployments, build_tailoring]


def falling_releases(demo: Demo) -> None:
    """A late step (after every app's ``STEPS``: it reads every momentum series).

    Date the released asset versions so that the program's momentum (every
    app's monthly series summed) has fallen for ``OPF_MOMENTUM_FALLING_MONTHS``
    months in a row up to this month, whatever else the demo did in those
    months: the momentum warning then shows on any day the demo is built.

    Working back from this month (no releases yet), each earlier month gets
    enough releases to stand at least two above the month after it; the older
    versions go one a month before that."""
    this_month = month_start(demo.today)
    months = [add_months(this_month, -back) for back in range(falling_months(), -1, -1)]
    period = DashboardFilter(user=demo.users["epg"], org_unit=None, start=months[0], end=demo.today)
    others = [0] * len(months)
    for entry in momentum_series():
        if entry.counts is assets_released:
            continue
        counts = entry.counts(period)
        others = [total + counts.get(month, 0) for total, month in zip(others, months, strict=True)]
    releases = [0] * len(months)
    total = others[-1]
    for index in range(len(months) - 2, -1, -1):
        total = max(total + 2, others[index] + 1)
        releases[index] = total - others[index]

    def mid_month(month: date) -> datetime:
        return timezone.make_aware(datetime.combine(month.replace(day=10), time(12)))

    released = list(AssetVersion.objects.filter(released_at__isnull=False).order_by("-pk"))
    for month, count in zip(months, releases, strict=True):
        batch, released = released[:count], released[count:]
        AssetVersion.objects.filter(pk__in=[v.pk for v in batch]).update(
            released_at=mid_month(month)
        )
    for index, version in enumerate(released):
        AssetVersion.objects.filter(pk=version.pk).update(
            released_at=mid_month(add_months(months[0], -(1 + index % 8)))
        )


LATE_STEPS = [falling_releases]
