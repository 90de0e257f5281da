"""The program measures its own process (#19, ``lessons.process_measures``): cycle
times along the loop, approval waits and severity-weighted compliance, with worked
numbers; where the dashboard shows them (the funnel, compliance and engagement panels),
the query count and the plan's chapter."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from pypdf import PdfReader

from actions.models import Improvement, ProcessActionPlan
from deployment.milestones import refresh_milestones
from deployment.models import AssetVersion, ProjectDeployment
from lessons import dashboard, process_measures
from lessons.documents import program_process
from lessons.models import ComplianceAudit
from opf.core.dashboard import default_period, previous_period
from opf.core.freshness import bump
from opf.documents.models import Document
from opf.documents.services import document_render
from opf.organization.scope import DashboardFilter
from opf.steering.engagement import engagement
from tests.actions.factories import (
    ActionItemFactory,
    ImprovementFactory,
    PilotFactory,
    ProcessActionPlanFactory,
)
from tests.appraisals.factories import FindingFactory
from tests.deployment.factories import (
    AssetVersionFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import ProjectFactory
from tests.lessons.factories import (
    AuditItemFactory,
    ComplianceAuditFactory,
    ImprovementProposalFactory,
    NonComplianceFactory,
)

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def dated(history, day: date) -> None:
    history.update(history_date=at(day))
    refresh_milestones()  # the history re-dated in bulk: the stored milestones follow


def loop(
    start: date,
    *,
    selected: int,
    approved: int | None = None,
    released: int | None = None,
    deployed: int | None = None,
    verified: int | None = None,
    from_proposal: bool = False,
) -> Improvement:
    """An improvement through the loop, each step ``n`` days after ``start``."""
    improvement = ImprovementFactory(state=Improvement.State.SELECTED)
    dated(improvement.history.all(), start + timedelta(days=selected))
    if from_proposal:
        ImprovementProposalFactory(
            improvement=improvement, state="accepted", submitted_on=start, decided_on=start
        )
    else:
        finding = FindingFactory()
        dated(finding.history.all(), start)
        improvement.findings.add(finding)
    if approved is None:
        return improvement
    plan = ProcessActionPlanFactory(
        state=ProcessActionPlan.State.APPROVED, approved_at=at(start + timedelta(days=approved))
    )
    plan.improvements.add(improvement)
    if released is None:
        return improvement
    version = ReleasedVersionFactory(
        pilot=PilotFactory(action_plan=plan, decision="adopt"),
        released_at=at(start + timedelta(days=released)),
    )
    if deployed is None:
        return improvement
    deployment = ProjectDeploymentFactory(
        project=ProjectFactory(), asset_version=version, state=ProjectDeployment.State.IN_USE
    )
    dated(deployment.history.all(), start + timedelta(days=deployed))
    if verified is not None:
        deployment.state = ProjectDeployment.State.VERIFIED
        deployment.save()
        dated(
            deployment.history.filter(state=ProjectDeployment.State.VERIFIED),
            start + timedelta(days=verified),
        )
    refresh_milestones()  # the history re-dated in bulk: the stored milestones follow
    return improvement


@pytest.fixture
def scope(people):
    start, end = default_period(timezone.localdate())
    return DashboardFilter(people.executive, None, start, end)


def test_one_improvement_through_the_loop_gives_each_segment_and_the_cycle_time(scope):
    # A finding on day 0, selected on day 10, plan approved day 30, released day 60,
    # deployed day 75, verified day 90: segments 10, 20, 30, 15, 15; cycle time 75.
    day0 = timezone.localdate() - timedelta(days=120)
    loop(day0, selected=10, approved=30, released=60, deployed=75, verified=90)
    figures = dashboard.cycle_time_figures(scope)
    assert [s["median_days"] for s in figures["segments"]] == [10, 20, 30, 15, 15]
    assert [s["count"] for s in figures["segments"]] == [1, 1, 1, 1, 1]
    assert [(s["from"], s["to"]) for s in figures["segments"]] == [
        ("Finding or proposal", "Selected"),
        ("Selected", "Plan approved"),
        ("Plan approved", "Released"),
        ("Released", "Deployed"),
        ("Deployed", "Verified"),
    ]
    assert figures["cycle"]["median_days"] == 75
    assert figures["cycle"]["count"] == 1


def test_the_median_over_several_and_the_period_before(scope):
    today = timezone.localdate()
    loop(today - timedelta(days=120), selected=10, approved=30, released=60, deployed=75)
    loop(  # from a proposal: 4, 6, 30, 5 -> 45
        today - timedelta(days=70),
        selected=4,
        approved=10,
        released=40,
        deployed=45,
        from_proposal=True,
    )
    loop(today - timedelta(days=40), selected=30)  # selected only
    # Wholly in the period before: 5, 10, 10, 15 -> 40.
    loop(scope.start - timedelta(days=60), selected=5, approved=15, released=25, deployed=40)
    figures = dashboard.cycle_time_figures(scope)
    selected = figures["segments"][0]
    assert (selected["count"], selected["median_days"]) == (3, 10)  # 10, 4, 30
    assert (selected["count_before"], selected["median_days_before"]) == (1, 5)
    assert figures["segments"][1]["median_days"] == 13  # median of 20 and 6
    cycle = figures["cycle"]
    assert (cycle["count"], cycle["median_days"]) == (2, 60)  # median of 75 and 45
    assert (cycle["count_before"], cycle["median_days_before"]) == (1, 40)


def test_an_improvement_with_no_source_starts_when_recorded(scope):
    improvement = ImprovementFactory()  # a candidate, recorded 20 days ago
    day = timezone.localdate() - timedelta(days=20)
    dated(improvement.history.all(), day)
    improvement.state = Improvement.State.SELECTED
    improvement.save()
    dated(improvement.history.filter(state="selected"), day + timedelta(days=6))
    assert process_measures.milestones(Improvement.objects.all())[improvement.pk] == {
        "start": day,
        "selected": day + timedelta(days=6),
    }
    assert dashboard.cycle_time_figures(scope)["segments"][0]["median_days"] == 6


def test_each_milestone_is_the_earliest_of_its_rows_whatever_their_number(scope):
    """Several findings (one with two history rows, one shared), a proposal, several
    plans (one never approved, one cancelled), pilots and versions (one not released):
    each milestone is the earliest, per improvement, and the spent hours leave the
    cancelled plan out; the rows of another improvement do not leak in."""
    today = timezone.localdate()
    improvement = ImprovementFactory(state=Improvement.State.SELECTED)
    other = ImprovementFactory()
    dated(improvement.history.all(), today - timedelta(days=200))
    dated(other.history.all(), today - timedelta(days=5))
    early, late, shared = FindingFactory(), FindingFactory(), FindingFactory()
    dated(early.history.all(), today - timedelta(days=150))
    early.save()  # a second history row, later: the first counts
    dated(early.history.filter(history_date__gt=at(today - timedelta(days=150))), today)
    dated(late.history.all(), today - timedelta(days=90))
    dated(shared.history.all(), today - timedelta(days=300))
    improvement.findings.add(early, late)
    other.findings.add(shared)
    ImprovementProposalFactory(
        improvement=improvement, state="accepted", submitted_on=today - timedelta(days=120)
    )
    plans = [
        ProcessActionPlanFactory(state="approved", approved_at=at(today - timedelta(days=d)))
        for d in (60, 80)
    ]
    draft = ProcessActionPlanFactory(state="draft", approved_at=None)
    cancelled = ProcessActionPlanFactory(state="cancelled", approved_at=None)
    for plan in (*plans, draft, cancelled):
        plan.improvements.add(improvement)
    for plan, spent in ((plans[0], "2.5"), (plans[1], "4"), (draft, "1"), (cancelled, "30")):
        ActionItemFactory(plan=plan, spent_effort=Decimal(spent))
    for plan, days in ((plans[0], (20, 40)), (plans[1], (30,))):
        pilot = PilotFactory(action_plan=plan, decision="adopt")
        for d in days:
            ReleasedVersionFactory(pilot=pilot, released_at=at(today - timedelta(days=d)))
    AssetVersionFactory(pilot=PilotFactory(action_plan=draft, decision="adopt"))
    rows = {row["pk"]: row for row in process_measures.improvement_rows(Improvement.objects.all())}
    assert set(rows[improvement.pk]) == {
        "pk", "title", "state", *process_measures.CASE_FIELDS, *process_measures.MILESTONE_FIELDS
    }  # fmt: skip
    mine = rows[improvement.pk]
    assert mine["m_recorded"] == at(today - timedelta(days=200))
    assert mine["m_finding"] == at(today - timedelta(days=150))
    assert mine["m_proposal"] == today - timedelta(days=120)
    assert mine["m_approved"] == at(today - timedelta(days=80))
    assert mine["m_released"] == at(today - timedelta(days=40))
    assert mine["spent_hours"] == Decimal("7.5")  # 2.5 + 4 + 1, not the cancelled plan's
    assert mine["rate_in_use"] == Decimal("90") and mine["currency_in_use"] == "EUR"
    assert rows[other.pk]["m_finding"] == at(today - timedelta(days=300))
    assert rows[other.pk]["m_approved"] is None and rows[other.pk]["spent_hours"] is None
    assert process_measures.milestones(Improvement.objects.all())[improvement.pk] == {
        "start": today - timedelta(days=150),  # the earliest finding, before the proposal
        "selected": today - timedelta(days=200),  # recorded selected
        "approved": today - timedelta(days=80),
        "released": today - timedelta(days=40),
    }


def _audit(day: date, results: list[tuple[str, str | None]]) -> ComplianceAudit:
    audit = ComplianceAuditFactory(
        state=ComplianceAudit.State.COMPLETED, performed_date=day, project=ProjectFactory()
    )
    for result, severity in results:
        item = AuditItemFactory(audit=audit, result=result, evidence="x")
        if severity:
            NonComplianceFactory(project=audit.project, audit=audit, item=item, severity=severity)
    return audit


def test_severity_weighted_compliance_with_worked_numbers(scope):
    today = timezone.localdate()
    # 3 compliant and 1 critical (weight 3): 3 / (3 + 3) = 50 %, unweighted 3 / 4 = 75 %.
    _audit(today, [("compliant", None)] * 3 + [("non_compliant", "critical")])
    # The period before: 4 compliant, 1 major (2), 1 with none raised (minor, 1), one n/a:
    # 4 / (4 + 2 + 1) = 57.1 %, unweighted 4 / 6 = 66.7 %.
    _audit(
        scope.start - timedelta(days=10),
        [("compliant", None)] * 4
        + [("non_compliant", "major"), ("non_compliant", None), ("not_applicable", None)],
    )
    figures = dashboard.build(scope)["weighted"]
    assert figures["weights"] == {"minor": 1, "major": 2, "critical": 3}
    assert figures["now"]["weighted"] == 50.0 and figures["now"]["plain"] == 75.0
    assert figures["now"]["non_compliant"] == {"minor": 0, "major": 0, "critical": 1}
    assert figures["before"]["weighted"] == 57.1 and figures["before"]["plain"] == 66.7
    with override_settings(OPF_COMPLIANCE_WEIGHT_CRITICAL=9):  # 3 / (3 + 9) = 25 %
        fresh = DashboardFilter(scope.user, None, scope.start, scope.end)
        assert dashboard.build(fresh)["weighted"]["now"]["weighted"] == 25.0
    # The compliance rate headline reads the same counts: 3 / 4.
    assert dashboard.compliance_figure(scope)["value"] == 75.0


def test_approval_waits_per_kind_of_record(scope, people, client_as):
    today = timezone.localdate()
    version = ReleasedVersionFactory(state=AssetVersion.State.SUBMITTED)
    version.state = AssetVersion.State.APPROVED
    version.save()
    submitted, decided = version.history.order_by("history_date", "history_id")
    dated(version.history.filter(history_id=submitted.history_id), today - timedelta(days=9))
    dated(version.history.filter(history_id=decided.history_id), today - timedelta(days=5))
    figures = engagement(scope)
    assert figures["approval_kinds"] == [
        {
            "kind": "Asset versions",
            "count": 1,
            "median_days": 4.0,
            "count_before": 0,
            "median_days_before": None,
        }
    ]
    assert figures["committee"]["median_days"] == 4.0
    page = client_as(people.executive).get("/dashboard/").content.decode()
    assert 'id="approval-kinds"' in page and "by kind of record" in page


def test_the_panel_reads_a_fixed_number_of_queries(scope):
    today = timezone.localdate()

    def measure() -> int:
        bump()  # each figure computed afresh (the loop and the business case are cached)
        with CaptureQueriesContext(connection) as queries:
            dashboard.build_effective_funnel(scope)
            dashboard.build(scope)
        return len(queries)

    loop(today - timedelta(days=120), selected=10, approved=30, released=60, deployed=75)
    _audit(today, [("compliant", None), ("non_compliant", "major")])
    measure()  # the first read also fills the permission caches
    few = measure()
    for n in range(4):
        loop(today - timedelta(days=100 - n), selected=3, approved=9, released=20, deployed=30)
        loop(today - timedelta(days=50), selected=2, from_proposal=True)
        _audit(today, [("compliant", None), ("non_compliant", "critical")])
    assert measure() == few


def test_the_dashboard_and_the_plan_show_the_figures(scope, people, client_as):
    today = timezone.localdate()
    loop(today - timedelta(days=120), selected=10, approved=30, released=60, deployed=75)
    _audit(today, [("compliant", None)] * 3 + [("non_compliant", "critical")])
    page = client_as(people.executive).get("/dashboard/").content.decode()
    assert "finding → deployed" in page and "median 75 days" in page
    assert "Plan approved → Released" in page  # the steps, in the funnel's details
    assert "50% (unweighted 75%)" in page
    assert "critical 3" in page  # the rule, with the weights in force
    assert 'id="approval-kinds"' not in page  # no approval decided: no row per kind
    api = client_as(people.executive).get("/api/v1/dashboard/").json()
    assert api["panels"]["funnel"]["loop"]["cycle"]["median_days"] == 75
    assert api["panels"]["compliance"]["weighted"]["now"]["weighted"] == 50.0
    chapter = program_process()
    assert chapter["cycle"]["median_days"] == 75
    assert chapter["compliance"]["now"]["weighted"] == 50.0
    # The plan's PDF has the chapter, with the figures and the rule.
    document = Document.objects.create(
        kind="improvement_plan", title="Plan", requested_by=people.epg
    )
    assert document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    text = " ".join(text.split())
    for expected in (
        "How the program's own process performs",
        "Finding or proposal → Deployed 75",
        "Plan approved → Released 30",
        "50% 75%",
        "critical 3",
    ):
        assert expected in text, expected


def test_a_briefing_frozen_before_the_measures_still_renders():
    """A briefing frozen earlier has the funnel's figures without ``loop`` and ``case``,
    the compliance figures without ``weighted``: the panels show what they have."""
    from django.template.loader import render_to_string

    old_funnel = {
        "href": "/improvements/",
        "stages": [{"stage": "selected", "label": "Selected", "count": 2, "href": "/x/"}],
    }
    html = render_to_string("lessons/dashboard/funnel.html", {"figures": old_funnel, "charts": {}})
    assert "Improvements by stage, with the median days in each" in html
    assert "Business case" not in html and "Cycle time" not in html
    old_compliance = {"href": "/c/", "nc_href": "/n/", "open_total": 0, "overdue": 0}
    html = render_to_string(
        "lessons/dashboard/compliance.html", {"figures": old_compliance, "charts": {}}
    )
    assert "Severity-weighted" not in html and "Compliance over time" in html


# (now, before) per segment: selected (edge_first, on the first day), approved
# (edge_last, on the last day), released and deployed (in the period before).
COUNTS_ENDING = [(0, 1), (1, 0), (0, 1), (0, 1), (0, 0)]


def test_the_cycle_time_reads_only_the_improvements_ending_a_step_in_the_periods(scope):
    """``ending_within``: the rows read are those with a milestone after the start in
    the period or the one before, the first and last local day included; the figures
    are those worked out from every improvement's row."""
    before = previous_period(scope)
    first, last = before.start, scope.end
    edge_first = loop(first - timedelta(days=40), selected=40)  # selected on the first day
    begun = first - timedelta(days=300)  # edge_last: selected long before, approved last
    edge_last = loop(begun, selected=1, approved=(last - begun).days)
    released = loop(first - timedelta(days=100), selected=1, approved=2, released=110)
    deployed = loop(first - timedelta(days=200), selected=1, approved=2, released=3, deployed=250)
    long_ago = loop(first - timedelta(days=400), selected=1, approved=2, released=3, deployed=4)
    ImprovementFactory(state=Improvement.State.CANDIDATE)  # no step at all
    Improvement.objects.filter(pk=edge_first.pk).update(
        first_verified_at=datetime.combine(
            last, time(23, 59), tzinfo=timezone.get_current_timezone()
        )
    )
    ending = set(
        process_measures.ending_within(Improvement.objects.all(), first, last).values_list(
            "pk", flat=True
        )
    )
    assert ending == {edge_first.pk, edge_last.pk, released.pk, deployed.pk}
    assert long_ago.pk not in ending  # its last step, 396 days before the first day
    every = process_measures.cycle_times(
        process_measures.improvement_rows(Improvement.objects.all()),
        process_measures.Period(scope.start, scope.end),
        process_measures.Period(before.start, before.end),
    )
    figures = dashboard.cycle_time_figures(scope)
    assert figures == every
    counts = [(s["count"], s["count_before"]) for s in figures["segments"]]
    assert counts == COUNTS_ENDING
