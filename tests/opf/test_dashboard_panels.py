"""Each dashboard panel's figures against hand-computed expectations on a small fixture."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import improvement_stays
from actions.models import Improvement, ProcessActionPlan
from appraisals import dashboard as maturity
from appraisals.models import Appraisal
from deployment import dashboard as deployment_dashboard
from deployment.models import AssetVersion, DeploymentPlan
from opf.core.evidence import by_area, first_per_area
from opf.core.registry import app_modules
from opf.core.roles import EXECUTIVE
from opf.organization.scope import DashboardFilter
from opf.reference.models import ProcessArea
from opf.steering.dashboard import institutionalization
from opf.steering.dashboard.panels import institutionalization as grid_panel
from opf.steering.dashboard.panels import momentum, scope, sponsorship
from opf.steering.models import Body, SteeringMeeting
from tests.actions.factories import (
    ActionItemFactory,
    ImprovementFactory,
    PilotFactory,
    ProcessActionPlanFactory,
)
from tests.appraisals.factories import AppraisalFactory, RatingFactory
from tests.deployment.factories import (
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ReleasedVersionFactory,
)
from tests.factories import (
    OrgUnitFactory,
    ProcessAreaFactory,
    ProjectFactory,
    ReferenceModelFactory,
    UserFactory,
)
from tests.lessons.factories import AuditItemFactory, ComplianceAuditFactory
from tests.opf.steering_factories import (
    CommitteeMembershipFactory,
    DecisionFactory,
    ProgramDocumentFactory,
    SteeringMeetingFactory,
)

pytestmark = pytest.mark.django_db


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def closed_appraisal(model, units, end: date) -> Appraisal:
    appraisal = AppraisalFactory(
        reference_model=model, method="scampi_a", scope=False, state="closed"
    )
    Appraisal.objects.filter(pk=appraisal.pk).update(actual_end=end)
    appraisal.refresh_from_db()
    appraisal.org_units.set(units)
    return appraisal


@pytest.fixture
def org():
    root = OrgUnitFactory(name="Root")
    a = OrgUnitFactory(name="Unit A", parent=root)
    b = OrgUnitFactory(name="Unit B", parent=root)
    return root, a, b


def test_maturity_heat_map_levels_and_units_stuck_at_level_two(people, org, settings):
    settings.OPF_STUCK_AT_LEVEL2_MONTHS = 18
    _root, a, b = org
    model = ReferenceModelFactory()
    x2a = ProcessAreaFactory(reference_model=model, abbreviation="XA", maturity_level=2, order=1)
    x2b = ProcessAreaFactory(reference_model=model, abbreviation="XB", maturity_level=2, order=2)
    y3 = ProcessAreaFactory(reference_model=model, abbreviation="Y", maturity_level=3, order=3)
    first = closed_appraisal(model, [a], date(2024, 1, 10))
    second = closed_appraisal(model, [a, b], date(2025, 6, 1))
    for area, value in ((x2a, "satisfied"), (x2b, "satisfied"), (y3, "not_satisfied")):
        RatingFactory(appraisal=first, process_area=area, org_unit=a, value=value)
        RatingFactory(appraisal=second, process_area=area, org_unit=a, value=value)
        RatingFactory(appraisal=second, process_area=area, org_unit=b, value="satisfied")
    # A rating not confirmed yet does not count.
    RatingFactory(
        appraisal=AppraisalFactory(reference_model=model, scope=False),
        process_area=x2a,
        org_unit=b,
        value="",
    )

    f = DashboardFilter(people.executive, None, date(2025, 7, 1), date(2026, 6, 30))
    figures = maturity.build(f)
    assert figures["areas"] == ["XA", "XB", "Y"]
    assert [u["name"] for u in figures["units"]] == ["Unit A", "Unit B"]
    assert [c[:3] for c in figures["cells"]] == [
        [0, 0, "satisfied"],
        [0, 1, "satisfied"],
        [0, 2, "not_satisfied"],
        [1, 0, "satisfied"],
        [1, 1, "satisfied"],
        [1, 2, "satisfied"],
    ]
    assert figures["cells"][0][3] == second.get_absolute_url()  # the latest appraisal
    assert [row["levels"] for row in figures["levels"]] == [[2, 2], [None, 3]]
    # Unit A: level 2 since 2024-01-10; June 2026 is 29 months later (> 18).
    assert figures["stuck"] == [
        {"unit": "Unit A", "href": a.get_absolute_url(), "since": "2024-01-10", "months": 29}
    ]
    charts = maturity.draw(figures)
    assert charts["heatmap"].table.rows[0] == ["Unit A", "S", "S", "NS"]
    # The page writes the day as every page does; the API keeps ISO 8601.
    html = render_to_string(
        "opf/dashboard/panels/maturity.html", {"figures": figures, "charts": charts}
    )
    assert "level 2 since 10 Jan 2024 (29 months)" in html

    # Filtered to unit B: no stuck unit, one row.
    only_b = maturity.build(DashboardFilter(people.executive, b, f.start, f.end))
    assert [u["name"] for u in only_b["units"]] == ["Unit B"]
    assert only_b["stuck"] == []
    # A later appraisal whose scope missed a level 2 area establishes no level: still stuck.
    partial = closed_appraisal(model, [a], date(2026, 1, 15))
    RatingFactory(appraisal=partial, process_area=x2a, org_unit=a, value="satisfied")
    again = maturity.build(f)
    assert [row["levels"] for row in again["levels"]] == [[2, 2, 0], [None, 3, None]]
    assert [s["since"] for s in again["stuck"]] == ["2024-01-10"]
    # A longer threshold: not stuck any more.
    settings.OPF_STUCK_AT_LEVEL2_MONTHS = 30
    assert maturity.build(f)["stuck"] == []


def _history(improvement: Improvement, *steps: tuple[str, datetime]) -> None:
    """Give ``improvement`` a state history: (state, when) rows, the first being its creation."""
    rows = improvement.history.order_by("history_id")
    rows.filter(pk=rows.first().pk).update(history_date=steps[0][1])
    for state, when in steps[1:]:
        Improvement.objects.filter(pk=improvement.pk).update(state=state)
        improvement.refresh_from_db()
        improvement.save()
        improvement.history.filter(pk=improvement.history.latest("history_id").pk).update(
            history_date=when
        )
    improvement_stays.recount([improvement.pk])  # its history re-dated: no signal


def test_funnel_counts_and_median_days_in_each_stage(people):
    area = ProcessAreaFactory()
    one = ImprovementFactory()
    _history(one, ("candidate", aware(2026, 1, 1)), ("selected", aware(2026, 1, 11)))
    two = ImprovementFactory()
    two.process_areas.add(area)
    _history(
        two,
        ("candidate", aware(2026, 1, 1)),
        ("selected", aware(2026, 1, 5)),
        ("in_action", aware(2026, 2, 4)),
        ("implemented", aware(2026, 3, 6)),
    )
    asset = ProcessAssetFactory()
    asset.process_areas.add(area)
    version = ReleasedVersionFactory(asset=asset)
    AssetVersion.objects.filter(pk=version.pk).update(released_at=aware(2026, 3, 16))
    three = ImprovementFactory()
    _history(three, ("candidate", aware(2026, 2, 1)))

    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    stages = {s["stage"]: s for s in deployment_dashboard.build_funnel(f)["stages"]}
    assert {k: s["count"] for k, s in stages.items()} == {
        "candidate": 1,
        "selected": 1,
        "in_action": 0,
        "implemented": 0,
        "deployed": 1,
    }
    # Candidate stays: 10 and 4 days -> median 7; selected 30; in action 30;
    # implemented -> first release 10 days later.
    assert stages["candidate"]["median_days"] == 7
    assert stages["selected"]["median_days"] == 30
    assert stages["in_action"]["median_days"] == 30
    assert stages["implemented"]["median_days"] == 10
    assert stages["deployed"]["median_days"] is None


def test_sponsorship_lists_open_initiatives_without_an_active_executive_sponsor(people):
    left = UserFactory(roles=[EXECUTIVE], is_active=False)
    plain = UserFactory()
    none = AppraisalFactory(title="No sponsor", sponsor=None)
    gone = AppraisalFactory(title="Sponsor left", sponsor=left)
    wrong = AppraisalFactory(title="Not an executive", sponsor=plain)
    AppraisalFactory(title="Fine", sponsor=people.executive)
    AppraisalFactory(title="Closed", sponsor=None, state="closed")
    # Reasons are taken in order: a sponsor who left and was never an executive left.
    gone_plain = AppraisalFactory(title="Plain and left", sponsor=UserFactory(is_active=False))

    f = DashboardFilter(people.epg, None, date(2026, 1, 1), date(2026, 6, 30))
    items = [i for i in sponsorship.build(f)["items"] if i["kind"] == "appraisal"]
    assert [(i["title"], i["reason"]) for i in items] == [
        ("No sponsor", "none"),
        ("Sponsor left", "left"),
        ("Not an executive", "not_executive"),
        ("Plain and left", "left"),
    ]
    assert [i["href"] for i in items] == [
        none.get_absolute_url(),
        gone.get_absolute_url(),
        wrong.get_absolute_url(),
        gone_plain.get_absolute_url(),
    ]
    assert items[1]["sponsor"] == str(left)


def test_momentum_sums_series_and_warns_when_falling(people, settings):
    for month, count in ((4, 3), (5, 2), (6, 1)):
        for version in ReleasedVersionFactory.create_batch(count):
            AssetVersion.objects.filter(pk=version.pk).update(released_at=aware(2026, month, 10))
    f = DashboardFilter(people.executive, None, date(2026, 3, 1), date(2026, 6, 30))
    settings.OPF_MOMENTUM_FALLING_MONTHS = 2
    figures = momentum.build(f)
    assert figures["months"] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert figures["series"][0]["counts"] == [0, 3, 2, 1]
    assert figures["totals"] == [0, 3, 2, 1]
    assert figures["falling_months"] == 2 and figures["warning"] is True
    settings.OPF_MOMENTUM_FALLING_MONTHS = 3
    assert momentum.build(f)["warning"] is False
    assert momentum.falling_streak([5, 4, 4, 3]) == 1
    assert momentum.falling_streak([1]) == 0


@pytest.fixture
def company():
    """Root -> department A (teams A1-A3, two active projects each) and department B
    (team B1, two active projects and a closed one)."""
    root = OrgUnitFactory(name="Company")
    dept_a = OrgUnitFactory(name="Dept A", parent=root)
    dept_b = OrgUnitFactory(name="Dept B", parent=root)
    teams = [OrgUnitFactory(name=f"Team A{n}", parent=dept_a) for n in (1, 2, 3)]
    b1 = OrgUnitFactory(name="Team B1", parent=dept_b)
    projects = {unit: ProjectFactory.create_batch(2, org_unit=unit) for unit in [*teams, b1]}
    ProjectFactory(org_unit=b1, active=False, phase="closed")
    return SimpleNamespace(
        root=root, dept_a=dept_a, dept_b=dept_b, teams=teams, b1=b1, projects=projects
    )


def scope_items(f: DashboardFilter) -> dict[str, tuple[str, float, int]]:
    return {
        i["title"]: (i["category"], i["share"], i["departments"]) for i in scope.build(f)["items"]
    }


def test_scope_measures_reach_as_a_share_of_active_projects(people, company, settings):
    settings.OPF_ENTERPRISE_WIDE_SHARE = 50
    c = company
    DeploymentPlanFactory(name="Root rollout").target_units.set([c.root])
    DeploymentPlanFactory(name="Three teams").target_units.set(c.teams)  # 6 of 8 projects
    pair = AppraisalFactory(title="A1 and B1 projects", scope=False)
    pair.projects.set([c.projects[c.teams[0]][0], c.projects[c.b1][0]])
    wide = AppraisalFactory(title="Dept A and a B1 project", scope=False)
    wide.org_units.set([c.dept_a])
    wide.projects.set([c.projects[c.b1][1]])
    pilot = PilotFactory(action_plan=ProcessActionPlanFactory(title="Piloted in B1"))
    pilot.projects.set(c.projects[c.b1])
    # Not open work: never counted, however wide.
    for state in ("closed", "cancelled"):
        AppraisalFactory(title=state, scope=False, state=state).org_units.set([c.root])
    for state in ("completed", "cancelled"):
        DeploymentPlanFactory(name=state, state=state).target_units.set([c.root])
    done = ProcessActionPlanFactory(title="Done plan", state="completed")
    PilotFactory(action_plan=done).projects.set(c.projects[c.b1])

    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    figures = scope.build(f)
    assert figures["active_projects"] == 8 and figures["enterprise_share"] == 50
    assert scope_items(f) == {
        "Root rollout": ("enterprise_wide", 100.0, 2),
        "Dept A and a B1 project": ("enterprise_wide", 87.5, 2),
        "Three teams": ("departmental", 75.0, 1),
        "A1 and B1 projects": ("cross_departmental", 25.0, 2),
        "Piloted in B1": ("departmental", 25.0, 1),
    }
    assert [i["title"] for i in figures["items"]][:2] == ["Root rollout", "Dept A and a B1 project"]
    assert {c["category"]: c["count"] for c in figures["categories"]} == {
        "departmental": 2,
        "cross_departmental": 1,
        "enterprise_wide": 2,
    }
    # The share is configurable; the root unit is enterprise-wide whatever it is.
    settings.OPF_ENTERPRISE_WIDE_SHARE = 90
    assert scope_items(f)["Dept A and a B1 project"][0] == "cross_departmental"
    assert scope_items(f)["Root rollout"][0] == "enterprise_wide"
    # Department B's view lists what reaches into B, with the whole reach.
    only_b = scope_items(DashboardFilter(people.executive, c.dept_b, f.start, f.end))
    assert set(only_b) == {
        "Root rollout",
        "Dept A and a B1 project",
        "A1 and B1 projects",
        "Piloted in B1",
    }
    assert only_b["A1 and B1 projects"] == ("cross_departmental", 25.0, 2)


def test_scope_rule_is_stated_on_the_panel_and_in_the_briefing(people, company, client):
    from django.template.loader import render_to_string

    from opf.steering import services
    from opf.steering.documents import briefing_context

    DeploymentPlanFactory(name="Root rollout").target_units.set([company.root])
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    html = render_to_string(
        scope.PANEL.template, {"figures": scope.build(f), "charts": {}, "panel": scope.PANEL}
    )
    assert "A department is a top-level unit below the root" in html
    assert "50% or more of the active projects across departments" in html
    meeting = services.freeze_briefing(
        SteeringMeetingFactory(scheduled_at=timezone.now()), actor=people.epg
    )
    briefing = render_to_string(
        "documents/briefing.html",
        {
            **briefing_context(meeting),
            "document": SimpleNamespace(
                title="Briefing", data_as_of=timezone.now(), created_at=None, requested_by=None
            ),
        },
    )
    section = briefing[briefing.index("<h2>Scope</h2>") :]
    assert "A department is a top-level unit below the root" in section
    assert "Root rollout" in section and "Enterprise-wide" in section


def test_scope_queries_do_not_grow_with_initiatives(people, company):
    c = company
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))

    def add(n: int) -> None:
        for _ in range(n):
            DeploymentPlanFactory().target_units.set([c.dept_a, c.b1])
            AppraisalFactory(scope=False).projects.set(c.projects[c.b1])
            PilotFactory().projects.set(c.projects[c.teams[1]])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            scope.build(f)
        return len(ctx)

    add(1)
    queries()  # the first read caches the user's roles
    few = queries()
    add(5)
    assert queries() == few


@pytest.mark.parametrize("bad", ["0", "101", "half"])
def test_enterprise_share_must_be_a_percentage(settings, bad):
    from django.core.exceptions import ImproperlyConfigured

    from opf.core.thresholds import enterprise_share

    settings.OPF_ENTERPRISE_WIDE_SHARE = bad
    with pytest.raises(ImproperlyConfigured):
        enterprise_share()


def test_institutionalization_grid_follows_the_evidence_rules(people):
    opf_area = ProcessArea.objects.get(abbreviation="OPF", reference_model__builtin=True)
    pp = ProcessArea.objects.get(abbreviation="PP", reference_model__builtin=True)
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 12, 31))

    def cells(area: str) -> dict[str, bool]:
        rows = {r["area"]: r for r in grid_panel.build(f)["rows"]}
        return {c["gp"]: True for c in rows[area]["cells"] if c}

    assert cells("OPF") == {}
    policy = ProgramDocumentFactory(kind="policy")
    ProgramDocumentFactory(kind="policy", title="Draft only")  # a draft is no evidence
    type(policy).objects.filter(pk=policy.pk).update(
        state="approved", approved_at=aware(2026, 2, 1)
    )
    CommitteeMembershipFactory(body=Body.STEERING_COMMITTEE)
    assert "2.4" not in cells("OPF")  # the process group has no member yet
    CommitteeMembershipFactory(body=Body.PROCESS_GROUP)
    meeting = SteeringMeetingFactory(
        state=SteeringMeeting.State.HELD, scheduled_at=aware(2026, 3, 1, 10)
    )
    meeting.attendees.add(people.executive)
    decision = DecisionFactory(meeting=meeting)
    decision.process_areas.add(pp)
    ImprovementFactory().process_areas.add(pp)
    asset = ProcessAssetFactory(kind="standard_process", owner=people.epg)
    asset.process_areas.add(pp)
    version = ReleasedVersionFactory(asset=asset)
    AssetVersion.objects.filter(pk=version.pk).update(released_at=aware(2026, 2, 1))

    assert cells("OPF") == {"2.1": True, "2.4": True, "2.7": True, "2.10": True}
    assert cells("OPD") == {"2.1": True, "2.4": True, "2.7": True, "2.10": True}
    assert cells("PP") == {"2.4": True, "2.6": True, "2.10": True, "3.1": True, "3.2": True}
    assert (
        grid_panel.build(f)["rows"][[r["area"] for r in grid_panel.build(f)["rows"]].index("OPF")][
            "href"
        ]
        == opf_area.get_absolute_url()
    )
    grid = grid_panel.draw(grid_panel.build(f))["grid"]
    assert len(grid.table.rows) == ProcessArea.objects.filter(reference_model__builtin=True).count()


def gp_cell(f: DashboardFilter, area: str, gp: str) -> dict | None:
    row = next(r for r in grid_panel.build(f)["rows"] if r["area"] == area)
    return next((c for c in row["cells"] if c and c["gp"] == gp), None)


def test_gp_2_9_is_never_credited_by_an_appraisal_rating(people, org):
    _root, a, _b = org
    pp = ProcessArea.objects.get(abbreviation="PP", reference_model__builtin=True)
    rd = ProcessArea.objects.get(abbreviation="REQM", reference_model__builtin=True)
    appraisal = closed_appraisal(pp.reference_model, [a], date(2026, 3, 1))
    RatingFactory(appraisal=appraisal, process_area=pp, org_unit=a, value="not_satisfied")
    RatingFactory(appraisal=appraisal, process_area=rd, org_unit=a, value="satisfied")
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 12, 31))
    assert gp_cell(f, "PP", "2.9") is None
    assert gp_cell(f, "REQM", "2.9") is None


def test_gp_2_9_is_credited_by_a_completed_audit_of_that_process(people, monkeypatch):
    """GP 2.9 is lessons' (``lessons/steering.py``), through the ``<pkg>.steering`` hook:
    a completed audit naming the area, or checking an asset of the area."""
    import lessons.steering

    areas = {
        a.abbreviation: a
        for a in ProcessArea.objects.filter(
            reference_model__builtin=True, abbreviation__in=["PP", "CM", "OPF", "OPD", "PMC"]
        )
    }
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 12, 31))
    named = ComplianceAuditFactory(state="completed", performed_date=date(2026, 4, 2))
    named.process_areas.add(areas["PP"])
    asset = ProcessAssetFactory()
    asset.process_areas.add(areas["CM"])
    checked = ComplianceAuditFactory(state="completed", performed_date=date(2026, 5, 3))
    AuditItemFactory(
        audit=checked, asset_version=ReleasedVersionFactory(asset=asset), result="compliant"
    )
    ComplianceAuditFactory(state="planned").process_areas.add(areas["PMC"])  # not done yet
    late = ComplianceAuditFactory(state="completed", performed_date=date(2027, 1, 5))
    late.process_areas.add(areas["PMC"])  # after the period
    own = ComplianceAuditFactory(project=None, state="completed", performed_date=date(2026, 6, 1))
    own.process_areas.add(areas["OPF"])

    assert lessons.steering in app_modules("steering")
    cell = gp_cell(f, "PP", "2.9")
    assert cell is not None and cell["href"] == named.get_absolute_url()
    assert cell["text"] == f"Audit of {named.project.name} completed on 2026-04-02"
    assert "appraisal rating never counts" in cell["rule"]
    assert gp_cell(f, "CM", "2.9")["href"] == checked.get_absolute_url()
    assert gp_cell(f, "PMC", "2.9") is None
    opf_cell = gp_cell(f, "OPF", "2.9")
    assert opf_cell["text"] == "Audit of the organization's own process completed on 2026-06-01"
    assert gp_cell(f, "OPD", "2.9") is None  # the audit evaluated OPF only
    monkeypatch.setattr(lessons.steering, "EVIDENCE", {})
    assert gp_cell(f, "PP", "2.9") is None


def test_gp_2_3_is_credited_only_by_effort_of_a_plan_about_the_area(people):
    pp = ProcessArea.objects.get(abbreviation="PP", reference_model__builtin=True)
    plan = ProcessActionPlanFactory()
    improvement = ImprovementFactory()
    improvement.process_areas.add(pp)
    plan.improvements.add(improvement)
    ActionItemFactory(plan=plan, planned_effort=16)
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 12, 31))
    assert gp_cell(f, "PP", "2.3") is not None
    # An unrelated plan's effort does not credit the program's own areas.
    assert gp_cell(f, "OPF", "2.3") is None
    assert gp_cell(f, "OPD", "2.3") is None


def test_contributions_merge_in_registry_order_and_program_evidence_wins():
    """Per practice the first contributor naming an area keeps it; the first program
    evidence replaces OPF's and OPD's; a rule without evidence changes nothing."""
    areas = {"OPF": 1, "OPD": 2, "PP": 3}
    first = SimpleNamespace(
        EVIDENCE={"2.1": lambda f, areas: {1: ("a", "/a"), 3: ("a", "/a")}},
        PROGRAM_EVIDENCE={"2.1": lambda f: None},
    )
    second = SimpleNamespace(
        EVIDENCE={"2.1": lambda f, areas: {3: ("b", "/b"), 9: ("b", "/b")}},
        PROGRAM_EVIDENCE={"2.1": lambda f: ("program", "/p"), "2.2": lambda f: None},
    )
    third = SimpleNamespace(PROGRAM_EVIDENCE={"2.1": lambda f: ("later", "/l")})
    modules = [first, second, third]
    assert institutionalization.evidence("2.1", None, areas, modules) == {
        1: ("program", "/p"),
        3: ("a", "/a"),
        9: ("b", "/b"),
        2: ("program", "/p"),
    }
    assert institutionalization.evidence("2.2", None, areas, modules) == {}
    # Without the program's areas shown, no program evidence; ``grid`` keeps the shown.
    assert institutionalization.evidence("2.1", None, {"PP": 3}, modules) == {
        1: ("a", "/a"),
        3: ("a", "/a"),
        9: ("b", "/b"),
    }


def test_evidence_reads_only_the_shown_areas_and_keeps_each_ones_first(people):
    """A rule reads the rows of the areas it is given only (#24), and each of them keeps
    its own first row: a record of an area not shown (another model's) neither credits
    it nor hides the first record of a shown area, with one query a rule."""
    import actions.steering
    import lessons.steering

    pp = ProcessArea.objects.get(abbreviation="PP", reference_model__builtin=True)
    cm = ProcessArea.objects.get(abbreviation="CM", reference_model__builtin=True)
    other = ProcessAreaFactory()  # another reference model's: never shown
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 12, 31))
    ImprovementFactory(title="Other only").process_areas.add(other)
    ImprovementFactory(title="No area")
    both = ImprovementFactory(title="Other and PP")
    both.process_areas.add(other, pp)
    later = ImprovementFactory(title="PP and CM")
    later.process_areas.add(pp, cm)
    shown = {"PP": pp.pk, "CM": cm.pk}
    found = actions.steering.improvements(f, shown)
    assert found == {
        pp.pk: ("Other and PP", both.get_absolute_url()),
        cm.pk: ("PP and CM", later.get_absolute_url()),
    }
    with CaptureQueriesContext(connection) as ctx:  # the user's permissions are cached
        assert actions.steering.improvements(f, {"CM": cm.pk}) == {cm.pk: found[cm.pk]}
    assert len(ctx.captured_queries) == 2  # the first rows, then the areas not reached
    pairs = Improvement.objects.values_list("process_areas", "title").order_by("pk")
    assert first_per_area(pairs, [pp.pk]) == [(pp.pk, "Other and PP")]  # in the database
    # However few rows are read first, each area gets its first row: the areas the
    # first rows reach from them, the others ranked in the database.
    for head in (1, 2, 3):
        assert first_per_area(pairs, [pp.pk, cm.pk], head=head) == [
            (pp.pk, "Other and PP"),
            (cm.pk, "PP and CM"),
        ], head
    assert first_per_area(pairs, [pp.pk, cm.pk], head=1)[:1] == [(pp.pk, "Other and PP")]

    # The audits' checked assets (items -> version -> asset -> areas), newest first: the
    # newest audit checks an asset of the other area only, the next one of it and CM.
    of_other = ProcessAssetFactory()
    of_other.process_areas.add(other)
    of_both = ProcessAssetFactory()
    of_both.process_areas.add(other, cm)
    newest = ComplianceAuditFactory(state="completed", performed_date=date(2026, 6, 1))
    AuditItemFactory(audit=newest, asset_version=ReleasedVersionFactory(asset=of_other))
    next_one = ComplianceAuditFactory(state="completed", performed_date=date(2026, 5, 3))
    AuditItemFactory(audit=next_one, asset_version=ReleasedVersionFactory(asset=of_both))
    AuditItemFactory(audit=next_one, asset_version=ReleasedVersionFactory(asset=of_other))
    audits = lessons.steering.completed_audits(f, shown)
    assert {pk: href for pk, (_text, href) in audits.items()} == {
        cm.pk: next_one.get_absolute_url()
    }
    assert lessons.steering.completed_audits(f, {"X": other.pk})[other.pk][1] == (
        newest.get_absolute_url()
    )
    # Rows read in Python are kept to the given areas the same way.
    rows = [(None, "none"), (other.pk, "other"), (pp.pk, "first"), (pp.pk, "second")]
    assert by_area(rows, shown, lambda r: r[0], lambda r: "") == {pp.pk: ("first", "")}


def test_scope_counts_the_initiatives_the_apps_declare():
    assert [i.model for i in scope.initiatives()] == [
        Appraisal,
        ProcessActionPlan,
        DeploymentPlan,
    ]


def test_maturity_shows_only_ratings_in_force_and_when_they_expire(people, org, client_as):
    """#18, EXPIRY_RULE: a Class A appraisal's ratings expire three years after its end.
    On 30 Jun 2026, an appraisal ended 1 Mar 2023 (expired 1 Mar 2026) no longer counts;
    one ended 1 Jul 2023 is in force until 1 Jul 2026."""
    _root, a, b = org
    model = ReferenceModelFactory()
    x2 = ProcessAreaFactory(reference_model=model, abbreviation="XA", maturity_level=2, order=1)
    y3 = ProcessAreaFactory(reference_model=model, abbreviation="Y", maturity_level=3, order=2)
    expired = closed_appraisal(model, [a], date(2023, 3, 1))
    current = closed_appraisal(model, [b], date(2023, 7, 1))
    for appraisal, unit in ((expired, a), (current, b)):
        RatingFactory(appraisal=appraisal, process_area=x2, org_unit=unit, value="satisfied")
        RatingFactory(appraisal=appraisal, process_area=y3, org_unit=unit, value="satisfied")
    f = DashboardFilter(people.executive, None, date(2025, 7, 1), date(2026, 6, 30))
    figures = maturity.build(f)
    # Unit A's ratings expired: it leaves the heat map, the trend and the headline.
    assert [u["name"] for u in figures["units"]] == ["Unit B"]
    assert [row["levels"] for row in figures["levels"]] == [[None, 3]]
    assert figures["in_force"] == [
        {"unit": "Unit B", "href": b.get_absolute_url(), "expires": "2026-07-01"}
    ]
    headline = maturity.maturity_figure(f)
    assert (headline["value"], headline["of"]) == (1, 1)  # Unit A's level 3 has expired
    html = render_to_string(
        "opf/dashboard/panels/maturity.html", {"figures": figures, "charts": maturity.draw(figures)}
    )
    assert "Ratings in force until" in html and "1 Jul 2026" in html
    # A day later, nothing is in force: no figure rather than a stale one.
    later = maturity.build(DashboardFilter(people.executive, None, f.start, date(2026, 7, 1)))
    assert later["units"] == [] and later["in_force"] == []
    # The maturity page says which level is in force today and until when.
    page = client_as(people.executive).get("/maturity/").content.decode()
    assert "In force today" in page and "expire three years after its end date" in page
