"""Forms as a person uses them: a searchable picker with the keyboard, the same form
with JavaScript off, practices narrowed by the chosen process area, the error
summary taking focus and a length counter (opf.core.ui.choices, static/js/forms.js).

Screenshots go to /tmp/shots-forms/ (not committed) at a laptop and a phone size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from appraisals.models import Appraisal, Finding, ProcessNeed
from opf.core.roles import PROCESS_GROUP
from tests.appraisals.factories import AppraisalFactory
from tests.browser.conftest import axe_violations, choose, signed_in_without_javascript
from tests.factories import (
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ProjectFactory,
    ReferenceModelFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots-forms")
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _people() -> None:
    UserFactory(username="epg", first_name="Eva", last_name="Process", roles=[PROCESS_GROUP])
    UserFactory(first_name="Priya", last_name="Natarajan")
    UserFactory(first_name="Priya", last_name="Shah")
    UserFactory(first_name="Priyanka", last_name="Gone", is_active=False)


def test_a_picker_used_with_the_keyboard_and_a_counter(
    page: Page, live_server, sign_in, console_errors
):
    _people()
    sign_in("epg")
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + reverse("appraisals:processneed_add"))
    owner = page.get_by_role("combobox", name="Owner")
    owner.focus()
    page.keyboard.type("Priya")
    options = page.locator("#id_owner-ts-dropdown .option")
    # the deactivated Priyanka is never offered
    expect(options).to_have_text(["Priya Natarajan", "Priya Shah"])
    shot(page, "picker-open-laptop")
    expect(options.and_(page.locator(".active"))).to_have_text("Priya Natarajan")
    page.keyboard.press("ArrowDown")
    expect(options.and_(page.locator(".active"))).to_have_text("Priya Shah")
    page.keyboard.press("Enter")
    expect(page.locator(".ts-control .item")).to_have_text("Priya Shah")

    page.get_by_label("Statement").fill("Reviews find defects before test.")
    page.get_by_label("Kind").select_option(label="Policy")
    source = page.get_by_label("Source")
    counter = page.locator("#id_source_counter")
    expect(counter).to_have_text("0 of 200 characters")
    source.fill("Steering committee")
    expect(counter).to_have_text("18 of 200 characters")
    source.fill("x" * 205)  # a paste longer than the limit is kept whole, and counted
    expect(source).to_have_value("x" * 205)
    expect(counter).to_have_text("5 characters too many")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Source")
    expect(page.locator("#id_source_errors")).to_contain_text("at most 200 characters")
    expect(page.get_by_role("combobox", name="Owner")).to_be_visible()
    expect(page.locator(".ts-control .item")).to_have_text("Priya Shah")  # kept
    shot(page, "form-errors-laptop")
    assert axe_violations(page) == [], "the pickers, summary and counter pass axe-core"
    page.set_viewport_size(PHONE)
    shot(page, "form-errors-phone")

    summary.get_by_role("link", name="Source").click()
    expect(source).to_be_focused()
    source.fill("Steering committee")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reviews find defects")
    need = ProcessNeed.objects.get()
    assert need.owner.last_name == "Shah" and need.source == "Steering committee"
    assert console_errors == []


def test_the_same_form_works_with_javascript_off(browser: Browser, live_server):
    _people()
    page = signed_in_without_javascript(browser, live_server, "epg", PHONE)
    page.goto(live_server.url + reverse("appraisals:processneed_add"))
    expect(page.locator(".ts-wrapper")).to_have_count(0)
    owner = page.get_by_label("Owner")  # JS off: the plain <select>
    expect(owner.locator("option")).to_have_text(["Choose a person", *_offered(page)])
    expect(owner.locator("option", has_text="Priyanka")).to_have_count(0)
    page.get_by_role("button", name="Save").click()  # nothing filled: errors, no script
    expect(page.locator(".error-summary")).to_contain_text("Statement")
    shot(page, "form-errors-no-js-phone")
    page.get_by_label("Statement").fill("Fewer late changes")
    page.get_by_label("Kind").select_option(label="Policy")
    owner.select_option(label="Priya Natarajan")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fewer late changes")
    assert ProcessNeed.objects.get().owner.last_name == "Natarajan"
    page.context.close()


def _offered(page: Page) -> list[str]:
    names = page.get_by_label("Owner").locator("option").all_text_contents()[1:]
    assert "Priya Shah" in names
    return names


def test_practices_are_narrowed_to_the_chosen_process_area(
    page: Page, live_server, sign_in, console_errors
):
    _people()
    model = ReferenceModelFactory()
    planning = ProcessAreaFactory(reference_model=model, abbreviation="PP", name="Gizmo planning")
    focus = ProcessAreaFactory(reference_model=model, abbreviation="OPF", name="Widget focus")
    PracticeFactory(process_area=planning, goal=None, code="SP 1.1", name="Estimate scope")
    effort = PracticeFactory(
        process_area=planning, goal=None, code="SP 1.2", name="Estimate effort"
    )
    PracticeFactory(process_area=focus, goal=None, code="SP 1.1", name="Establish needs")
    appraisal = AppraisalFactory(
        reference_model=model, state=Appraisal.State.IN_PROGRESS, scope=False
    )
    appraisal.process_areas.set([planning, focus])
    appraisal.org_units.set([OrgUnitFactory(name="Avionics")])

    sign_in("epg")
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + reverse("appraisals:finding_add"))
    choose(page, "Appraisal", str(appraisal))
    area = page.get_by_role("combobox", name="Process area")
    area.focus()
    page.keyboard.type("Widget")
    active = page.locator("#id_process_area-ts-dropdown .option.active")
    expect(active).to_have_text("OPF – Widget focus")
    page.keyboard.press("Enter")
    practice = page.get_by_role("combobox", name="Practice")
    practice.focus()
    choices = page.locator("#id_practice-ts-dropdown .option")
    expect(choices).to_have_text(["Choose a practice", "SP 1.1 Establish needs"])
    page.keyboard.press("Escape")
    # the other area: its two practices, and nothing else
    area.focus()
    page.keyboard.type("Gizmo")
    expect(active).to_have_text("PP – Gizmo planning")
    page.keyboard.press("Enter")
    page.locator("#id_practice + .ts-wrapper .ts-control").click()
    expect(page.locator("#id_practice-ts-dropdown")).to_be_visible()
    expect(choices).to_have_text(
        ["Choose a practice", "SP 1.1 Estimate scope", "SP 1.2 Estimate effort"]
    )
    # chosen from the narrowed list with the mouse (typing into a picker is the
    # first test's; here what counts is which practices are offered)
    choices.filter(has_text="SP 1.2 Estimate effort").click()
    expect(page.locator("#id_practice")).to_have_value(str(effort.pk))
    page.get_by_label("Kind").select_option(label="Weakness")
    page.get_by_label("Statement").fill("Effort is guessed.")
    shot(page, "finding-narrowed-laptop")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    finding = Finding.objects.get()
    assert finding.practice.name == "Estimate effort" and finding.process_area == planning
    assert console_errors == []


def test_the_grid_and_the_coverage_heat_map_read_at_a_glance(
    page: Page, live_server, sign_in, console_errors
):
    from opf.core.roles import APPRAISER, EXECUTIVE
    from tests.deployment.factories import (
        AssetVersionFactory,
        ProcessAssetFactory,
        ProjectDeploymentFactory,
        ReleasedVersionFactory,
    )
    from tests.factories import ProjectFactory

    _people()
    lead = UserFactory(username="lead", roles=[APPRAISER])
    UserFactory(username="exec", roles=[EXECUTIVE])
    model = ReferenceModelFactory()
    area = ProcessAreaFactory(reference_model=model, abbreviation="PP")
    practices = [PracticeFactory(process_area=area, goal=None, code=f"SP 1.{n}") for n in (1, 2)]
    unit = OrgUnitFactory(name="Avionics")
    appraisal = AppraisalFactory(
        reference_model=model, state=Appraisal.State.IN_PROGRESS, lead_appraiser=lead, scope=False
    )
    appraisal.process_areas.set([area])
    appraisal.org_units.set([unit])
    appraisal.team.set([lead])

    sign_in("lead")
    for size, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/appraisals/{appraisal.pk}/grid/")
        expect(page.locator("#characterized-count")).to_have_text("0 of 2 characterized")
        shot(page, f"grid-{name}")
    first = page.locator(f"#c-{practices[0].pk}-u{unit.pk}")
    first.get_by_role("button", name="PI").click()
    expect(first.get_by_role("button", name="PI")).to_have_attribute("aria-pressed", "true")
    # the count follows the cell swapped in place, without a reload
    expect(page.locator("#characterized-count")).to_have_text("1 of 2 characterized")
    colour = first.get_by_role("button", name="PI").evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    assert colour == "rgb(255, 217, 138)"  # PI's amber, not the generic primary blue
    expect(page.locator("#evidence-legend")).to_contain_text("direct artifact mapped")

    assets = [ProcessAssetFactory(name=f"Peer review procedure {n}") for n in range(12)]
    versions = [ReleasedVersionFactory(asset=a, number="2") for a in assets]
    old = AssetVersionFactory(asset=assets[1], number="1", state="superseded")
    for n in range(6):
        project = ProjectFactory(name=f"Cockpit display {n}", org_unit=unit)
        ProjectDeploymentFactory(project=project, asset_version=versions[0], state="in_use")
        ProjectDeploymentFactory(project=project, asset_version=old)
    page.context.clear_cookies()
    sign_in("exec")
    for size, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/coverage/")
        matrix = page.locator(".heatmap-wrap")
        expect(page.locator("table.coverage thead")).to_contain_text("Peer review procedure 0")
        # the matrix scrolls inside its box: the page itself never scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        matrix.evaluate("m => { m.scrollLeft = m.scrollWidth; }")
        head = page.locator("table.coverage tbody th").first
        box, frame = head.bounding_box(), matrix.bounding_box()
        assert box is not None and frame is not None and box["x"] <= frame["x"] + 2  # sticky
        shot(page, f"coverage-{name}")
    assert console_errors == []


def test_typing_in_a_dependent_picker_while_its_options_arrive_keeps_the_keystrokes(
    page: Page, live_server, sign_in, console_errors
):
    """The person chooses a process area and starts typing in the practice picker
    before the area's practices have arrived: what they typed stays, and it filters
    the new options."""
    _people()
    model = ReferenceModelFactory()
    planning = ProcessAreaFactory(reference_model=model, abbreviation="PP", name="Gizmo planning")
    PracticeFactory(process_area=planning, goal=None, code="SP 1.1", name="Estimate scope")
    PracticeFactory(process_area=planning, goal=None, code="SP 2.1", name="Plan the budget")
    appraisal = AppraisalFactory(
        reference_model=model, state=Appraisal.State.IN_PROGRESS, scope=False
    )
    appraisal.process_areas.set([planning])
    appraisal.org_units.set([OrgUnitFactory(name="Avionics")])
    held: list = []
    page.route("**/options/**", lambda route: held.append(route))

    sign_in("epg")
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + reverse("appraisals:finding_add"))
    choose(page, "Appraisal", str(appraisal))
    area = page.get_by_role("combobox", name="Process area")
    area.focus()
    page.keyboard.type("Gizmo")
    expect(page.locator("#id_process_area-ts-dropdown .option.active")).to_have_text(
        "PP – Gizmo planning"
    )
    page.keyboard.press("Enter")
    practice = page.get_by_role("combobox", name="Practice")
    practice.focus()
    page.keyboard.type("Esti")
    # typed before the answer: the box holds it, and the request is on its way
    expect(practice).to_have_value("Esti")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the practices were not asked for"
    for route in held:
        route.continue_()
    choices = page.locator("#id_practice-ts-dropdown .option")
    # The held answers reach a live server that a loaded CI machine may keep busy for
    # seconds: what is checked is what the box holds once they have arrived.
    expect(choices).to_have_text(["SP 1.1 Estimate scope"], timeout=20_000)
    expect(practice).to_have_value("Esti")
    page.keyboard.type("mate")
    expect(practice).to_have_value("Estimate")
    page.keyboard.press("Enter")
    expect(page.locator("#id_practice option:checked")).to_have_text("SP 1.1 Estimate scope")
    assert console_errors == []


def _managers() -> dict[str, object]:
    """Three managers of a project each (a project list's "Manager" filter)."""
    made = {}
    for first, last in (("Priya", "Shah"), ("Priya", "Natarajan"), ("Omar", "Khan")):
        person = UserFactory(first_name=first, last_name=last)
        made[last] = ProjectFactory(name=f"{last}'s project", manager=person)
    return made


def test_a_big_filter_picker_fetches_its_options_as_the_person_types(
    page: Page, live_server, sign_in, console_errors, settings
):
    """Above OPF_FULL_CHOICES the page carries no options for the filter: typing asks
    the server (data-search-url), and the fetched option is chosen and filtered by."""
    settings.OPF_FULL_CHOICES = 2
    _people()
    projects = _managers()
    sign_in("epg")
    page.set_viewport_size(LAPTOP)
    page.goto(f"{live_server.url}/projects/")
    select = page.locator("select#id_manager")
    expect(select.locator("option")).to_have_count(1)  # "Anyone" only
    manager = page.get_by_role("combobox", name="Manager")
    manager.focus()
    page.keyboard.type("Priya")
    options = page.locator("#id_manager-ts-dropdown .option")
    expect(options).to_have_count(2)  # the two Priyas (in the field's order), not Omar
    expect(options.filter(has_text="Priya Natarajan")).to_have_count(1)
    shot(page, "picker-on-demand-laptop")
    options.filter(has_text="Priya Shah").click()
    expect(select).to_have_value(str(projects["Shah"].manager_id))
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(rf"manager={projects['Shah'].manager_id}"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Shah's project")
    # the chosen manager is drawn again with the page, the others are not
    expect(select.locator("option")).to_have_text(["Anyone", "Priya Shah"])
    assert console_errors == []


def test_a_big_filter_picker_without_javascript_offers_every_choice_on_request(
    browser: Browser, live_server, settings
):
    settings.OPF_FULL_CHOICES = 2
    _people()
    _managers()
    page = signed_in_without_javascript(browser, live_server, "epg", PHONE)
    page.goto(f"{live_server.url}/projects/?phase=")
    manager = page.get_by_label("Manager")
    expect(manager.locator("option")).to_have_count(1)
    page.get_by_role("link", name="Show every choice").first.click()  # one per big select
    expect(manager.locator("option")).to_have_count(4)
    manager.select_option(label="Omar Khan")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody tr")).to_contain_text("Khan's project")
    page.context.close()
