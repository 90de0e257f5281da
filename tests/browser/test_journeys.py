"""Each role does its part of the improvement loop in a real browser, as a person would.

After signing in, every page is reached by clicking: the side navigation, the
links and the buttons on the pages (no ``page.goto`` to a deep URL). Forms are
filled through their labels, buttons pressed by their visible names, and each
step checks what the person sees (headings, messages, the changed state) and,
where it matters, the database. Every page reached must be sound
(``assert_sound_page``: one whole page, no serious accessibility violation).

Screenshots of the main steps go to the run's var folder (``OPF_VAR_DIR``), named
``journey-<role>-<step>.png``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from actions.models import ActionItem, Improvement, PlanReview, ProcessActionPlan
from appraisals.models import Appraisal, Characterization, Finding, Rating
from deployment.models import AssetVersion, DeploymentPlan, ProjectDeployment
from lessons.models import Lesson, NonCompliance
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP, PROJECT_MANAGER
from opf.reference.models import ProcessArea
from tests.actions.factories import (
    ImprovementFactory,
    PlanReviewFactory,
    ProcessActionPlanFactory,
)
from tests.appraisals.factories import AppraisalFactory, qualify
from tests.browser.conftest import choose
from tests.deployment.factories import (
    AssetVersionFactory,
    DeploymentPlanFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import (
    OrgUnitFactory,
    ProjectFactory,
    UserFactory,
)
from tests.lessons.factories import NonComplianceFactory, PublishedLessonFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


class Person:
    """One signed-in person clicking through the app, with a camera.

    ``nav``, ``follow`` and ``click`` lead to another page: they return once that
    page has loaded, and check it is sound. ``press`` changes the page in place
    (HTMX); the test then checks the result and calls ``check``."""

    def __init__(self, page: Page, role: str, sound_page: Callable[[Page], None]) -> None:
        self.page = page
        self.role = role
        self.sound_page = sound_page
        self.shots = Path(settings.VAR_DIR)
        self.shots.mkdir(parents=True, exist_ok=True)

    def _to_next_page(self, target: Locator) -> None:
        self.page.evaluate("window.journeyPage = true")  # gone with this document
        target.click()
        # Polled from here: ``wait_for_function`` evaluates strings in the page,
        # which the Content-Security-Policy (no 'unsafe-eval') refuses.
        deadline = time.monotonic() + 10
        while not self._next_page_loaded():
            assert time.monotonic() < deadline, f"{self.page.url}: no new page loaded"
            self.page.wait_for_timeout(50)
        self.sound()

    def _next_page_loaded(self) -> bool:
        try:
            return self.page.evaluate("!window.journeyPage && document.readyState === 'complete'")
        except PlaywrightError:  # the old document went away during the call
            return False

    def nav(self, label: str) -> None:
        """Follow a link of the side navigation (opening its section if closed)."""
        menu = self.page.get_by_role("navigation", name="Main")
        link = menu.get_by_role("link", name=label, exact=True)
        if not link.is_visible():
            section = menu.locator("details.nav-section").filter(
                has=self.page.get_by_role("link", name=label, exact=True, include_hidden=True)
            )
            section.locator("summary").click()
        self._to_next_page(link)

    def new(self, label: str) -> None:
        """Open a form from the top bar's "New…" menu."""
        menu = self.page.locator("details.new-menu")
        menu.locator("summary").click()
        self._to_next_page(menu.get_by_role("link", name=label, exact=True))

    def follow(self, name: str, *, within: Locator | None = None) -> None:
        self._to_next_page((within or self.page).get_by_role("link", name=name, exact=True))

    def click(self, name: str, *, within: Locator | None = None) -> None:
        """Press a button that leads to a page (a form's submit, a lifecycle step)."""
        self._to_next_page((within or self.page).get_by_role("button", name=name, exact=True))

    def press(self, name: str, *, within: Locator | None = None) -> None:
        """Press a button that changes the page in place."""
        (within or self.page).get_by_role("button", name=name, exact=True).click()

    def sees_heading(self, text: str | re.Pattern[str]) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(text)

    def sees_message(self, text: str | re.Pattern[str]) -> None:
        expect(self.page.locator("main .messages")).to_contain_text(text)

    def state_badge(self) -> Locator:
        return self.page.get_by_role("heading", level=1).locator(".badge").first

    def sound(self) -> None:
        """One whole page, no serious accessibility violation (``assert_sound_page``)."""
        self.sound_page(self.page)

    def shot(self, step: str) -> None:
        """Keep a screenshot of the page as it is now (``caret="initial"``: hiding
        the caret makes Playwright inject a style the page's CSP then reports)."""
        path = self.shots / f"journey-{self.role}-{step}.png"
        self.page.screenshot(path=path, full_page=True, caret="initial")

    def check(self, step: str) -> None:
        """The page as it is now (after an in-place change) is sound; a screenshot."""
        self.sound()
        self.shot(step)


def results(page: Page) -> Locator:
    """The result rows of a list page."""
    return page.locator("#results tbody tr")


# --- the process group runs the loop ------------------------------------------------


def test_process_group_carries_a_weakness_from_an_appraisal_to_a_plan_and_a_release(
    page: Page, live_server, sign_in, sound_page, console_errors
):
    today = timezone.localdate()
    UserFactory(username="priya", first_name="Priya", last_name="Natarajan", roles=[PROCESS_GROUP])
    lena = UserFactory(username="lena", first_name="Lena", last_name="Sorensen", roles=[APPRAISER])
    qualify(lena, issued_on=today - timedelta(days=365), expires_on=today + timedelta(days=730))
    UserFactory(username="tom", first_name="Tom", last_name="Kowalski")
    UserFactory(username="helen", first_name="Helen", last_name="Okafor", roles=[EXECUTIVE])
    UserFactory(username="grace", first_name="Grace", last_name="Mensah", roles=[PROJECT_MANAGER])
    unit = OrgUnitFactory(name="Avionics")
    ProjectFactory(name="Cockpit Display", org_unit=unit)
    asset = ProcessAssetFactory(name="Estimation guideline")
    ReleasedVersionFactory(asset=asset, number="1.0")
    AssetVersionFactory(
        asset=asset,
        number="2.0",
        change_summary="Calibrated on closed projects.",
        state=AssetVersion.State.APPROVED,
    )
    me = Person(page, "process-group", sound_page)

    sign_in("priya")
    me.sees_heading("Waiting for you")
    me.check("01-home")

    # Plan an appraisal of project planning (the shipped CMMI-DEV 1.2) in Avionics.
    me.nav("Appraisals")
    me.sees_heading("Appraisals")
    me.follow("New appraisal")
    me.sees_heading("New appraisal")
    page.get_by_label("Title").fill("SCAMPI C – Avionics planning")
    choose(page, "Method", "SCAMPI C")
    choose(page, "Reference model", "CMMI-DEV 1.2")
    choose(page, "Process areas in scope", "PP – Project Planning")
    choose(page, "Org units in scope", "Avionics")
    choose(page, "Lead appraiser", "Lena Sorensen")
    choose(page, "Team", ["Lena Sorensen", "Tom Kowalski"])
    page.get_by_label("Planned start").fill((today + timedelta(days=7)).isoformat())
    page.get_by_label("Planned end").fill((today + timedelta(days=11)).isoformat())
    me.shot("02-new-appraisal")
    me.click("Save")
    me.sees_heading("SCAMPI C – Avionics planning")
    expect(me.state_badge()).to_have_text("Planned")
    me.shot("03-appraisal-planned")
    appraisal = Appraisal.objects.get(title="SCAMPI C – Avionics planning")
    assert appraisal.lead_appraiser.username == "lena"
    assert set(appraisal.team.values_list("username", flat=True)) == {"lena", "tom"}

    me.click("Schedule")
    expect(me.state_badge()).to_have_text("Scheduled")
    me.click("Start")
    expect(me.state_badge()).to_have_text("In progress")
    me.sees_message("The appraisal is in progress.")

    # Record a weakness on the appraisal's page (the findings section is swapped in place).
    record = page.get_by_role("group", name="Record a finding")
    choose(record, "Process area", "PP – Project Planning")
    choose(record, "Kind", "Weakness")
    choose(record, "Severity", "High")
    record.get_by_label("Statement").fill("Estimates are expert guesses with no historical data.")
    me.press("Record finding")
    findings = page.locator("#findings")
    expect(findings.get_by_role("status")).to_have_text("Recorded the finding.")
    expect(findings).to_contain_text("Estimates are expert guesses")
    me.check("04-weakness-recorded")
    weakness = Finding.objects.get(appraisal=appraisal)
    assert (weakness.kind, weakness.severity) == (Finding.Kind.WEAKNESS, Finding.Severity.HIGH)

    # Turn it into an improvement, and select that.
    page.get_by_label(
        "Pick weakness: Estimates are expert guesses with no historical data."
    ).check()
    page.get_by_role("group", name="Turn the picked weaknesses into improvements").get_by_label(
        "Title"
    ).fill("Calibrated estimation method")
    me.click("Create improvement")
    me.sees_heading("Calibrated estimation method")
    expect(me.state_badge()).to_have_text("Candidate")
    expect(
        page.get_by_role("link", name=re.compile("Estimates are expert guesses"))
    ).to_be_visible()
    me.shot("05-improvement")
    me.click("Select")
    expect(me.state_badge()).to_have_text("Selected")
    improvement = Improvement.objects.get(title="Calibrated estimation method")
    assert improvement.state == Improvement.State.SELECTED
    assert list(improvement.findings.all()) == [weakness]

    # Build an action plan for it: the plan, an action item, a reviewer.
    me.nav("Process action plans")
    me.sees_heading("Process action plans")
    me.follow("New process action plan")
    page.get_by_label("Title").fill("Estimation rollout")
    choose(page, "Improvements", "Calibrated estimation method")
    page.get_by_label("Strategy and approach").fill("Pilot on Cockpit Display, then roll out.")
    choose(page, "Owner", "Priya Natarajan")
    choose(page, "Executive sponsor", "Helen Okafor")
    me.click("Save")
    me.sees_heading("Estimation rollout")
    expect(me.state_badge()).to_have_text("Draft")
    me.shot("06-plan-draft")
    plan = ProcessActionPlan.objects.get(title="Estimation rollout")

    me.follow("Add an action item")
    me.sees_heading("New action item")
    expect(page.get_by_label("Action plan")).to_have_value(str(plan.pk))  # from the plan's page
    page.get_by_label("Title").fill("Write the estimation guideline")
    choose(page, "Assignee", "Tom Kowalski")
    page.get_by_label("Due date").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label("Planned effort (hours)").fill("16")
    me.click("Save")  # added from its plan, the item returns to the plan
    me.sees_heading("Estimation rollout")
    expect(page.locator("#items")).to_contain_text("Write the estimation guideline")

    me.follow("Name a reviewer")
    me.sees_heading("New plan review")
    choose(page, "Reviewer", "Grace Mensah")
    page.get_by_label("Review focus").fill("Effect on projects")
    me.click("Save")
    me.sees_heading("Estimation rollout")
    expect(page.locator("#reviews")).to_contain_text("Grace Mensah")

    # Submit it for review.
    me.click("Submit for review")
    expect(me.state_badge()).to_have_text("In review")
    me.sees_message("The process action plan is in review.")
    me.shot("07-plan-in-review")
    plan.refresh_from_db()
    assert plan.state == ProcessActionPlan.State.IN_REVIEW
    assert list(plan.improvements.all()) == [improvement]
    assert plan.sponsor.username == "helen"
    assert ActionItem.objects.get(plan=plan).assignee.username == "tom"
    assert PlanReview.objects.get(plan=plan).reviewer.username == "grace"

    # Later: release the asset's approved version ...
    me.nav("Process assets")
    me.sees_heading("Process assets")
    me.follow("Estimation guideline", within=page.locator("#results"))
    me.sees_heading("Estimation guideline")
    me.shot("08-asset")
    me.follow("v2.0")
    expect(me.state_badge()).to_have_text("Approved")
    me.click("Release")
    expect(me.state_badge()).to_have_text("Released")
    me.shot("09-version-released")
    versions = dict(asset.versions.values_list("number", "state"))
    assert versions == {"1.0": AssetVersion.State.SUPERSEDED, "2.0": AssetVersion.State.RELEASED}

    # ... and plan its deployment to a project.
    me.nav("Deployment plans")
    me.follow("New deployment plan")
    me.sees_heading("New deployment plan")
    page.get_by_label("Name").fill("Estimation guideline 2.0 rollout")
    choose(page, "Asset versions", "Estimation guideline v2.0")
    choose(page, "Target projects", "Cockpit Display")
    page.get_by_label("Start date").fill((today + timedelta(days=30)).isoformat())
    me.click("Save")
    me.sees_heading("Estimation guideline 2.0 rollout")
    expect(me.state_badge()).to_have_text("Draft")
    expect(page.get_by_role("link", name="Estimation guideline v2.0")).to_be_visible()
    me.shot("10-deployment-plan")
    rollout = DeploymentPlan.objects.get(name="Estimation guideline 2.0 rollout")
    assert [str(v) for v in rollout.asset_versions.all()] == ["Estimation guideline v2.0"]
    assert [p.name for p in rollout.target_projects.all()] == ["Cockpit Display"]
    assert console_errors == []


# --- the executive approves -----------------------------------------------------------


def test_executive_reads_the_dashboard_and_approves_what_waits_for_them(
    page: Page, live_server, sign_in, sound_page, console_errors
):
    helen = UserFactory(username="helen", first_name="Helen", last_name="Okafor", roles=[EXECUTIVE])
    grace = UserFactory(
        username="grace", first_name="Grace", last_name="Mensah", roles=[PROJECT_MANAGER]
    )
    plan = ProcessActionPlanFactory(
        title="Estimation rollout", sponsor=helen, state=ProcessActionPlan.State.IN_REVIEW
    )
    plan.improvements.add(
        ImprovementFactory(title="Calibrated estimation method", state=Improvement.State.SELECTED)
    )
    PlanReviewFactory(plan=plan, reviewer=grace, decision=PlanReview.Decision.APPROVED)
    ProcessActionPlanFactory(title="Metrics portal")  # a draft: nothing to approve yet
    project = ProjectFactory(name="Cockpit Display", manager=grace)
    version = ReleasedVersionFactory(asset=ProcessAssetFactory(name="Estimation guideline"))
    rollout = DeploymentPlanFactory(
        name="Estimation guideline rollout", state=DeploymentPlan.State.SUBMITTED
    )
    rollout.asset_versions.add(version)
    rollout.target_projects.add(project)
    me = Person(page, "executive", sound_page)

    sign_in("helen")
    me.check("01-home")
    me.follow("Executive dashboard", within=page.locator("main"))
    me.sees_heading("Executive dashboard")
    expect(page.locator("#panel-funnel")).to_contain_text("Selected")
    # The draft plan has no sponsor yet: listed once, as the plan (not its history).
    sponsorship = page.locator("#panel-sponsorship tbody tr")
    expect(sponsorship).to_have_count(1)
    expect(sponsorship).to_contain_text("Metrics portal")
    expect(sponsorship.get_by_role("link", name="Metrics portal")).to_have_attribute(
        "href", re.compile(r"/action-plans/\d+/$")
    )
    me.shot("02-dashboard")

    # The action plan waiting for an executive: find it among the plans in review.
    me.nav("Process action plans")
    me.sees_heading("Process action plans")
    choose(page, "State", "In review")
    expect(page).to_have_url(re.compile(r"state=in_review"))
    expect(results(page)).to_have_count(1)
    me.check("03-plans-in-review")
    me.follow("Estimation rollout", within=page.locator("#results"))
    me.sees_heading("Estimation rollout")
    expect(page.locator("#reviews [data-decision]")).to_have_text("Approved")
    me.shot("04-plan")
    me.click("Approve")
    expect(page.locator("h1 [data-state]")).to_have_text("Approved")
    me.sees_message("The process action plan is approved.")
    me.shot("05-plan-approved")
    plan.refresh_from_db()
    assert plan.state == ProcessActionPlan.State.APPROVED
    assert plan.approved_at is not None

    # The deployment plan: approving it creates the project's deployment.
    me.nav("Deployment plans")
    me.follow("Estimation guideline rollout", within=page.locator("#results"))
    me.sees_heading("Estimation guideline rollout")
    expect(me.state_badge()).to_have_text("Waiting for approval")
    me.click("Approve")
    expect(me.state_badge()).to_have_text("Approved")
    me.shot("06-deployment-plan-approved")
    deployment = ProjectDeployment.objects.get(plan=rollout)
    assert (deployment.project, deployment.asset_version) == (project, version)
    assert deployment.state == ProjectDeployment.State.NOT_STARTED
    assert console_errors == []


# --- the project manager updates their project ----------------------------------------


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_project_manager_updates_a_deployment_and_answers_a_non_compliance(
    page: Page, live_server, sign_in, sound_page, console_errors, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    today = timezone.localdate()
    grace = UserFactory(
        username="grace", first_name="Grace", last_name="Mensah", roles=[PROJECT_MANAGER]
    )
    project = ProjectFactory(name="Cockpit Display", manager=grace)
    deployment = ProjectDeploymentFactory(
        project=project,
        asset_version=ReleasedVersionFactory(
            asset=ProcessAssetFactory(name="Estimation guideline"), number="2.0"
        ),
    )
    nc = NonComplianceFactory(
        title="Peer reviews skipped on the display driver",
        project=project,
        severity=NonCompliance.Severity.MINOR,
        due_date=today + timedelta(days=30),  # set by the process group that raised it
    )
    NonComplianceFactory(title="Radar plan out of date", project=ProjectFactory(name="Radar"))
    me = Person(page, f"project-manager-{'phone' if viewport else 'desktop'}", sound_page)

    sign_in("grace")
    expect(page.locator("main")).to_contain_text("Cockpit Display")  # "My projects" card
    me.check("01-home")

    # Move a deployment forward on "My projects", in place.
    me.nav("My projects")
    me.sees_heading("My projects")
    row = page.locator(f"#deployment-{deployment.pk}")
    expect(row).to_contain_text("Estimation guideline v2.0")
    expect(row.locator("[data-state]")).to_have_text("Not started")
    me.shot("02-my-projects")
    choose(row, "Status", "→ Start planning")
    row.get_by_label("Notes").fill("Kick-off with the team on Monday.")
    me.press("Save", within=row)
    row = page.locator(f"#deployment-{deployment.pk}")
    expect(row.locator("[data-state]")).to_have_text("Planning")
    expect(row).to_contain_text("Saved.")
    me.check("03-deployment-planning")
    deployment.refresh_from_db()
    assert deployment.state == ProjectDeployment.State.PLANNING
    assert deployment.notes == "Kick-off with the team on Monday."

    # Answer the non-compliance raised on the project.
    me.nav("Non-compliances")
    me.sees_heading("Non-compliances")
    filters = page.locator("details.filters-box")
    if viewport:  # on a phone the results come first; the filters open on a tap
        expect(filters).not_to_have_attribute("open", "")
        filters.locator("summary").click()
    expect(filters).to_have_attribute("open", "")
    choose(page, "Project", "Cockpit Display")
    expect(results(page)).to_have_count(1)
    me.check("04-non-compliances")
    me.follow(nc.title, within=page.locator("#results"))
    me.sees_heading(nc.title)
    expect(me.state_badge()).to_have_text("Open")
    me.shot("05-non-compliance")
    me.follow("Edit")
    me.shot("06-non-compliance-edit")
    # the manager answers: proposes a due date (the process group sets it), acts
    expect(page.get_by_label("Due date", exact=True)).to_be_disabled()
    page.get_by_label("Proposed due date").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Corrective action").fill("Review the driver changes before the release.")
    page.get_by_label("Root cause", exact=True).select_option(index=1)
    me.click("Save")
    me.sees_heading(nc.title)
    me.click("Start correction")
    expect(me.state_badge()).to_have_text("In correction")
    me.sees_message("The non-compliance is in correction.")
    me.shot("07-non-compliance-in-correction")
    nc.refresh_from_db()
    assert nc.state == NonCompliance.State.IN_CORRECTION
    assert nc.corrective_action == "Review the driver changes before the release."
    assert nc.proposed_due_date == today + timedelta(days=14)
    assert nc.due_date == today + timedelta(days=30)  # the process group's to change
    assert console_errors == []


# --- the appraiser characterizes and records ------------------------------------------


def test_appraiser_characterizes_the_grid_records_a_finding_and_delivers_findings(
    page: Page, live_server, sign_in, sound_page, console_errors
):
    lena = UserFactory(username="lena", first_name="Lena", last_name="Sorensen", roles=[APPRAISER])
    tom = UserFactory(username="tom", first_name="Tom", last_name="Kowalski")
    # The shipped CMMI-DEV 1.2 comes with OPF's goals and practices in full.
    area = ProcessArea.objects.get(reference_model__abbreviation="CMMI-DEV", abbreviation="OPF")
    first = area.practices.get(code="SP 1.1")
    second = area.practices.get(code="SP 1.2")
    unit = OrgUnitFactory(name="Avionics")
    appraisal = AppraisalFactory(
        title="SCAMPI C – Avionics process focus",
        reference_model=area.reference_model,
        state=Appraisal.State.IN_PROGRESS,
        lead_appraiser=lena,
        scope=False,
    )
    appraisal.process_areas.set([area])
    appraisal.org_units.set([unit])
    appraisal.team.set([lena, tom])
    AppraisalFactory(title="Gap analysis – Ground Systems")  # not theirs
    me = Person(page, "appraiser", sound_page)

    sign_in("lena")
    me.check("01-home")
    me.nav("Appraisals")
    me.follow("SCAMPI C – Avionics process focus", within=page.locator("#results"))
    me.sees_heading("SCAMPI C – Avionics process focus")
    me.shot("02-appraisal")

    # Characterize on the grid: a click, then the keyboard; no reload.
    me.follow("Characterization grid")
    me.sees_heading("Characterization grid")
    page.evaluate("window.notReloaded = true")
    cell = page.get_by_role("group", name="SP 1.1 in Avionics")
    cell.get_by_role("button", name="LI", exact=True).click()
    expect(cell.get_by_role("button", name="LI", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    cell = page.get_by_role("group", name="SP 1.2 in Avionics")
    cell.get_by_role("button", name="FI", exact=True).focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # FI → LI → PI
    page.keyboard.press("Space")
    expect(cell.get_by_role("button", name="PI", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("window.notReloaded") is True
    me.check("03-grid")
    values = dict(
        Characterization.objects.filter(appraisal=appraisal).values_list("practice_id", "value")
    )
    assert values == {first.pk: "LI", second.pk: "PI"}

    # Record a finding on the appraisal's page, in place.
    me.follow("Back to the appraisal")
    record = page.get_by_role("group", name="Record a finding")
    choose(record, "Process area", str(area))
    choose(record, "Practice", f"OPF SP 1.2 {second.name}")
    choose(record, "Org unit", "Avionics")
    choose(record, "Kind", "Weakness")
    record.get_by_label("Statement").fill("Appraisal results are not shared with the projects.")
    me.press("Record finding")
    findings = page.locator("#findings")
    expect(findings.get_by_role("status")).to_have_text("Recorded the finding.")
    expect(findings).to_contain_text("Appraisal results are not shared with the projects.")
    me.check("04-finding-recorded")
    finding = Finding.objects.get(appraisal=appraisal)
    assert (finding.practice, finding.org_unit, finding.kind) == (second, unit, "weakness")

    # Deliver the findings: a SCAMPI C characterizes and finds, it does not rate
    # (the lead appraiser's confirmation is tests/browser/test_appraisal_ratings.py).
    me.click("Deliver findings")
    expect(me.state_badge()).to_have_text("Findings delivered")
    ratings = page.locator("#ratings")
    expect(ratings).to_contain_text("Only a SCAMPI Class A appraisal rates")
    expect(ratings.get_by_role("button", name="Confirm")).to_have_count(0)
    me.shot("05-findings-delivered")
    assert not Rating.objects.filter(appraisal=appraisal).exists()
    assert console_errors == []


# --- a member shares a lesson ---------------------------------------------------------


def test_member_submits_a_lesson_and_finds_it_again(
    page: Page, live_server, sign_in, sound_page, console_errors
):
    emma = UserFactory(username="emma", first_name="Emma", last_name="Dubois")
    ProjectFactory(name="Cockpit Display")
    PublishedLessonFactory(title="Estimate reviews early", tags="estimation")
    PublishedLessonFactory(title="Keep the risk register alive", tags="risk")
    me = Person(page, "member", sound_page)

    sign_in("emma")
    me.check("01-home")
    me.new("Lesson learned")
    me.sees_heading("Submit a lesson")
    page.get_by_label("Title").fill("Pair on the first estimate")
    page.get_by_label("Context").fill("A new team estimated the display driver.")
    page.get_by_label("What happened").fill("The first estimate was half the actual effort.")
    page.get_by_label("What to do next time").fill("Pair a new estimator with a senior one.")
    page.get_by_label("Tags").fill("estimation, onboarding")
    choose(page, "Project", "Cockpit Display")
    me.shot("02-lesson-form")
    me.click("Save")
    me.sees_heading("Pair on the first estimate")
    expect(me.state_badge()).to_have_text("Submitted")
    me.sees_message("Thank you")
    me.shot("03-lesson-submitted")
    lesson = Lesson.objects.get(title="Pair on the first estimate")
    assert (lesson.submitted_by, lesson.state) == (emma, Lesson.State.SUBMITTED)

    # Find it again among everyone's lessons: mine only, then by a word in it.
    me.nav("Lessons")
    expect(results(page)).to_have_count(3)
    choose(page, "Mine", "Yes")
    expect(results(page)).to_have_count(1)
    expect(results(page).first).to_contain_text("Pair on the first estimate")
    me.check("04-my-lessons")
    choose(page, "Mine", "Any")
    expect(results(page)).to_have_count(3)
    page.get_by_label("Search").fill("estimator")
    expect(results(page)).to_have_count(1)
    me.follow("Pair on the first estimate", within=page.locator("#results"))
    me.sees_heading("Pair on the first estimate")
    expect(page.get_by_text("Pair a new estimator with a senior one.")).to_be_visible()
    me.shot("05-lesson-found")
    assert console_errors == []
