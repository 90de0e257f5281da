"""Lead-appraiser qualification (#18): only a person recorded as a qualified lead
appraiser, with a certificate valid on every day of the appraisal, can lead it. One
rule (``Appraisal.clean``) for the page, the API and the services."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from appraisals import services
from appraisals.models import Appraisal
from opf.core.roles import APPRAISER
from opf.core.services import save_object
from tests.appraisals.factories import AppraisalFactory, qualify
from tests.factories import UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

# The factories' appraisal runs 2 to 6 March 2026.


@pytest.fixture
def lena():
    return UserFactory(username="lena", roles=[APPRAISER])


@pytest.mark.parametrize(
    ("issued", "expires", "allowed"),
    [
        (date(2024, 1, 1), date(2027, 1, 1), True),  # valid throughout
        (date(2024, 1, 1), date(2026, 3, 6), True),  # expires on the last day: still valid
        (date(2024, 1, 1), date(2026, 3, 4), False),  # expires during the appraisal
        (date(2026, 3, 3), date(2029, 3, 2), False),  # issued after the start
        (None, None, False),  # no certificate recorded
    ],
)
def test_worked_examples_of_the_qualification_rule(people, lena, issued, expires, allowed):
    if issued:
        qualify(lena, issued_on=issued, expires_on=expires)
    appraisal = AppraisalFactory()
    appraisal.lead_appraiser = lena
    if allowed:
        save_object(appraisal, actor=people.epg)
        assert Appraisal.objects.get(pk=appraisal.pk).lead_appraiser == lena
    else:
        with pytest.raises(ValidationError) as refused:
            save_object(appraisal, actor=people.epg)
        assert "qualified lead appraiser" in str(refused.value.message_dict["lead_appraiser"])


def test_moving_the_dates_past_the_expiry_is_refused(people, lena):
    qualify(lena, expires_on=date(2026, 6, 30))
    appraisal = AppraisalFactory()
    appraisal.lead_appraiser = lena
    save_object(appraisal, actor=people.epg)
    appraisal.planned_end = date(2026, 7, 3)
    with pytest.raises(ValidationError) as refused:
        save_object(appraisal, actor=people.epg)
    assert "2026-07-03" in str(refused.value.message_dict["lead_appraiser"])


def test_the_page_states_the_rule_and_refuses_an_unqualified_lead(people, lena, client_as):
    appraisal = AppraisalFactory()
    client = client_as(people.epg)
    form = client.get(f"/appraisals/{appraisal.pk}/edit/").content.decode()
    assert "certificate is valid" in form
    payload = {
        "title": appraisal.title,
        "method": appraisal.method,
        "reference_model": appraisal.reference_model_id,
        "lead_appraiser": lena.pk,
        "planned_start": "2026-03-02",
        "planned_end": "2026-03-06",
        "version": appraisal.version,
    }
    refused = client.post(f"/appraisals/{appraisal.pk}/edit/", payload)
    assert refused.status_code == 200
    assert "No valid certificate from 2026-03-02 to 2026-03-06" in refused.content.decode()
    assert Appraisal.objects.get(pk=appraisal.pk).lead_appraiser is None
    qualify(lena)
    assert client.post(f"/appraisals/{appraisal.pk}/edit/", payload).status_code == 302
    assert Appraisal.objects.get(pk=appraisal.pk).lead_appraiser == lena


def test_the_api_refuses_an_unqualified_lead_with_a_field_error(people, lena, api_as):
    appraisal = AppraisalFactory()
    url = f"/api/v1/appraisals/{appraisal.pk}/"
    api = api_as(people.epg)
    refused = api.patch(url, {"lead_appraiser": lena.pk}, format="json")
    assert refused.status_code == 400
    assert "No valid certificate" in field_errors(refused)["lead_appraiser"][0]
    qualify(lena, expires_on=date(2026, 3, 1))  # expired the day before
    assert api.patch(url, {"lead_appraiser": lena.pk}, format="json").status_code == 400
    qualify(lena)
    assert api.patch(url, {"lead_appraiser": lena.pk}, format="json").status_code == 200


def test_qualifications_are_recorded_by_the_process_group(people, lena, api_as):
    payload = {
        "person": lena.pk,
        "certificate_id": "LA-0042",
        "issued_on": "2025-01-01",
        "expires_on": "2024-12-31",
    }
    bad = api_as(people.epg).post("/api/v1/lead-appraiser-qualifications/", payload)
    assert bad.status_code == 400 and "expires_on" in field_errors(bad)
    payload["expires_on"] = "2027-12-31"
    assert api_as(lena).post("/api/v1/lead-appraiser-qualifications/", payload).status_code == 403
    made = api_as(people.epg).post("/api/v1/lead-appraiser-qualifications/", payload)
    assert made.status_code == 201, made.content


def test_a_follow_up_keeps_the_lead_only_while_qualified(people, lena):
    """The copy has no dates yet: checked on the day it is made (frozen here)."""
    previous = AppraisalFactory(lead_appraiser=lena)
    expired = qualify(lena, expires_on=date(2026, 3, 31))

    with time_machine.travel(date(2026, 6, 1)):
        assert services.appraisal_copy(previous, actor=people.epg).lead_appraiser is None
    expired.delete()
    qualify(lena, expires_on=date(2027, 12, 31))
    with time_machine.travel(date(2026, 6, 1)):
        assert services.appraisal_copy(previous, actor=people.epg).lead_appraiser == lena
