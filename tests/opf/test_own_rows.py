"""A user who may write only their own rows cannot give a row away (#9: another
user's ids are refused), in the API as in pages: one rule, ``gives_away``."""

from __future__ import annotations

import pytest

from opf.organization.models import Project
from tests.appraisals.factories import AppraisalFactory
from tests.factories import ProjectFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def test_a_manager_cannot_hand_their_project_to_another_manager(people, api_as, client_as):
    project = ProjectFactory(manager=people.pm, name="Mine")
    url = f"/api/v1/projects/{project.pk}/"
    # The API refuses it as a change the manager may not make ...
    refused = api_as(people.pm).patch(url, {"manager": people.other_pm.pk}, format="json")
    assert refused.status_code == 403
    # ... the page with a message on the field.
    page = client_as(people.pm).post(
        f"/projects/{project.pk}/fields/manager/", {"manager": people.other_pm.pk}
    )
    assert page.status_code in (200, 400) and "keeps this record yours" in page.content.decode()
    assert Project.objects.get(pk=project.pk).manager == people.pm
    # Their own values still save; the process group may reassign.
    assert api_as(people.pm).patch(url, {"name": "Renamed"}, format="json").status_code == 200
    moved = api_as(people.epg).patch(url, {"manager": people.other_pm.pk}, format="json")
    assert moved.status_code == 200
    assert Project.objects.get(pk=project.pk).manager == people.other_pm


def test_an_appraiser_cannot_leave_the_team_of_their_appraisal_through_the_api(people, api_as):
    appraisal = AppraisalFactory()
    appraisal.team.add(people.appraiser)
    url = f"/api/v1/appraisals/{appraisal.pk}/"
    refused = api_as(people.appraiser).patch(url, {"team": [people.pm.pk]}, format="json")
    # The team is the process group's to choose (field rights, #21): 403 naming it.
    assert refused.status_code == 403, refused.content
    assert list(field_errors(refused)) == ["team"]
    assert list(appraisal.team.all()) == [people.appraiser]
