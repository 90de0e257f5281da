"""Forms everywhere: pickers, prompts, active people only, org-unit trees, dependent
choices, length limits and the error summary (opf.core.ui.choices, ui/form_fields.html)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from appraisals.models import ProcessNeed
from opf.core.roles import PROCESS_GROUP
from tests.appraisals.factories import AppraisalFactory
from tests.factories import OrgUnitFactory, PracticeFactory, ProcessAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no select {name}"
    return match.group(0)


def test_inactive_people_are_not_offered_but_a_named_one_stays_marked(people, client_as):
    gone = UserFactory(first_name="Gone", last_name="Away", is_active=False)
    here = UserFactory(first_name="Still", last_name="Here")
    page = client_as(people.epg).get(reverse("appraisals:processneed_add")).content.decode()
    owner = _select(page, "owner")
    assert "Still Here" in owner and "Gone Away" not in owner
    assert 'data-picker="user"' in owner
    assert "Choose a person" in owner and "---------" not in page

    need = ProcessNeed.objects.create(statement="Faster reviews", owner=gone)
    page = client_as(people.epg).get(reverse("appraisals:processneed_edit", args=[need.pk]))
    owner = _select(page.content.decode(), "owner")
    assert "Gone Away (inactive)" in owner and "Still Here" in owner
    assert here.is_active


def test_an_inactive_person_is_refused_when_posted(people, client_as):
    gone = UserFactory(is_active=False)
    response = client_as(people.epg).post(
        reverse("appraisals:processneed_add"),
        {"statement": "Faster reviews", "kind": "policy", "priority": 2, "owner": gone.pk},
    )
    assert response.status_code == 200
    assert not ProcessNeed.objects.filter(owner=gone).exists()
    assert "Select a valid choice" in response.content.decode()


def test_org_units_are_offered_as_a_tree(people, client_as):
    root = OrgUnitFactory(name="Zeta division")
    child = OrgUnitFactory(name="Alpha team", parent=root)
    OrgUnitFactory(name="Beta division")
    page = client_as(people.epg).get(reverse("opf:project_add")).content.decode()
    units = _select(page, "org_unit")
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", units)
    assert labels.index("Zeta division") + 1 == labels.index("\u00a0\u00a0\u00a0Alpha team")
    assert "Choose an org unit" in units
    assert child.depth == 1


def test_practices_are_narrowed_by_the_chosen_process_area(people, client_as):
    first = PracticeFactory(name="Establish needs")
    other = PracticeFactory(name="Deploy assets")
    appraisal = AppraisalFactory(state="in_progress")
    client = client_as(people.epg)
    page = client.get(
        reverse("appraisals:finding_add"), {"process_area": first.process_area_id}
    ).content.decode()
    practices = _select(page, "practice")
    assert "Establish needs" in practices and "Deploy assets" not in practices
    assert 'data-options-url="/ui/options/opf.practice/process_area/"' in practices
    assert appraisal.pk

    options = client.get(
        reverse("options", args=["opf.practice", "process_area"]),
        {"value": other.process_area_id},
    ).json()["options"]
    assert [o["value"] for o in options] == [other.pk]
    bad = client.get(reverse("options", args=["opf.practice", "process_area"]), {"value": "x"})
    assert bad.status_code == 400 and "value" in bad.json()["errors"]
    assert client.get(reverse("options", args=["opf.user", "is_active"])).status_code == 404


def test_a_practice_of_another_area_is_refused_with_a_message(people, client_as):
    practice = PracticeFactory()
    area = ProcessAreaFactory(reference_model=practice.process_area.reference_model)
    appraisal = AppraisalFactory(state="in_progress", reference_model=area.reference_model)
    appraisal.process_areas.add(area, practice.process_area)
    response = client_as(people.epg).post(
        reverse("appraisals:finding_add"),
        {
            "appraisal": appraisal.pk,
            "process_area": area.pk,
            "practice": practice.pk,
            "kind": "weakness",
            "severity": "medium",
            "statement": "Reviews skipped",
        },
    )
    assert "The practice belongs to another process area." in response.content.decode()


def test_errors_come_with_a_summary_linking_each_field_and_typed_values_kept(people, client_as):
    response = client_as(people.epg).post(
        reverse("appraisals:processneed_add"),
        {"statement": "", "kind": "policy", "priority": "", "measure": "Lead time"},
    )
    html = response.content.decode()
    summary = re.search(
        r'<div class="errorlist-box error-summary" role="alert".*?</div>', html, re.S
    )
    assert summary, "no error summary"
    assert 'href="#id_statement"' in summary.group(0)
    assert "Please correct the" in summary.group(0)
    assert 'id="id_statement_errors"' in html
    assert 'value="Lead time"' in html


def test_a_length_limit_is_a_counter_and_a_message_not_a_silent_cut(people, client_as):
    client = client_as(people.epg)
    html = client.get(reverse("appraisals:processneed_add")).content.decode()
    measure = re.search(r'<input[^>]*name="measure"[^>]*>', html).group(0)
    assert " maxlength=" not in measure and "data-maxlength=" in measure
    limit = int(re.search(r'data-maxlength="(\d+)"', measure).group(1))
    assert f"At most {limit} characters." in html
    response = client.post(
        reverse("appraisals:processneed_add"),
        {"statement": "Need", "kind": "policy", "priority": 2, "measure": "x" * (limit + 5)},
    )
    assert response.status_code == 200
    assert f"Ensure this value has at most {limit} characters (it has {limit + 5})." in (
        response.content.decode()
    )
    assert not ProcessNeed.objects.exists()


def test_every_role_gets_the_prompt_not_dashes(client_as):
    epg = UserFactory(roles=[PROCESS_GROUP])
    html = client_as(epg).get(reverse("opf:project_add")).content.decode()
    assert "---------" not in html


def test_the_api_refuses_a_newly_named_inactive_person_but_keeps_a_named_one(people, api_as):
    gone = UserFactory(first_name="Gone", last_name="Away", is_active=False)
    api = api_as(people.epg)
    body = {"statement": "Faster reviews", "kind": "policy", "priority": 2, "owner": gone.pk}
    response = api.post("/api/v1/process-needs/", body, format="json")
    assert response.status_code == 400
    assert "owner" in response.text and "Gone Away's account is deactivated" in response.text
    assert not ProcessNeed.objects.exists()

    need = ProcessNeed.objects.create(
        statement="Faster reviews", kind="policy", priority=2, owner=gone
    )
    response = api.patch(
        f"/api/v1/process-needs/{need.pk}/", {"statement": "Quicker reviews"}, format="json"
    )
    assert response.status_code == 200, response.text
    need.refresh_from_db()
    assert need.statement == "Quicker reviews" and need.owner == gone


def test_a_list_filter_says_any_and_still_offers_a_former_owner(people, client_as):
    gone = UserFactory(first_name="Gone", last_name="Away", is_active=False)
    ProcessNeed.objects.create(statement="Faster reviews", owner=gone)
    page = client_as(people.epg).get("/process-needs/").content.decode()
    owner = _select(page, "owner")
    assert "Anyone" in owner and "Gone Away (inactive)" in owner
    assert 'data-picker="user"' in owner
    assert "---------" not in page


@pytest.mark.parametrize("role", ["epg", "pm", "executive"])
def test_no_list_filter_offers_dashes_or_unknown(people, client_as, role):
    """Every page the role's menu links to: a filter's blank choice reads "Any …"
    and a yes/no filter's unset one "Any", never "---------" or "Unknown"."""
    client = client_as(getattr(people, role))
    home = client.get("/").content.decode()
    nav = home.split('id="nav"', 1)[1].split("</nav>", 1)[0]
    paths = sorted({href for href in re.findall(r'href="(/[^"#]*)"', nav)})
    assert len(paths) > 5
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200, path
        text = page.content.decode()
        assert "---------" not in text, path
        assert ">Unknown</option>" not in text, path
