"""In a real browser, the lead appraiser of a Class A appraisal confirms one rating and
overrides another with a reason; the page states the rules and the maturity level."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from appraisals import services
from appraisals.models import Appraisal, Evidence, Finding, GoalRating, Rating
from opf.core.roles import APPRAISER
from tests.appraisals.factories import AppraisalFactory
from tests.factories import (
    GoalFactory,
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ReferenceModelFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _class_a_with_proposals() -> tuple[Appraisal, list[Rating]]:
    lead = UserFactory(username="lead", roles=[APPRAISER])
    member = UserFactory(username="member2", roles=[APPRAISER])
    model = ReferenceModelFactory()
    area = ProcessAreaFactory(reference_model=model, abbreviation="PP", maturity_level=2)
    practice = PracticeFactory(process_area=area, goal=None, code="SP 1.1")
    units = [OrgUnitFactory(name="Avionics"), OrgUnitFactory(name="Ground")]
    appraisal = AppraisalFactory(
        reference_model=model,
        method=Appraisal.Method.SCAMPI_A,
        state=Appraisal.State.IN_PROGRESS,
        lead_appraiser=lead,
        scope=False,
    )
    appraisal.process_areas.set([area])
    appraisal.org_units.set(units)
    appraisal.team.set([lead, member])
    for unit in units:
        for kind in ("direct", "affirmation"):
            evidence = Evidence.objects.create(
                appraisal=appraisal, kind=kind, title=f"{kind} {unit}", org_unit=unit
            )
            evidence.practices.add(practice)
        services.characterize(
            appraisal=appraisal,
            practice=practice,
            instance=f"u{unit.pk}",
            value="FI",
            actor=lead,
        )
    return appraisal, services.ratings_refresh(appraisal)


def test_the_lead_appraiser_confirms_and_overrides_ratings(
    page: Page, live_server, sign_in, console_errors
):
    appraisal, ratings = _class_a_with_proposals()
    first, second = sorted(ratings, key=lambda r: r.org_unit.name)
    sign_in("lead")
    page.goto(f"{live_server.url}{appraisal.get_absolute_url()}#ratings")
    expect(page.locator("#class-rule")).to_contain_text("Only a SCAMPI Class A appraisal rates")
    expect(page.locator("#rating-rule")).to_contain_text("all its goals in scope are satisfied")

    row = page.locator("tr", has=page.locator(f"#rating-{first.pk}"))
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Confirmed PP")).to_be_visible()

    row = page.locator("tr", has=page.locator(f"#rating-{second.pk}"))
    row.get_by_label("Rating").select_option("not_satisfied")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Give a reason for overriding")).to_be_visible()
    row = page.locator("tr", has=page.locator(f"#rating-{second.pk}"))
    row.get_by_label("Rating").select_option("not_satisfied")
    row.get_by_label("Reason if overriding").fill("Estimates are not used by the projects.")
    row.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Estimates are not used by the projects.")).to_be_visible()

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, second.value) == ("satisfied", "not_satisfied")
    assert second.override_reason == "Estimates are not used by the projects."
    maturity = page.locator("#maturity")
    expect(maturity).to_contain_text("Avionics: ML 2")
    expect(maturity).to_contain_text("Ground: ML 1")
    assert console_errors == []


def test_a_team_member_judges_a_goal_a_weakness_touches(
    page: Page, live_server, sign_in, console_errors
):
    """SCAMPI A v1.2, 2.6.1: the high weakness proposes SG 1 Not satisfied; the team
    judges it does not significantly affect the goal, with its reason, from the
    appraisal page, on a laptop and then on a phone."""
    appraisal, _ratings = _class_a_with_proposals()
    area = appraisal.process_areas.get()
    goal = GoalFactory(process_area=area, code="SG 1")
    area.practices.update(goal=goal)
    Finding.objects.create(
        appraisal=appraisal,
        process_area=area,
        practice=area.practices.get(),
        org_unit=appraisal.org_units.get(name="Avionics"),
        kind="weakness",
        severity="high",
        statement="Estimates of one project were not updated after the change.",
    )
    services.ratings_refresh(appraisal)
    judged = GoalRating.objects.get(appraisal=appraisal, org_unit__name="Avionics")
    sign_in("member2")
    page.goto(f"{live_server.url}{appraisal.get_absolute_url()}")
    page.get_by_role("link", name="Goal ratings", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Goal ratings")
    expect(page.locator("#goal-judgment-rule")).to_contain_text("do not significantly affect")
    row = page.locator(f"#gr-{judged.pk}")
    expect(row).to_contain_text("Not satisfied")
    row.get_by_label("Judgment").select_option("satisfied")
    row.get_by_role("button", name="Record judgment").click()
    expect(page.get_by_text("give the team's reason")).to_be_visible()
    row = page.locator(f"#gr-{judged.pk}")
    row.get_by_label("Judgment").select_option("satisfied")
    row.get_by_label("Reason if departing").fill("One project, corrected at its next review.")
    row.get_by_role("button", name="Record judgment").click()
    expect(page.get_by_text("Recorded the team's judgment of PP SG 1 at Avionics")).to_be_visible()
    expect(page.locator(f"#gr-{judged.pk}")).to_contain_text("departs from the proposal")
    judged.refresh_from_db()
    assert (judged.value, judged.judged_by.username) == ("satisfied", "member2")
    rating = Rating.objects.get(appraisal=appraisal, org_unit__name="Avionics")
    assert rating.proposed == "satisfied"  # the judged goal decides the area's proposal

    page.screenshot(path="/tmp/shots-goals/goal-ratings-desktop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(f"#gr-{judged.pk}")).to_contain_text("One project, corrected")
    page.screenshot(path="/tmp/shots-goals/goal-ratings-phone.png", full_page=True)
    assert console_errors == []
