"""Preliminary findings validated with the participants (#18, SCAMPI A v1.2 activity
2.5): sessions, feedback per finding (agree, disagree, comment; who), findings revised,
then the final findings. A Class A appraisal delivers only once validation is recorded
and every disagreement resolved; other classes are not held."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from appraisals import services
from appraisals.models import Appraisal, FindingFeedback, FindingsValidation
from opf.core.errors import TransitionRefused
from opf.core.services import save_object
from tests.appraisals.conftest import Setup
from tests.appraisals.factories import AppraisalFactory, FindingFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(conducting: Setup):
    s = conducting
    finding = FindingFactory(
        appraisal=s.appraisal, process_area=s.area, statement="Plans are not kept current."
    )
    return s, finding


def _session(s: Setup) -> FindingsValidation:
    session = save_object(
        FindingsValidation(appraisal=s.appraisal, held_on=date(2026, 3, 5)), actor=s.lead
    )
    session.participants.set([s.member])
    return session


def _feedback(s: Setup, session, finding, response: str, comment: str = "") -> FindingFeedback:
    return save_object(
        FindingFeedback(
            appraisal=s.appraisal,
            validation=session,
            finding=finding,
            participant=s.member,
            response=response,
            comment=comment,
        ),
        actor=s.lead,
    )


def _state(appraisal: Appraisal) -> str:
    return Appraisal.objects.get(pk=appraisal.pk).state


def test_a_class_a_delivers_only_after_validation_with_every_disagreement_resolved(found):
    s, finding = found
    # 1. No validation recorded: refused, citing the method.
    with pytest.raises(TransitionRefused) as refused:
        services.appraisal_deliver(s.appraisal, actor=s.lead)
    assert "2.5" in refused.value.message and "validate preliminary findings" in str(
        refused.value.message
    )
    # 2. A participant disagrees: still refused until the team resolves it.
    session = _session(s)
    disagreement = _feedback(s, session, finding, "disagree", "The plan was updated in May.")
    with pytest.raises(TransitionRefused) as refused:
        services.appraisal_deliver(s.appraisal, actor=s.lead)
    assert "1 disagreement(s)" in refused.value.message
    # 3. The finding revised and the disagreement resolved: final findings delivered.
    finding.statement = "Plans are updated, but not against the project's actuals."
    save_object(finding, actor=s.lead)
    disagreement.resolution = "Reworded to the revision history shown by the participant."
    save_object(disagreement, actor=s.lead)
    services.appraisal_deliver(s.appraisal, actor=s.lead)
    assert _state(s.appraisal) == Appraisal.State.FINDINGS_DELIVERED
    assert finding.history.count() >= 2  # the revision is kept


def test_other_classes_are_not_held(people):
    appraisal = AppraisalFactory(conducting=True, method=Appraisal.Method.SCAMPI_C)
    appraisal.team.set([people.appraiser])
    FindingFactory(appraisal=appraisal)
    assert services.validation_refusal(appraisal) == ""
    services.appraisal_deliver(appraisal, actor=people.epg)
    assert _state(appraisal) == Appraisal.State.FINDINGS_DELIVERED


def test_feedback_rules(found):
    s, finding = found
    session = _session(s)
    with pytest.raises(ValidationError) as refused:
        _feedback(s, session, finding, "disagree")
    assert "comment" in refused.value.message_dict
    other = FindingFactory()  # another appraisal's finding
    with pytest.raises(ValidationError) as refused:
        _feedback(s, session, other, "agree")
    assert "finding" in refused.value.message_dict


def test_the_page_shows_the_rule_and_records_feedback_without_javascript(found, client_as):
    s, finding = found
    client = client_as(s.lead)
    detail = client.get(s.appraisal.get_absolute_url()).content.decode()
    assert "activity 2.5 (validate preliminary findings)" in detail
    assert "Validate the preliminary findings with the participants first" in detail
    refused = client.post(f"/appraisals/{s.appraisal.pk}/do/deliver/", follow=True)
    assert "Validate the preliminary findings" in refused.content.decode()
    made = client.post(
        f"/findings-validations/add/?appraisal={s.appraisal.pk}",
        {"appraisal": s.appraisal.pk, "held_on": "2026-03-05", "participants": [s.member.pk]},
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    session = FindingsValidation.objects.get(appraisal=s.appraisal)
    payload = {
        "appraisal": s.appraisal.pk,
        "validation": session.pk,
        "finding": finding.pk,
        "participant": s.member.pk,
        "response": "disagree",
        "comment": "",
    }
    bad = client.post(f"/finding-feedback/add/?appraisal={s.appraisal.pk}", payload)
    assert bad.status_code == 200 and "Say what the participant disagrees with" in (
        bad.content.decode()
    )
    payload.update(comment="Updated monthly", resolution="Kept: no update since March.")
    ok = client.post(f"/finding-feedback/add/?appraisal={s.appraisal.pk}", payload)
    assert ok.status_code == 302
    detail = client.get(s.appraisal.get_absolute_url()).content.decode()
    assert "Kept: no update since March." in detail and "Validated" in detail
    client.post(f"/appraisals/{s.appraisal.pk}/do/deliver/")
    assert _state(s.appraisal) == Appraisal.State.FINDINGS_DELIVERED


def test_the_api_records_feedback_and_deliver_answers_409_until_validated(found, api_as):
    s, finding = found
    api = api_as(s.lead)
    refused = api.post(f"/api/v1/appraisals/{s.appraisal.pk}/deliver/")
    assert refused.status_code == 409 and "2.5" in refused.json()["detail"]
    session = api.post(
        "/api/v1/findings-validations/",
        {"appraisal": s.appraisal.pk, "held_on": "2026-03-05", "participants": [s.member.pk]},
        format="json",
    )
    assert session.status_code == 201, session.content
    body = {
        "appraisal": s.appraisal.pk,
        "validation": session.json()["id"],
        "finding": finding.pk,
        "participant": s.member.pk,
        "response": "disagree",
    }
    bad = api.post("/api/v1/finding-feedback/", body, format="json")
    assert bad.status_code == 400 and "comment" in field_errors(bad)
    made = api.post(
        "/api/v1/finding-feedback/", {**body, "comment": "Updated in May"}, format="json"
    )
    assert made.status_code == 201
    assert api.post(f"/api/v1/appraisals/{s.appraisal.pk}/deliver/").status_code == 409
    resolved = api.patch(
        f"/api/v1/finding-feedback/{made.json()['id']}/",
        {"resolution": "Finding reworded."},
        format="json",
    )
    assert resolved.status_code == 200, resolved.content
    delivered = api.post(f"/api/v1/appraisals/{s.appraisal.pk}/deliver/")
    assert delivered.status_code == 200, delivered.content
