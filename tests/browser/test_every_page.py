"""Every role walks every page of its main navigation in a real browser.

For each role: sign in, start from the home page, follow each link of the main
navigation and check the page is sound (``assert_sound_page``: one whole page,
no serious or critical axe-core violation). On each list page, use the HTMX
parts (sort, next page, filter: the results update in place) and open the
first row's record, which must be a whole record page, never a page nested in
the results. A few record pages with charts or widgets that no list leads to
first are checked too.

One test per role walks all its pages (every browser test pays a database
flush). Problems are collected and reported together, each naming the page.
To keep the file fast, axe-core audits each distinct page once per run (the
roles see the same records with the same ids; ``assert_sound_page(audited=)``),
a page outside a role's navigation is walked by one role that may open it, and
each list's swaps and first record are exercised by one of the roles that walk it
(``Route``).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import factory
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from actions.models import ActionItem, Improvement, ProcessActionPlan
from appraisals.models import Appraisal, Characterization, Finding, ProcessNeed
from deployment.models import AssetVersion, ProjectDeployment
from lessons.models import AuditItem, ComplianceAudit
from opf.core.accounts import User
from opf.core.navigation import items as navigation_items
from opf.core.navigation import items_for
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER
from opf.documents.models import Document
from opf.initiatives.models import Initiative
from opf.reference.models import ProcessArea, ReferenceModel
from opf.steering.models import CommitteeMembership, FollowUp, ProgramDocument, SteeringMeeting
from tests.actions.factories import (
    ActionItemFactory,
    CommitmentFactory,
    ImprovementFactory,
    ImprovementScoreFactory,
    MilestoneFactory,
    PilotFactory,
    PlanIssueFactory,
    PlanMeetingFactory,
    PlanReviewFactory,
    PlanTeamMemberFactory,
    PrioritizationCriterionFactory,
    ProcessActionPlanFactory,
    SuccessCriterionFactory,
)
from tests.appraisals.factories import (
    AppraisalFactory,
    CharacterizationFactory,
    EvidenceFactory,
    FindingFactory,
    ProcessNeedFactory,
    RatingFactory,
    RecommendationFactory,
    qualify,
)
from tests.browser.conftest import assert_sound_page, whole_page_problem
from tests.deployment.factories import (
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
    StandardProcessSetFactory,
    TailoringRecordFactory,
    TrainingRecordFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory
from tests.lessons.factories import (
    AuditItemFactory,
    ComplianceAuditFactory,
    EffectivenessReviewFactory,
    ImprovementProposalFactory,
    MeasureFactory,
    MeasurementFactory,
    NonComplianceFactory,
    PublishedLessonFactory,
    QuantitativeObjectiveFactory,
)
from tests.opf.webhook_factories import WebhookDeliveryFactory, WebhookEndpointFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.heavy,  # 30-95 s a role
    # The same records with the same ids for every role: a page the role before
    # already saw as it is need not be audited again (see ``AUDITED``).
    pytest.mark.django_db(transaction=True, serialized_rollback=True, reset_sequences=True),
]

# Enough projects that the project list has a second page (25 rows a page).
PROJECTS = 27


@dataclass
class Program:
    """The records the walk visits beyond the navigation's lists."""

    extra_pages: list[tuple[str, str]] = field(default_factory=list)


def _factories(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found |= {sub, *_factories(sub)}
    return found


def build_program() -> Program:
    """A small organization in the middle of its improvement program: every list
    any role can see has rows, and the dashboards and charts have data."""
    for factory_class in _factories(factory.django.DjangoModelFactory):
        factory_class.reset_sequence(force=True)
    epg = UserFactory(username="epg", first_name="Erin", last_name="Process", roles=[PROCESS_GROUP])
    boss = UserFactory(username="exec", first_name="Eve", last_name="Sponsor", roles=[EXECUTIVE])
    pm = UserFactory(username="pm", first_name="Paul", last_name="Manager", roles=[PROJECT_MANAGER])
    lead = UserFactory(username="appraiser", first_name="Alma", last_name="Lead", roles=[APPRAISER])
    qualify(lead)  # a qualified lead appraiser (#18)
    member = UserFactory(username="member", first_name="Mo", last_name="Member")

    root = OrgUnitFactory(name="Engineering", code="eng")
    avionics = OrgUnitFactory(name="Avionics", code="avi", parent=root)
    ground = OrgUnitFactory(name="Ground systems", code="gnd", parent=root)
    projects = [
        ProjectFactory(
            name=f"Project {n:02d}",
            org_unit=avionics if n % 2 else ground,
            manager=pm if n < 4 else None,
        )
        for n in range(1, PROJECTS + 1)
    ]
    atlas = projects[0]

    # Reference model as shipped (CMMI-DEV, with OPF in full).
    cmmi = ReferenceModel.objects.get(abbreviation="CMMI-DEV")
    opf_area = ProcessArea.objects.get(reference_model=cmmi, abbreviation="OPF")
    pp_area = ProcessArea.objects.get(reference_model=cmmi, abbreviation="PP")
    practices = list(opf_area.practices.order_by("pk")[:3])

    # Committees, steering meetings, follow-ups, policy and plan, documents.
    CommitteeMembership.objects.create(body="steering_committee", user=boss, role="chair")
    CommitteeMembership.objects.create(body="process_group", user=epg, role="lead")
    meeting = SteeringMeeting.objects.create(
        title="Quarterly steering review",
        scheduled_at=timezone.now() - timedelta(days=7),
        chair=boss,
        agenda="Appraisal results; plan approval.",
    )
    meeting.attendees.set([boss, epg])
    FollowUp.objects.create(
        meeting=meeting, title="Name a sponsor for estimation", owner=boss, due=date.today()
    )
    FollowUp.objects.create(
        meeting=meeting, title="Share the appraisal report", owner=member, due=date.today()
    )
    # Initiatives: a Six Sigma effort in Avionics ended without deploying; Lean in Ground
    # systems replaced it (the churn warning), an enterprise CMMI initiative is sponsored.
    Initiative.objects.create(
        name="Six Sigma in Avionics",
        method=Initiative.Method.SIX_SIGMA,
        owning_unit=avionics,
        start=date.today() - timedelta(days=400),
        end=date.today() - timedelta(days=150),
        state=Initiative.State.ENDED,
        outcome="The black belts moved on.",
    )
    Initiative.objects.create(
        name="Lean in Ground systems",
        method=Initiative.Method.LEAN,
        owning_unit=ground,
        owner=epg,
        start=date.today() - timedelta(days=90),
        state=Initiative.State.ACTIVE,
    )
    Initiative.objects.create(
        name="Enterprise CMMI",
        method=Initiative.Method.CMMI,
        owning_unit=root,
        owner=epg,
        sponsor=boss,
        start=date.today() - timedelta(days=60),
        state=Initiative.State.ACTIVE,
    )
    ProgramDocument.objects.create(
        kind=ProgramDocument.Kind.POLICY,
        title="Process improvement policy",
        text="The organization improves its processes continually.",
    )
    for user in (epg, boss, pm, lead, member):
        Document.objects.create(
            kind="improvement_plan",
            title=f"Improvement plan for {user.username}",
            requested_by=user,
        )

    # Needs and appraisals: a closed appraisal (ratings over time) and one in progress.
    need = ProcessNeedFactory(statement="Deliver within 10% of the estimate", owner=epg)
    ProcessNeedFactory(kind=ProcessNeed.Kind.POLICY, statement="Every project plans", owner=epg)
    closed = AppraisalFactory(
        title="Baseline appraisal",
        method=Appraisal.Method.SCAMPI_A,  # only Class A rates (#18)
        reference_model=cmmi,
        lead_appraiser=lead,
        sponsor=boss,
        scope=False,
    )
    closed.process_areas.set([opf_area, pp_area])
    closed.org_units.set([avionics, ground])
    closed.team.set([lead, epg])
    for unit in (avionics, ground):
        for area, value in ((opf_area, "satisfied"), (pp_area, "not_satisfied")):
            RatingFactory(appraisal=closed, process_area=area, org_unit=unit, value=value)
    Appraisal.objects.filter(pk=closed.pk).update(
        state=Appraisal.State.CLOSED,
        actual_start=date.today() - timedelta(days=60),
        actual_end=date.today() - timedelta(days=55),
    )
    current = AppraisalFactory(
        title="Follow-up appraisal",
        reference_model=cmmi,
        lead_appraiser=lead,
        sponsor=boss,
        state=Appraisal.State.IN_PROGRESS,
        previous=closed,
        scope=False,
    )
    current.process_areas.set([opf_area])
    current.org_units.set([avionics])
    current.projects.set([atlas])
    current.team.set([lead, epg])
    weaknesses = [
        FindingFactory(
            appraisal=current,
            process_area=opf_area,
            org_unit=avionics,
            statement=text,
            practice=practices[0],
        )
        for text in ("Process needs are not reviewed", "Appraisal findings are not tracked")
    ]
    FindingFactory(
        appraisal=current,
        process_area=opf_area,
        org_unit=avionics,
        kind=Finding.Kind.STRENGTH,
        statement="Lessons are collected after each project",
    )
    EvidenceFactory(appraisal=current, org_unit=avionics, title="Process needs register")
    CharacterizationFactory(
        appraisal=current,
        org_unit=avionics,
        practice=practices[0],
        value=Characterization.Value.PI,
    )
    RecommendationFactory(appraisal=current, process_area=opf_area)

    # Improvements, scored, traced to the weaknesses and the need.
    criteria = [PrioritizationCriterionFactory(name=n) for n in ("Business value", "Cost")]
    improvement = ImprovementFactory(
        title="Review process needs every quarter", owner=epg, state=Improvement.State.IN_ACTION
    )
    improvement.findings.set(weaknesses)
    improvement.needs.set([need])
    improvement.process_areas.set([opf_area])
    ImprovementFactory(title="Track findings to closure", owner=epg)
    for criterion in criteria:
        ImprovementScoreFactory(improvement=improvement, criterion=criterion, value=4)

    # A plan in progress with a team, review, milestones, items, commitments, issues.
    plan = ProcessActionPlanFactory(
        title="Process needs review rollout",
        owner=epg,
        sponsor=boss,
        state=ProcessActionPlan.State.IN_PROGRESS,
    )
    plan.improvements.set([improvement])
    PlanTeamMemberFactory(plan=plan, user=member, role="Process author")
    PlanReviewFactory(plan=plan, reviewer=pm)
    milestone = MilestoneFactory(plan=plan, title="Needs register in place")
    MilestoneFactory(plan=plan, title="First quarterly review", due=date.today() + timedelta(90))
    ActionItemFactory(plan=plan, milestone=milestone, assignee=member, title="Draft the register")
    ActionItemFactory(
        plan=plan,
        milestone=milestone,
        assignee=pm,
        title="Collect project needs",
        status=ActionItem.Status.DOING,
        spent_effort=Decimal("3"),
    )
    ActionItemFactory(
        plan=plan,
        assignee=epg,
        title="Agree the review agenda",
        status=ActionItem.Status.DONE,
        spent_effort=Decimal("8"),
        due=date.today() - timedelta(days=5),
    )
    ActionItemFactory(
        plan=plan,
        assignee=member,
        title="Book the review room",
        due=date.today() - timedelta(days=2),
    )
    CommitmentFactory(plan=plan)
    PlanIssueFactory(plan=plan, owner=epg)
    PlanMeetingFactory(plan=plan)
    pilot = PilotFactory(action_plan=plan, title="Needs review on Project 01")
    pilot.projects.set([atlas])
    SuccessCriterionFactory(pilot=pilot)

    # Asset library, standard set, deployments, tailoring, training.
    asset = ProcessAssetFactory(name="Process needs procedure", owner=epg)
    asset.process_areas.set([opf_area])
    version = ReleasedVersionFactory(asset=asset, number="1.0")
    AssetVersion.objects.create(asset=asset, number="1.1", change_summary="Quarterly cadence.")
    standard_set = StandardProcessSetFactory()
    standard_set.asset_versions.set([version])
    rollout = DeploymentPlanFactory(name="Needs procedure rollout")
    rollout.asset_versions.set([version])
    rollout.target_units.set([avionics])
    deployments = [
        ProjectDeploymentFactory(project=project, asset_version=version, plan=rollout)
        for project in projects[:4]
    ]
    ProjectDeployment.objects.filter(pk=deployments[1].pk).update(
        state=ProjectDeployment.State.IN_USE
    )
    TailoringRecordFactory(deployment=deployments[0], decided_by=pm)
    TrainingRecordFactory(person=member, asset_version=version)

    # Audits over time, non-compliances, lessons, proposals, measures, reviews.
    for months_ago, result in (
        (6, AuditItem.Result.NON_COMPLIANT),
        (1, AuditItem.Result.COMPLIANT),
    ):
        audit = ComplianceAuditFactory(
            project=atlas, auditor=lead, planned_date=date.today() - timedelta(30 * months_ago)
        )
        AuditItemFactory(audit=audit, deployment=deployments[0], result=result)
        ComplianceAudit.objects.filter(pk=audit.pk).update(
            state=ComplianceAudit.State.COMPLETED, performed_date=audit.planned_date
        )
    NonComplianceFactory(project=atlas, audit=audit, asset=asset, owner=pm)
    PublishedLessonFactory(
        title="Review the needs with the customer",
        project=atlas,
        submitted_by=member,
        published_on=date.today(),
    )
    ImprovementProposalFactory(asset=asset, submitted_by=member)
    EffectivenessReviewFactory(standard_set=standard_set)
    measure = MeasureFactory(name="Estimation error")
    for month in range(1, 7):
        MeasurementFactory(
            measure=measure, project=atlas, period=date(2025, month, 1), value=10 + month
        )
    QuantitativeObjectiveFactory(measure=measure, owner=epg, target=Decimal("10"))
    # An integration's webhook (the process group's list; its row opens the endpoint),
    # inactive so the walk sends nothing, with a failed delivery.
    WebhookDeliveryFactory(
        endpoint=WebhookEndpointFactory(description="Portfolio tool", active=False)
    )

    improvement_type = ContentType.objects.get_for_model(Improvement)
    return Program(
        extra_pages=[
            ("Appraisal grid", reverse("appraisals:appraisal_grid", args=[current.pk])),
            ("Appraisal report", reverse("appraisals:appraisal_report", args=[closed.pk])),
            ("Appraisal", current.get_absolute_url()),
            ("Improvement", improvement.get_absolute_url()),
            (
                "Trace",
                reverse(
                    "lessons:trace",
                    args=[improvement_type.app_label, improvement_type.model, improvement.pk],
                ),
            ),
            ("Action plan", plan.get_absolute_url()),
            ("Plan board", reverse("actions:processactionplan_board", args=[plan.pk])),
            ("Pilot", pilot.get_absolute_url()),
            ("Asset", asset.get_absolute_url()),
            ("Deployment plan", rollout.get_absolute_url()),
            ("Steering meeting", meeting.get_absolute_url()),
            ("Measure", measure.get_absolute_url()),
            ("Notifications", reverse("opf:inbox")),
            ("Profile", reverse("opf:profile")),
        ]
    )


# The roles' usernames. Each list's HTMX swaps (sort, next page, filter, back
# from the record) are exercised by one role in turn: every role reads every
# list and the results partial is the same for all, so a run covers each once.
ROLES = ["epg", "exec", "pm", "appraiser", "member"]
# Page parts axe-core found sound in this run (see ``assert_sound_page``).
AUDITED: set[str] = set()


@dataclass
class Walk:
    """One role's walk; ``problems`` names each page and what is wrong with it."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)
    lists: int = 0
    swaps: int = 0
    swapped_lists: int = 0
    planned: set[str] = field(default_factory=set)
    visited: set[str] = field(default_factory=set)

    def problem(self, where: str, text: str) -> None:
        self.problems.append(f"{where} [{urlsplit(self.page.url).path}]: {text}")

    def sound(self, where: str, within: str | None = None) -> bool:
        self.visited.add(urlsplit(self.page.url).path)
        try:
            assert_sound_page(self.page, within=within, audited=AUDITED)
        except AssertionError as error:
            self.problem(where, str(error).split(": ", 1)[-1])  # the URL is in `where`
            return False
        return True

    def swap(self, where: str, action: Callable[[], None], url_pattern: str) -> bool:
        """Do ``action``; the results must update in place with the URL pushed."""
        self.page.evaluate("window.notReloaded = true")
        action()
        try:
            expect(self.page).to_have_url(re.compile(url_pattern), timeout=5000)
        except AssertionError:
            self.problem(where, f"the URL did not change to match {url_pattern!r}")
            return False
        if self.page.evaluate("window.notReloaded") is not True:
            self.problem(where, "the whole page reloaded instead of the results")
            return False
        self.swaps += 1
        return self.sound(where, within="#results")

    def list_page(self, label: str, path: str, exercise_swaps: bool) -> None:
        """The list's rows; with ``exercise_swaps`` (one role per list, ``Route``) its
        swaps, its first record (a click on a row is the same for every role) and the
        way back."""
        page = self.page
        rows = page.locator("#results tbody tr")
        if rows.first.locator("td.empty").count():
            self.problem(label, "the list is empty: the data set misses its rows")
            return
        self.lists += 1
        if not rows.first.locator("a[href]").count():
            self.problem(label, "the first row has no link to its record")
            return
        if not exercise_swaps:
            return
        self.swapped_lists += 1
        self.swaps_of(label, path)

        # The first row's record opens as a whole page, never inside the results.
        link = rows.first.locator("a[href]").first
        href = link.get_attribute("href")
        where = f"{label}: first record {href}"
        link.click()
        try:
            expect(page).not_to_have_url(re.compile(rf"{re.escape(path)}(\?.*)?$"))
        except AssertionError:
            self.problem(where, "clicking the record link did not leave the list")
            return
        page.wait_for_load_state()
        if page.locator("#results").count():
            self.problem(where, "the record opened inside the list's results")
        self.sound(where)
        # Back to the URL a swap pushed: the whole list page, not the bare results the
        # swap fetched from that URL.
        page.go_back()
        problem = whole_page_problem(page) or (
            None if page.locator("#results table").count() else "no results table"
        )
        if problem:
            self.problem(f"{label}: back from the record", problem)

    def swaps_of(self, label: str, path: str) -> None:
        page = self.page
        results = page.locator("#results")
        term = results.locator("tbody tr").first.locator("a[href]").first.inner_text().split()[0]
        sort = results.locator("thead th a").first
        if sort.count():
            name = sort.inner_text().strip()
            self.swap(f"{label}: sorted by {name}", sort.click, r"[?&]sort=")
        following = results.locator("nav.pagination a[rel=next]")
        if following.count():
            self.swap(f"{label}: page 2", following.click, r"[?&]page=2")
        search = page.locator("form.filters").get_by_role("searchbox")
        if not search.count():
            search = page.locator("form.filters").get_by_role("textbox")
        if search.count():
            field_name = search.first.get_attribute("name")
            self.swap(
                f"{label}: filtered by {term!r}",
                lambda: search.first.fill(term),
                rf"[?&]{field_name}=",
            )
            if results.locator("td.empty").count():  # not a term this list searches
                page.locator("form.filters").get_by_role("link").first.click()  # Reset
                page.wait_for_url(f"{self.base}{path}")


@dataclass
class Route:
    """Who walks which page: every role the pages of its own navigation, and each
    page outside a role's navigation that the role may open (by address, as from a
    link elsewhere) is walked by the first such role in ``ROLES`` order, so every
    page is opened by each role that has it in its navigation and by one role that
    reaches it otherwise, without every role walking every page. Each list's HTMX
    swaps are exercised by one of the roles that walk it, chosen by the list's
    address (the results partial is the same for every role)."""

    walkers: dict[str, list[str]]
    labels: dict[str, str]

    @classmethod
    def plan(cls) -> Route:
        users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
        shown = {name: {item.url for item in items_for(users[name])} for name in ROLES}
        walkers: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for item in navigation_items():
            labels[item.url] = str(item.label)
            walking = [name for name in ROLES if item.url in shown[name]]
            reaching = [
                name
                for name in ROLES
                if name not in walking and (item.perm is None or users[name].has_perm(item.perm))
            ]
            walkers[item.url] = walking + reaching[:1]
        return cls(walkers, labels)

    def beyond_navigation(self, username: str, shown: set[str]) -> list[tuple[str, str]]:
        return [
            (self.labels[url], url)
            for url, names in self.walkers.items()
            if username in names and url not in shown
        ]

    def swaps_by(self, username: str, url: str) -> bool:
        names = self.walkers.get(url) or [ROLES[0]]
        return names[zlib.crc32(url.encode()) % len(names)] == username


def walk_every_page(page: Page, base: str, username: str, program: Program) -> Walk:
    """Sign in, check the home page, every page of the main navigation (and the
    first record of each list there), then the extra pages."""
    walk = Walk(page, base)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    walk.sound("Home")

    nav = page.get_by_role("navigation", name="Main")
    closed = nav.locator("details.nav-section:not([open]) > summary")
    while closed.count():  # sections start closed (but for the current page's)
        closed.first.click()
    links = [
        (a.inner_text().strip(), a.get_attribute("href") or "")
        for a in nav.get_by_role("link").all()
    ]
    assert len(links) > 4, f"{username}: the main navigation has only {links}"
    route = Route.plan()
    links += route.beyond_navigation(username, {href for _label, href in links})
    walk.planned = {urlsplit(href).path for _label, href in links}
    for label, href in links:
        if label.startswith("Waiting for you"):
            continue  # the home page, checked above
        in_nav = nav.get_by_role("link", name=label, exact=True)
        if whole_page_problem(page) is None and in_nav.count():  # as a person would
            in_nav.click()
            page.wait_for_url(f"{base}{href}")
        else:  # a broken page (reported already): start the next one afresh
            page.goto(f"{base}{href}")
        if not walk.sound(label):
            continue
        # A list narrowed to the person's own rows (?waiting=) may well be empty.
        if page.locator("#results table").count() and "waiting=" not in href:
            walk.list_page(label, href, exercise_swaps=route.swaps_by(username, href))

    for label, path in program.extra_pages:
        if path in walk.visited:
            continue  # a list's first record, say
        response = page.goto(f"{base}{path}")
        if response is None or not response.ok:
            walk.problem(label, f"answered {response.status if response else 'nothing'}")
            continue
        walk.sound(label)
    return walk


@pytest.mark.parametrize("username", ROLES)
def test_every_page_is_sound(page: Page, live_server, username: str) -> None:
    program = build_program()
    walk = walk_every_page(page, live_server.url, username, program)
    if walk.problems:
        pytest.fail(
            f"{username}: {len(walk.problems)} problem(s)\n" + "\n".join(walk.problems),
            pytrace=False,
        )
    assert walk.planned <= walk.visited, f"{username}: not walked: {walk.planned - walk.visited}"
    assert walk.lists >= 3, f"{username}: only {walk.lists} list pages walked"
    # Every list sorts: each list this role exercises swaps at least once.
    assert walk.swaps >= walk.swapped_lists, f"{username}: {walk.swaps} swaps"
