"""The demo organization (``./dev start``, ``manage.py demo_data``) tells the program's
story: every state of every record appears, every role finds work, and the pages
and dashboards read well on it.

The demo is built once for the module (per test worker), inside a transaction the
module rolls back at its end; each test runs in a savepoint inside it, so a test's
changes do not reach the next. Building it took 5-20 s, and a dozen tests each built
their own. The tests are ``heavy``: they start together at the head of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from actions import evaluation, services
from actions.evaluation import evaluate
from actions.models import ActionItem, Improvement, Pilot, ProcessActionPlan
from appraisals import queries
from appraisals.models import (
    Appraisal,
    Finding,
    LeadAppraiserQualification,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
)
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from lessons import baseline_queries, dashboard, effect_queries, measured_effect
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    ProcessPerformanceBaseline,
)
from lessons.queries import control_chart
from opf.core.accounts import User
from opf.core.calendar import ProgramWindow, program_events
from opf.core.dashboard import default_period
from opf.initiatives.models import Initiative
from opf.management.commands import demo_data
from opf.organization.models import OrgUnit
from opf.organization.scope import DashboardFilter
from opf.steering import demo as steering_demo
from opf.steering import engagement as engagement_figures
from opf.steering import initiatives
from opf.steering.models import (
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)
from tests.conftest import TEST_NOW
from tests.lessons.test_compliance_counts import recounted_changes_nothing
from tests.opf.test_program_calendar import KINDS

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]


@pytest.fixture(scope="module")
def demo_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TEST_NOW, tick=True),
        transaction.atomic(),
    ):
        call_command("demo_data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def demo(demo_world: None, db: None) -> None:
    """The module's demo, seen from inside the test's own transaction."""


# Needs, appraisals and ratings.
def test_demo_pages_render_for_every_role(demo, client):
    running = Appraisal.objects.get(state=Appraisal.State.IN_PROGRESS)
    closed = running.previous  # the demo also has an older closed one (stuck at level 2)
    assert closed.state == Appraisal.State.CLOSED
    urls = [
        "/process-needs/",
        ProcessNeed.objects.first().get_absolute_url(),
        "/appraisals/",
        closed.get_absolute_url(),
        running.get_absolute_url(),
        f"/appraisals/{closed.pk}/grid/",
        f"/appraisals/{running.pk}/grid/",
        f"/appraisals/{closed.pk}/report/",
        f"/appraisals/{running.pk}/report/",
        "/findings/",
        Finding.objects.first().get_absolute_url(),
        "/evidence/",
        "/ratings/",
        Rating.objects.first().get_absolute_url(),
        "/recommendations/",
        "/improvements/",
        Improvement.objects.first().get_absolute_url(),
        "/prioritization-criteria/",
        "/maturity/",
        f"/appraisals/{closed.pk}/unit-characterizations/",
        f"/appraisals/{running.pk}/unit-characterizations/",
        "/lead-appraisers/",
        LeadAppraiserQualification.objects.first().get_absolute_url(),
    ]
    for username in ("epg", "appraiser", "exec", "member"):
        client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)


# Needs, appraisals and ratings.
def test_demo_has_two_appraisals_and_a_ranked_improvement_list(demo):
    running = Appraisal.objects.get(state=Appraisal.State.IN_PROGRESS)
    closed = running.previous  # the demo also has an older closed one (stuck at level 2)
    assert closed.state == Appraisal.State.CLOSED
    assert running.previous == closed
    assert (
        closed.method == Appraisal.Method.SCAMPI_B and not closed.ratings.exists()
    )  # B: no rating
    class_a = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_A)
    assert class_a.ratings.exclude(value="").count() == class_a.ratings.count() > 0
    assert not Rating.objects.exclude(appraisal__method=Appraisal.Method.SCAMPI_A).exists()
    assert closed.findings.filter(kind="weakness").count() >= 3
    assert running.findings.count() >= 3
    ranked = list(Improvement.objects.ranked())
    assert len(ranked) >= 5
    assert ranked[0].rank_override == 1
    priorities = [i.priority for i in ranked[1:]]
    assert priorities == sorted(priorities, reverse=True)
    assert Improvement.objects.filter(state="selected").count() == 3
    # every improvement says where it comes from: findings, needs or an accepted proposal
    assert all(i.findings.exists() or i.needs.exists() or hasattr(i, "proposal") for i in ranked)


# Needs, appraisals and ratings.
def test_demo_leads_are_qualified_and_unit_values_are_proposed(demo):
    """Every demo appraisal's lead holds a certificate valid on its dates; one lapsed
    certificate shows the rule; the delivered appraisals carry unit characterizations."""
    for appraisal in Appraisal.objects.exclude(lead_appraiser=None):
        assert appraisal.qualification_error() == "", appraisal
    today = date.today()
    assert LeadAppraiserQualification.objects.filter(expires_on__lt=today).exists()
    class_a = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_A)
    assert PracticeCharacterization.objects.filter(appraisal=class_a).exists()


# Needs, appraisals and ratings.
def test_demo_class_a_is_rated_from_its_characterizations(demo):
    """#18: the lead confirms the method's proposals; only SAM is overridden (to Not
    applicable, with its reason), and the team judged the goal a high weakness touches."""
    class_a = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_A)
    overridden = [r for r in class_a.ratings.select_related("process_area") if r.overridden]
    assert [(r.process_area.abbreviation, r.value) for r in overridden] == [
        ("SAM", "not_applicable")
    ]
    assert class_a.ratings.filter(proposed="satisfied").count() >= 6
    judged = class_a.goal_ratings.exclude(value="").select_related("goal__process_area").get()
    assert (judged.goal.process_area.abbreviation, judged.proposed, judged.value) == (
        "PMC",
        "not_satisfied",
        "satisfied",
    )
    assert [level for _unit, level in queries.maturity_by_unit(class_a)] == [2]


# Needs, appraisals and ratings.
def test_demo_class_b_shows_an_indicative_profile_not_a_rating(demo, client):
    class_b = Appraisal.objects.get(method=Appraisal.Method.SCAMPI_B)
    rows = queries.indicative_profile(class_b)
    assert {r.process_area.abbreviation for r in rows} == {"REQM", "PP", "PMC"}
    assert {r.org_unit.code for r in rows} == {"avionics", "ground"}
    assert any(r.indication == "gaps" for r in rows)
    client.force_login(User.objects.get(username="epg"))
    page = client.get(class_b.get_absolute_url()).content.decode()
    assert "Indicative profile – not a rating" in page


# Audits, non-compliances, lessons, proposals and measures.
def test_demo_has_audits_ncs_in_every_state_lessons_proposals_and_measures():
    completed = ComplianceAudit.objects.filter(state="completed")
    assert completed.count() >= 3 and all(a.score is not None for a in completed)
    assert recounted_changes_nothing()  # each audit's item counts kept as it was recorded
    # The program's own process is audited (GP 2.9 for OPF), and a tailored process too.
    own = completed.get(project__isnull=True)
    assert list(own.process_areas.values_list("abbreviation", flat=True)) == ["OPF"]
    assert AuditItem.objects.filter(tailoring__state="approved").exclude(checks="").exists()
    assert set(NonCompliance.objects.values_list("state", flat=True)) == set(
        NonCompliance.State.values
    )
    assert any(nc.overdue for nc in NonCompliance.objects.all())
    recurrence = ImprovementProposal.objects.get(source="recurrence")
    assert recurrence.non_compliances.values("project").distinct().count() >= 3
    assert {"accepted", "rejected", "submitted"} <= set(
        ImprovementProposal.objects.values_list("state", flat=True)
    )
    assert all(p.improvement_id for p in ImprovementProposal.objects.filter(state="accepted"))
    assert Lesson.objects.filter(state="published").count() >= 3
    assert Measure.objects.count() == 4
    assert Measurement.objects.values("period").distinct().count() == 24
    signals = [
        control_chart(m).signals
        or any(
            control_chart(m, pr).signals
            for pr in {
                x.project for x in Measurement.objects.filter(measure=m).select_related("project")
            }
        )
        for m in Measure.objects.all()
    ]
    assert any(signals)
    assert EffectivenessReview.objects.get().proposals.exists()
    # The story of the measured effect: one improvement shown effective, one not yet.
    cased = Improvement.objects.filter(benefit_measure__isnull=False).values_list("pk", flat=True)
    verdicts = {e.verdict for e in effect_queries.effects(cased).values()}
    assert {measured_effect.EFFECTIVE, measured_effect.NOT_YET_SHOWN} <= verdicts
    # A frozen baseline of one mix, March left out for a tool outage, and its capability.
    baseline = ProcessPerformanceBaseline.objects.get(state="frozen")
    assert baseline.project_types == ["development"] and baseline.excluded_count == 1
    assert baseline.exclusions.get().reason.startswith("Tool outage, March")
    assert baseline.point_count == 17 and {p["projects"] for p in baseline.points} == {4}
    (row,) = [r for r in baseline_queries.capabilities(baseline) if r.capability]
    assert row.capability.cpk is not None and row.capability.points == 17
    # ... and the one not yet shown had its pilot abandoned on its criteria (#19).
    abandoned = Pilot.objects.get(decision=Pilot.Decision.ABANDON)
    criteria, outcome = evaluation.evaluate(abandoned.criteria.all())
    assert outcome == evaluation.Outcome.NOT_MET
    missed = [r.criterion.measure for r in criteria if r.outcome == evaluation.Outcome.NOT_MET]
    assert missed == ["Requirements with complete trace links"]  # 72 % against >= 90 %
    not_yet = [
        pk
        for pk, e in effect_queries.effects(cased).items()
        if e.verdict == measured_effect.NOT_YET_SHOWN
    ]
    assert abandoned.action_plan.improvements.filter(pk__in=not_yet).exists()
    # The loop's cycle times: the effective improvement took 160 days from its findings
    # to its deployment, its first steps in the period before the dashboard's.
    f = DashboardFilter(
        User.objects.get(username="exec"), None, *default_period(timezone.localdate())
    )
    loop = dashboard.cycle_time_figures(f)
    assert loop["cycle"]["median_days"] == 160
    steps = {(s["from"], s["to"]): s for s in loop["segments"]}
    assert steps[("Finding or proposal", "Selected")]["median_days_before"] == 20
    assert steps[("Selected", "Plan approved")]["median_days_before"] == 30
    # Released on the 10th of the month before it went into use (releases are dated
    # mid-month for the momentum): 28 to 31 days, the rest of the 110 from approval.
    released = steps[("Released", "Deployed")]["median_days"]
    assert 28 <= released <= 31
    assert steps[("Plan approved", "Released")]["median_days"] == 110 - released


# Action plans and pilots.
def test_demo_has_plans_in_every_state_and_a_met_and_an_unmet_pilot():
    states = set(ProcessActionPlan.objects.values_list("state", flat=True))
    assert states == set(ProcessActionPlan.State.values)
    today = date.today()
    open_items = ActionItem.objects.exclude(status="done")
    assert open_items.filter(due__lt=today).exists() and open_items.filter(due__gte=today).exists()
    outcomes = {(p.decision, evaluate(p.criteria.all())[1].value) for p in Pilot.objects.all()}
    assert {("adopt", "met"), ("abandon", "not_met")} <= outcomes
    assert ProcessActionPlan.objects.filter(
        state="draft", reviews__decision="changes_requested"
    ).exists()
    # Issue #19: the pilot abandoned on its criteria; the best business case ranks first
    # by priority (a computed benefit/cost criterion), its plan completed, objective reached.
    assert Pilot.objects.filter(decision="abandon").exclude(rationale="").exists()
    cases = {i: services.business_case_of(i) for i in Improvement.objects.all()}
    best = max((i for i in cases if cases[i].ratio), key=lambda i: cases[i].ratio)
    assert cases[best].ratio == Decimal("3.75") and cases[best].payback_months == Decimal("3.2")
    top = Improvement.objects.order_by("-priority", "pk").first()
    assert top == best and best.objective_reached == "yes"
    assert cases[best].actual_cost is not None


# Initiatives and the gap.
def test_the_demo_tells_the_story_of_the_gap():

    from opf.core.accounts import User
    from opf.core.dashboard import default_period

    executive = User.objects.get(username="exec")
    start, end = default_period(timezone.localdate())
    f = DashboardFilter(executive, None, start, end)
    churn = initiatives.churn(f)
    assert [(c["ended"]["name"], c["replaced_by"]["name"]) for c in churn] == [
        ("Six Sigma in Ground Systems", "Lean service management in IT")
    ]
    departed = initiatives.departed_advocates(f)
    assert [d["person"] for d in departed] == ["Oscar Lindgren"]
    assert departed[0]["work"][0]["title"] == "DMAIC: defect escapes in ground software"
    enterprise = Initiative.objects.get(name="Enterprise CMMI programme")
    assert enterprise.sponsor.is_active and enterprise.owning_unit == OrgUnit.objects.get(
        code="acme"
    )
    assert enterprise.appraisals.exists() and enterprise.action_plans.exists()
    rows = {row["person"]: row for row in engagement_figures.engagement(f)["executives"]}
    assert rows["Helen Okafor"]["meetings_attended"] >= 1
    assert rows["Helen Okafor"]["initiatives"][0]["name"] == enterprise.name


# The program calendar.
def test_the_demo_fills_the_months_around_today():

    from opf.core.dashboard import add_months, month_start

    first = month_start(timezone.localdate())
    kinds: set[str] = set()
    for months in (-1, 0, 1):
        start = add_months(first, months)
        window = ProgramWindow(start=start, end=add_months(start, 1) - timedelta(days=1))
        events = program_events(window)
        assert len(events) >= 3, f"the demo's calendar of {start:%B %Y} is (nearly) empty"
        kinds |= {e.kind for e in events}
    assert kinds == KINDS


# The steering committee.
def test_demo_steering_committee_meetings_and_dashboard(client):
    assert demo_data.steps()[-1] is steering_demo.build_steering
    held = SteeringMeeting.objects.filter(state="held")
    assert held.count() == 2
    assert all(m.decisions.exists() and m.follow_ups.exists() for m in held)
    coming = SteeringMeeting.objects.get(state="planned")
    assert coming.briefing_figures is not None
    assert FollowUp.objects.filter(status="done").exists()
    assert ProgramDocument.objects.filter(kind="policy", state="approved").count() == 1
    assert ProgramDocument.objects.filter(kind="policy", state="superseded").count() == 1

    figures = coming.briefing_figures
    assert [s["unit"] for s in figures["maturity"]["stuck"]] == ["Ground Systems"]
    assert figures["momentum"]["warning"] is True
    reasons = {i["reason"] for i in figures["sponsorship"]["items"]}
    assert "left" in reasons
    opf_row = next(r for r in figures["institutionalization"]["rows"] if r["area"] == "OPF")
    assert opf_row["covered"] >= 5
    gp29 = next(c for c in opf_row["cells"] if c and c["gp"] == "2.9")
    assert "organization's own process" in gp29["text"]  # the audit of OPF itself
    scope = {c["category"]: c["count"] for c in figures["scope"]["categories"]}
    assert scope["enterprise_wide"] >= 1 and scope["departmental"] >= 1

    client.force_login(User.objects.get(username="exec"))
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "Ground Systems" in page.content.decode()


# The asset library and deployments.
def test_demo_has_a_library_a_baseline_two_plans_and_deployments_in_every_state(client):
    # The library's twenty, and the estimation pilot's workbook (lessons' measured effect).
    assert ProcessAsset.objects.count() == 21
    assert ProcessAsset.objects.filter(code="est-workbook").exists()
    assert AssetVersion.objects.count() > 20
    assert set(AssetVersion.objects.values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "approved",
        "released",
        "superseded",
    }
    # One version waits for the executive "exec"; one was sent back to epg with a comment.
    waiting = AssetVersion.objects.get(state="submitted")
    assert waiting.approver.username == "exec"
    sent_back = AssetVersion.objects.get(asset__code="lessons-tmpl", number="2.0")
    assert sent_back.state == "draft" and sent_back.submitted_by.username == "epg"
    assert sent_back.history.first().history_change_reason.startswith("Say which projects")
    assert StandardProcessSet.objects.filter(state="published").count() == 1
    approved = DeploymentPlan.objects.filter(state="approved").values_list("name", flat=True)
    assert set(approved) == {
        "Engineering rollout of the standard set",
        "Operations adoption of planning and risk assets",
        "Calibrated estimation workbook rollout",  # the measured effect's story
    }
    assert set(ProjectDeployment.objects.values_list("state", flat=True)) == {
        s for s, _label in ProjectDeployment.State.choices
    }
    assert (
        TailoringRecord.objects.exists() and TrainingRecord.objects.filter(status="to_do").exists()
    )
    signed_in = client.post("/accounts/login/", {"username": "pm", "password": "opf-demo"})
    assert signed_in.status_code == 302, "the demo password was refused"
    page = client.get("/my-projects/").content.decode()
    assert "deployment-update" in page
    for url in ("/coverage/", "/deployment-attention/", "/assets/"):
        assert client.get(url).status_code == 200


# Signing in and finding work.
def test_demo_users_can_sign_in(client):
    signed_in = client.post("/accounts/login/", {"username": "pm", "password": "opf-demo"})
    assert signed_in.status_code == 302, "the demo password was refused"
    assert client.get("/").status_code == 200


# Signing in and finding work.
def test_something_waits_for_every_demo_user():
    """A newcomer who signs in as any demo role finds a worklist, not an empty page (#16)."""
    from django.utils import timezone

    from opf.core.worklist import WAITING, worklist

    for username in ("epg", "exec", "pm", "appraiser", "member"):
        blocks = worklist(User.objects.get(username=username), timezone.localdate())
        waiting = [block for block in blocks if block.kind.section == WAITING]
        assert waiting, f"nothing waits for the demo user {username}"
