"""Benchmark data of this app (``manage.py build_dataset``), bulk-inserted: at
scale 1 1,500 completed audits over three years spread over the active
projects (each sampling a quarter of its project's deployments, about one item
in six non-compliant, each with its non-compliance), 1,800 lessons, 1,200
proposals, 20 measures with 36 months for 60 projects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from deployment.models import ProjectDeployment
from lessons import compliance_counts, spent_hours
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
)
from lessons.models.audits import compliance_score
from opf.organization.dataset import Dataset

if TYPE_CHECKING:
    from opf.core.accounts import User
    from opf.organization.models import Project

R = AuditItem.Result


def _month(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


AUDITS_AT_SCALE_1 = 1500
MEASURES = 20
MONTHS = 36
MEASURED_PROJECTS_AT_SCALE_1 = 60


def _audits(data: Dataset, active: list[Project]) -> list[ComplianceAudit]:
    """Completed audits spread over three years, the latest ones over the last year at
    any scale: some non-compliances are overdue."""
    auditors: Sequence[User | None] = data.users.get("appraiser") or [None]
    return ComplianceAudit.objects.bulk_create(
        (
            ComplianceAudit(
                project=active[i % len(active)],
                auditor=auditors[i % len(auditors)],
                planned_date=data.today
                - timedelta(days=15 + i * 37 % 330 + 365 * (i // len(active) % 3)),
                performed_date=data.today
                - timedelta(days=15 + i * 37 % 330 + 365 * (i // len(active) % 3)),
                state=ComplianceAudit.State.COMPLETED,
            )
            for i in range(data.count(AUDITS_AT_SCALE_1, 3) if active else 0)
        ),
        batch_size=1000,
    )


def _deployments_of(audited: list[Project]) -> dict[int, list[tuple[int, int]]]:
    """(deployment, asset version) pairs of each audited project, waived ones left out."""
    deployments_of: dict[int, list[tuple[int, int]]] = {}
    for deployment_id, project_id, version_id in (
        ProjectDeployment.objects.filter(project__in=audited)
        .exclude(state=ProjectDeployment.State.WAIVED)
        .values_list("pk", "project_id", "asset_version_id")
        .order_by("pk")
    ):
        deployments_of.setdefault(project_id, []).append((deployment_id, version_id))
    return deployments_of


def _audit_items(
    audits: list[ComplianceAudit], deployments_of: dict[int, list[tuple[int, int]]]
) -> list[AuditItem]:
    """Each audit samples a quarter of its project's deployments (at least one); about
    one item in six is non-compliant."""
    audits_of: dict[int, list[ComplianceAudit]] = {}
    for audit in audits:
        if audit.project_id is not None:  # the benchmark audits projects only
            audits_of.setdefault(audit.project_id, []).append(audit)
    items = []
    n = 0
    for project_id, project_audits in audits_of.items():
        deployments = deployments_of.get(project_id, [])
        for r, audit in enumerate(project_audits):
            for deployment_id, version_id in deployments[r % 4 :: 4] or deployments[:1]:
                result = (
                    R.NON_COMPLIANT
                    if n % 6 == 0
                    else R.NOT_APPLICABLE
                    if n % 11 == 0
                    else R.COMPLIANT
                )
                n += 1
                items.append(
                    AuditItem(
                        audit=audit,
                        deployment_id=deployment_id,
                        asset_version_id=version_id,
                        result=result,
                        evidence="Sampled.",
                    )
                )
    AuditItem.objects.bulk_create(items, batch_size=2000)
    return items


def _score_audits(audits: list[ComplianceAudit]) -> None:
    """Written in bulk (no signals): the audits' item counts are counted here, once the
    items and their non-compliances are in, and the scores set from them."""
    compliance_counts.recount([a.pk for a in audits])
    counted = ComplianceAudit.objects.filter(pk__in=[a.pk for a in audits]).values_list(
        "pk", "compliant_items", compliance_counts.NON_COMPLIANT_ITEMS
    )
    scores = {pk: compliance_score(ok, bad) for pk, ok, bad in counted}
    for audit in audits:
        audit.score = scores[audit.pk]
    ComplianceAudit.objects.bulk_update(audits, ["score"], batch_size=1000)


def _non_compliances(
    data: Dataset,
    audited: list[Project],
    items: list[AuditItem],
    version_asset: dict[int | None, int],
) -> None:
    """One non-compliance per non-compliant item, owned by the project's manager."""
    managers = {p.pk: p.manager_id for p in audited}
    states = [s.value for s in NonCompliance.State]
    severities = [s.value for s in NonCompliance.Severity]
    ncs = []
    for n, item in enumerate(i for i in items if i.result == R.NON_COMPLIANT):
        audit = item.audit
        performed = audit.performed_date
        assert performed is not None  # every audit above was performed
        ncs.append(
            NonCompliance(
                title=f"Not followed #{n}",
                audit=audit,
                item=item,
                project_id=audit.project_id,
                asset_id=version_asset.get(item.asset_version_id),
                severity=severities[n % 3],
                owner_id=managers.get(audit.project_id or 0),
                # every other one already past due (overdue while open), at any scale
                due_date=performed + timedelta(days=30)
                if n % 2
                else data.today - timedelta(days=1 + n % 10),
                state=states[n % 4],
                opened_on=performed,
            )
        )
    NonCompliance.objects.bulk_create(ncs, batch_size=2000)


def _lessons(data: Dataset, active: list[Project], members: Sequence[User | None]) -> None:
    Lesson.objects.bulk_create(
        (
            Lesson(
                title=f"Lesson {i}",
                what_happened="Something happened.",
                next_time="Do it better.",
                tags="bench, lessons",
                project=active[i % len(active)] if active else None,
                submitted_by=members[i % len(members)],
                state=Lesson.State.PUBLISHED if i % 3 else Lesson.State.SUBMITTED,
            )
            for i in range(data.count(1800, 2))
        ),
        batch_size=2000,
    )


def _proposals(
    data: Dataset, version_asset: dict[int | None, int], members: Sequence[User | None]
) -> None:
    """Proposals against the assets the audited projects deployed."""
    assets = list({a for a in version_asset.values()})
    if assets:
        ImprovementProposal.objects.bulk_create(
            (
                ImprovementProposal(
                    title=f"Proposal {i}",
                    asset_id=assets[i % len(assets)],
                    problem="A problem.",
                    proposed_change="A change.",
                    submitted_by=members[i % len(members)],
                )
                for i in range(data.count(1200, 2))
            ),
            batch_size=2000,
        )


def _measurements(data: Dataset, active: list[Project]) -> None:
    """Monthly values of every bench measure for the first active projects."""
    measures = Measure.objects.bulk_create(
        Measure(name=f"Bench measure {i}", unit="%", counted="Bench.") for i in range(MEASURES)
    )
    Measurement.objects.bulk_create(
        (
            Measurement(
                measure=measure,
                project=project,
                period=_month(data.today, back),
                value=Decimal(f"{10 + data.rng.uniform(-2, 2):.2f}"),
            )
            for measure in measures
            for project in active[: data.count(MEASURED_PROJECTS_AT_SCALE_1, 2)]
            for back in range(MONTHS)
        ),
        batch_size=5000,
    )


def build(data: Dataset) -> None:
    active = [p for p in data.projects if p.active]
    audited = active
    audits = _audits(data, active)
    items = _audit_items(audits, _deployments_of(audited))
    version_asset = dict(
        ProjectDeployment.objects.filter(project__in=audited).values_list(
            "asset_version_id", "asset_version__asset_id"
        )
    )
    _non_compliances(data, audited, items, version_asset)
    _score_audits(audits)
    members: Sequence[User | None] = data.users.get("member") or [None]
    _lessons(data, active, members)
    _proposals(data, version_asset, members)
    _measurements(data, active)
    spent_hours.forget()  # the action items were written in bulk (no signal)


STEPS = [build]
