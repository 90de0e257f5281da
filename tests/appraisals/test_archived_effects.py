"""An archived record drops out of the figures and takes no lifecycle step until
it is restored (#9: archive instead of delete)."""

from __future__ import annotations

import pytest

from appraisals.models import Appraisal
from appraisals.queries import findings_by_area
from opf.core.archive import archive_object, restore_object
from tests.appraisals.factories import AppraisalFactory, FindingFactory

pytestmark = pytest.mark.django_db


def test_archived_findings_leave_the_findings_report(people):
    kept = FindingFactory()
    archived = FindingFactory(appraisal=kept.appraisal, process_area=kept.process_area)
    assert {f.pk for _, group in findings_by_area(kept.appraisal) for f in group} == {
        kept.pk,
        archived.pk,
    }
    archive_object(archived, actor=people.epg, reason="Duplicate")
    assert [f.pk for _, group in findings_by_area(kept.appraisal) for f in group] == [kept.pk]


def test_an_archived_appraisal_takes_no_step_until_restored(people, api_as):
    appraisal = AppraisalFactory(lead_appraiser=people.appraiser)
    archive_object(appraisal, actor=people.epg, reason="Planned twice")
    api = api_as(people.epg)
    refused = api.post(f"/api/v1/appraisals/{appraisal.pk}/schedule/", {}, format="json")
    assert refused.status_code == 409
    assert "archived" in refused.json()["detail"]
    assert Appraisal.objects.get(pk=appraisal.pk).state == Appraisal.State.PLANNED
    restore_object(Appraisal.objects.get(pk=appraisal.pk), actor=people.epg)
    again = api.post(f"/api/v1/appraisals/{appraisal.pk}/schedule/", {}, format="json")
    # Now only the step's own rules decide (whatever they say, not "archived").
    assert "archived" not in str(again.json().get("detail", ""))
