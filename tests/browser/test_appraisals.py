"""A real browser fills part of the characterization grid (mouse and keyboard) and
turns two weaknesses into one improvement."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from actions.models import Improvement
from appraisals.models import Appraisal, Characterization
from opf.core.roles import APPRAISER, PROCESS_GROUP
from tests.appraisals.factories import AppraisalFactory, FindingFactory
from tests.factories import (
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


def test_characterize_in_the_grid_and_improve_from_weaknesses(
    page: Page, live_server, sign_in, console_errors
):
    epg = UserFactory(username="epg", roles=[PROCESS_GROUP])
    lead = UserFactory(username="lead", roles=[APPRAISER])
    model = ReferenceModelFactory()
    area = ProcessAreaFactory(reference_model=model, abbreviation="PP")
    practices = [PracticeFactory(process_area=area, goal=None, code=f"SP 1.{n}") for n in (1, 2)]
    unit = OrgUnitFactory(name="Avionics")
    appraisal = AppraisalFactory(
        reference_model=model, state=Appraisal.State.IN_PROGRESS, lead_appraiser=lead, scope=False
    )
    appraisal.process_areas.set([area])
    appraisal.org_units.set([unit])
    appraisal.team.set([lead, epg])
    weak = [
        FindingFactory(appraisal=appraisal, process_area=area, statement=text)
        for text in ("Estimates are guesses", "Risks are never revisited")
    ]
    FindingFactory(
        appraisal=appraisal, process_area=area, kind="strength", statement="Good reviews"
    )

    sign_in("epg")
    page.goto(f"{live_server.url}/appraisals/{appraisal.pk}/grid/")
    page.evaluate("window.notReloaded = true")
    first = page.locator(f"#c-{practices[0].pk}-u{unit.pk}")
    first.get_by_role("button", name="LI").click()
    expect(first.get_by_role("button", name="LI")).to_have_attribute("aria-pressed", "true")
    second = page.locator(f"#c-{practices[1].pk}-u{unit.pk}")
    second.get_by_role("button", name="PI").focus()
    page.keyboard.press("Enter")
    expect(second.get_by_role("button", name="PI")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.notReloaded") is True
    values = dict(Characterization.objects.values_list("practice_id", "value"))
    assert values == {practices[0].pk: "LI", practices[1].pk: "PI"}

    page.goto(f"{live_server.url}{appraisal.get_absolute_url()}")
    for finding in weak:
        page.get_by_label(f"Pick weakness: {finding.statement}").check()
    page.get_by_label("Title").fill("Planning guideline")
    page.get_by_role("button", name="Create improvement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planning guideline")
    expect(page).to_have_url(re.compile(r"/improvements/\d+/$"))
    improvement = Improvement.objects.get()
    assert set(improvement.findings.all()) == set(weak)
    expect(page.get_by_text("Estimates are guesses")).to_be_visible()
    assert console_errors == []
