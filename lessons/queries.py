"""Reads of this area: lessons for a page, compliance over time, control charts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, F, Model, Q, QuerySet, Sum
from django.utils import timezone

from deployment.models import ProcessAsset, ProjectDeployment
from lessons import compliance_counts
from lessons.models import AuditItem, ComplianceAudit, Lesson, Measure, Measurement, NonCompliance
from lessons.models.audits import compliance_score
from opf.core import spc
from opf.organization.models import Project

if TYPE_CHECKING:
    from opf.core.accounts import User

# --- lessons -----------------------------------------------------------------


def published_lessons() -> QuerySet[Lesson]:
    return Lesson.objects.filter(state=Lesson.State.PUBLISHED).select_related(
        "project", "asset", "submitted_by"
    )


def lessons_for(obj: Model) -> QuerySet[Lesson]:
    """Published lessons concerning a project (its own, and those on the assets it
    uses) or an asset. One query whatever the number of lessons."""
    if isinstance(obj, Project):
        assets = ProjectDeployment.objects.filter(project=obj).values("asset_version__asset_id")
        return published_lessons().filter(Q(project=obj) | Q(asset_id__in=assets))
    if isinstance(obj, ProcessAsset):
        return published_lessons().filter(asset=obj)
    return Lesson.objects.none()


def lessons_for_managed_projects(user: User) -> list[tuple[Project, list[Lesson]]]:
    """For each active project the user manages (start-up first): the published
    lessons on its assets or from similar work. Three queries."""
    projects = list(
        Project.objects.filter(manager=user, active=True)
        .select_related("org_unit")
        .order_by("start_date")
    )
    projects.sort(key=lambda p: p.phase != Project.Phase.STARTUP)
    uses: dict[int, set[int]] = defaultdict(set)
    for project_id, asset_id in ProjectDeployment.objects.filter(project__in=projects).values_list(
        "project_id", "asset_version__asset_id"
    ):
        uses[project_id].add(asset_id)
    all_assets = set().union(*uses.values()) if uses else set()
    lessons = list(published_lessons().filter(Q(asset_id__in=all_assets) | Q(project__in=projects)))
    return [
        (
            project,
            [
                lesson
                for lesson in lessons
                if lesson.asset_id in uses[project.pk] or lesson.project_id == project.pk
            ],
        )
        for project in projects
    ]


# --- compliance over time ----------------------------------------------------


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass
class ComplianceRow:
    label: str
    url: str = ""
    cells: dict[str, Decimal | None] = field(default_factory=dict)


@dataclass
class ComplianceTable:
    title: str
    periods: list[str]
    rows: list[ComplianceRow]

    def grid(self) -> list[tuple[ComplianceRow, list[Decimal | None]]]:
        return [(row, [row.cells.get(p) for p in self.periods]) for row in self.rows]


def _counts_by(by: str) -> QuerySet:
    """Compliant (``ok``) and non-compliant (``bad``) items of the counted audits
    (``compliance_counts.counted_audits``) per key, label and performance date: summed
    from the audits' kept counts, or by asset (an item's, not an audit's) from the
    items, by the same rule (``compliance_counts``)."""
    if by == "asset":
        return (
            AuditItem.objects.filter(
                audit__in=compliance_counts.counted_audits(), asset_version__isnull=False
            )
            .order_by()
            .values(
                key=F("asset_version__asset_id"),
                label=F("asset_version__asset__name"),
                day=F("audit__performed_date"),
            )
            .annotate(
                ok=Count("pk", filter=compliance_counts.COMPLIANT),
                bad=Count("pk", filter=compliance_counts.NON_COMPLIANT),
            )
        )
    path = {"project": "project", "org_unit": "project__org_unit"}[by]
    return (
        compliance_counts.counted_audits()
        .filter(**{f"{path}__isnull": False})
        .values(key=F(f"{path}_id"), label=F(f"{path}__name"), day=F("performed_date"))
        .annotate(ok=Sum("compliant_items"), bad=Sum(compliance_counts.NON_COMPLIANT_ITEMS))
    )


def compliance_over_time(by: str) -> ComplianceTable:
    """Compliance % per quarter of the completed audits, by ``project``, ``org_unit``
    or ``asset``: compliant / (compliant + non-compliant) items. One query."""
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    labels: dict[int, str] = {}
    periods: set[str] = set()
    for row in _counts_by(by):
        period = quarter_of(row["day"])
        periods.add(period)
        labels[row["key"]] = row["label"]
        counts[(row["key"], period)][0] += row["ok"]
        counts[(row["key"], period)][1] += row["bad"]
    table_rows = []
    for pk, label in sorted(labels.items(), key=lambda kv: kv[1]):
        cells = {
            period: compliance_score(*counts[(pk, period)])
            for period in periods
            if (pk, period) in counts
        }
        table_rows.append(ComplianceRow(label, "", cells))
    return ComplianceTable(by, sorted(periods), table_rows)


def compliance_trend() -> list[tuple[str, Decimal | None]]:
    """The organization's compliance % per quarter (for the chart), the quarters with
    items judged: from the audits' kept counts."""
    rows = (
        compliance_counts.counted_audits()
        .values("performed_date")
        .annotate(ok=Sum("compliant_items"), bad=Sum(compliance_counts.NON_COMPLIANT_ITEMS))
    )
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row["ok"] or row["bad"]:
            period = quarter_of(row["performed_date"])
            counts[period][0] += row["ok"]
            counts[period][1] += row["bad"]
    return [(p, compliance_score(*counts[p])) for p in sorted(counts)]


AGE_BANDS = ((30, "0-30"), (90, "31-90"), (None, ">90"))


def age_bands(today: date) -> list[tuple[str, Q]]:
    """``AGE_BANDS`` as filters on the opening date: a non-compliance falls in the first
    band whose limit its age in days at ``today`` is within (no limit: any age)."""
    bands: list[tuple[str, Q]] = []
    younger: date | None = None  # the opening date at the previous band's limit
    for limit, label in AGE_BANDS:
        oldest = today - timedelta(days=limit) if limit is not None else None
        q = Q(opened_on__gte=oldest) if oldest is not None else Q(opened_on__isnull=False)
        bands.append((label, q & Q(opened_on__lt=younger) if younger is not None else q))
        younger = oldest
    return bands


def open_ncs_by_age(
    ncs: QuerySet[NonCompliance], today: date
) -> tuple[dict[str, dict[str, int]], int]:
    """``ncs`` counted by severity and age band (``AGE_BANDS``) at ``today``, and how
    many of them are overdue then (due before it): one query, a row per severity."""
    bands = age_bands(today)
    counts = {f"band_{i}": Count("pk", filter=q) for i, (_label, q) in enumerate(bands)}
    rows = (
        ncs.order_by()
        .values("severity")
        .annotate(**counts, overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    found = {row["severity"]: row for row in rows}
    aging = {
        severity: {
            label: found[severity][f"band_{i}"] if severity in found else 0
            for i, (label, _q) in enumerate(bands)
        }
        for severity in NonCompliance.Severity.values
    }
    return aging, sum(row["overdue"] for row in found.values())


def open_nc_aging() -> list[dict[str, Any]]:
    """Open non-compliances by severity and age band (0-30, 31-90, over 90 days)."""
    aging, _overdue = open_ncs_by_age(
        NonCompliance.objects.filter(state__in=NonCompliance.OPEN_STATES, archived_at__isnull=True),
        timezone.localdate(),
    )
    labels = dict(NonCompliance.Severity.choices)
    return [
        {"severity": labels[s], "counts": list(aging[s].values())}
        for s in NonCompliance.Severity.values
    ]


def average_score() -> Decimal | None:
    return ComplianceAudit.objects.filter(
        state=ComplianceAudit.State.COMPLETED, archived_at__isnull=True
    ).aggregate(avg=Avg("score"))["avg"]


# --- control charts ----------------------------------------------------------


@dataclass
class ControlChart:
    measure: Measure
    project: Project | None
    periods: list[date]
    values: list[float]
    chart: spc.XmR | None
    error: str = ""

    @property
    def signals(self) -> list[tuple[date, float, list[str]]]:
        if self.chart is None:
            return []
        return [
            (self.periods[p.index], p.value, [str(spc.SIGNAL_LABELS[s]) for s in p.signals])
            for p in self.chart.signals
        ]


def control_chart(measure: Measure, project: Project | None = None) -> ControlChart:
    """The measure's values by month (one project's, or the mean over projects),
    with natural process limits and signals. One query."""
    rows = Measurement.objects.filter(measure=measure)
    if project is not None:
        series = list(
            rows.filter(project=project).order_by("period").values_list("period", "value")
        )
    else:
        series = list(
            rows.values("period")
            .annotate(v=Avg("value"))
            .order_by("period")
            .values_list("period", "v")
        )
    periods = [p for p, _v in series]
    values = [float(v) for _p, v in series]
    try:
        chart = spc.xmr(values)
    except spc.NotEnoughData as error:
        return ControlChart(measure, project, periods, values, None, str(error))
    return ControlChart(measure, project, periods, values, chart)
