"""Field rights (#21): one mechanism in the core (``opf.core.field_rights``),
declared per model and role by the feature that owns the model, used by forms
(read-only fields), the API (403 naming the fields) and ``save_object``; and
permission before validation (who may not act learns nothing from it)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.forms import NonComplianceForm
from lessons.models import Measurement, NonCompliance
from opf.core.field_rights import FieldRefused, refused_fields
from opf.core.roles import PROCESS_GROUP, PROJECT_MANAGER
from opf.core.services import save_object
from tests.factories import ProjectFactory, UserFactory
from tests.lessons.factories import MeasurementFactory, NonComplianceFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def nc(people) -> NonCompliance:
    project = ProjectFactory(manager=people.pm)
    return NonComplianceFactory(project=project, severity=NonCompliance.Severity.MINOR)


def stored(nc: NonCompliance) -> NonCompliance:
    return NonCompliance.objects.get(pk=nc.pk)


# --- the mechanism ------------------------------------------------------------------


def test_the_form_shows_the_fields_a_role_may_not_write_read_only(nc, people):
    pm_form = NonComplianceForm(instance=nc, user=people.pm)
    disabled = {name for name, field in pm_form.fields.items() if field.disabled}
    assert {"severity", "owner", "title", "due_date", "project"} <= disabled
    assert not disabled & {"corrective_action", "root_cause_category", "evidence"}
    assert not disabled & {"proposed_due_date", "five_whys", "version"}
    epg_form = NonComplianceForm(instance=nc, user=people.epg)
    assert not [name for name, field in epg_form.fields.items() if field.disabled]


def test_a_forged_form_post_keeps_the_stored_value_of_a_read_only_field(nc, people):
    data = {"severity": "critical", "title": "Rewritten", "corrective_action": "Train the team"}
    form = NonComplianceForm(data, instance=nc, user=people.pm)
    assert form.is_valid(), form.errors
    saved = save_object(form.save(commit=False), actor=people.pm)
    assert (saved.severity, saved.title) == (NonCompliance.Severity.MINOR, nc.title)
    assert stored(nc).corrective_action == "Train the team"


def test_the_service_refuses_a_change_to_a_field_the_actor_may_not_write(nc, people):
    nc.severity = NonCompliance.Severity.CRITICAL
    nc.corrective_action = "Train the team"
    with pytest.raises(FieldRefused) as refused:
        save_object(nc, actor=people.pm)
    assert refused.value.fields == ["severity"]
    assert "severity" in str(refused.value)
    assert stored(nc).severity == NonCompliance.Severity.MINOR
    nc.severity = NonCompliance.Severity.MINOR
    save_object(nc, actor=people.pm)  # the answer alone is the manager's
    assert stored(nc).corrective_action == "Train the team"
    fresh = stored(nc)
    fresh.severity = NonCompliance.Severity.MAJOR
    save_object(fresh, actor=people.epg)  # the process group writes every field
    assert stored(nc).severity == NonCompliance.Severity.MAJOR


def test_rights_hold_in_their_states_only(nc, people):
    assert refused_fields(people.pm, "change", nc, ["corrective_action"]) == []
    NonCompliance.objects.filter(pk=nc.pk).update(state=NonCompliance.State.VERIFIED)
    verified = stored(nc)
    assert refused_fields(people.pm, "change", verified, ["corrective_action"]) == [
        "corrective_action"
    ]


def test_a_role_without_limits_lifts_them_for_a_user_who_has_both():
    both = UserFactory(roles=[PROJECT_MANAGER, PROCESS_GROUP])
    nc = NonComplianceFactory(project=ProjectFactory(manager=both))
    assert refused_fields(both, "change", nc, ["severity", "title"]) == []


def test_the_api_answers_403_naming_the_field_before_validation(nc, people, api_as):
    url = f"/api/v1/non-compliances/{nc.pk}/"
    api = api_as(people.pm)
    # A forbidden field with an invalid value too: the refusal comes first.
    response = api.patch(url, {"severity": "nonsense", "title": "x" * 300}, format="json")
    assert response.status_code == 403, response.content
    assert list(field_errors(response)) == ["severity", "title"]
    assert "severity" in response.json()["detail"]
    # Sending a stored value unchanged is not a write.
    same = api.patch(url, {"severity": "minor", "corrective_action": "Fix"}, format="json")
    assert same.status_code == 200, same.content
    assert stored(nc).corrective_action == "Fix"


# --- a project manager answers a non-compliance (finding #3) -------------------------


def test_a_project_manager_answers_a_non_compliance_through_the_api(nc, people, api_as):
    url = f"/api/v1/non-compliances/{nc.pk}/"
    api = api_as(people.pm)
    later = timezone.localdate() + timedelta(days=30)
    for field, value in {
        "severity": "critical",
        "owner": people.other_pm.pk,
        "title": "Nothing to see",
        "due_date": later.isoformat(),
    }.items():
        response = api.patch(url, {field: value}, format="json")
        assert response.status_code == 403, (field, response.content)
        assert list(field_errors(response)) == [field]
    answer = {
        "corrective_action": "Review the plan weekly",
        "root_cause_category": "training",
        "evidence": "Minutes of 3 reviews",
        "proposed_due_date": later.isoformat(),
    }
    response = api.patch(url, answer, format="json")
    assert response.status_code == 200, response.content
    saved = stored(nc)
    assert (saved.evidence, saved.proposed_due_date) == ("Minutes of 3 reviews", later)
    assert (saved.severity, saved.owner, saved.due_date) == ("minor", people.pm, None)
    epg = api_as(people.epg).patch(url, {"severity": "critical"}, format="json")
    assert epg.status_code == 200, epg.content


def test_a_project_manager_answers_a_non_compliance_on_its_page(nc, people, client_as):
    client = client_as(people.pm)
    url = f"/non-compliances/{nc.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'name="severity"' in page
    assert (
        'name="severity" disabled' in page or "disabled" in page.split('name="severity"')[1][:200]
    )
    assert "Read-only" in page
    later = timezone.localdate() + timedelta(days=20)
    posted = {
        "severity": "critical",  # forged: the field is read-only
        "corrective_action": "Coach the team",
        "root_cause_category": "training",
        "evidence": "Coaching log",
        "proposed_due_date": later.isoformat(),
        "version": stored(nc).version,
    }
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = stored(nc)
    assert (saved.corrective_action, saved.proposed_due_date) == ("Coach the team", later)
    assert saved.severity == NonCompliance.Severity.MINOR


# --- permission before validation --------------------------------------------------------


def test_another_projects_measurement_is_refused_before_validation_in_the_api(people, api_as):
    theirs = MeasurementFactory(project=ProjectFactory(manager=people.other_pm))
    payload = {
        "measure": theirs.measure.pk,
        "project": theirs.project.pk,
        "period": theirs.period.isoformat(),
        "value": "12",
    }
    response = api_as(people.pm).post("/api/v1/measurements/", payload, format="json")
    assert response.status_code == 403, response.content
    assert "already has a value" not in response.content.decode()
    assert Measurement.objects.count() == 1


def test_another_projects_measurement_is_refused_before_validation_on_the_page(people, client_as):
    theirs = MeasurementFactory(project=ProjectFactory(manager=people.other_pm))
    payload = {
        "measure": theirs.measure.pk,
        "project": theirs.project.pk,
        "period": theirs.period.isoformat(),
        "value": "12",
    }
    response = client_as(people.pm).post("/measurements/add/", payload)
    page = response.content.decode()
    assert response.status_code in (200, 400, 403)
    assert "already has a value" not in page
    assert response.status_code == 403 or "keeps this record yours" in page
    assert Measurement.objects.count() == 1
