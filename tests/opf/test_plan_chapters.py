"""The process improvement plan gathers the lifecycle areas' planning (GP 2.2)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from opf.documents.models import Document
from opf.documents.services import document_render
from tests.appraisals.factories import AppraisalFactory
from tests.deployment.factories import DeploymentPlanFactory

pytestmark = pytest.mark.django_db


def test_the_plan_has_appraisal_and_deployment_planning_chapters(people):
    AppraisalFactory(
        title="Spring SCAMPI B", planned_start=date(2027, 4, 5), planned_end=date(2027, 4, 9)
    )
    DeploymentPlanFactory(name="Roll out peer reviews")
    document = Document.objects.create(
        kind="improvement_plan", title="Plan", requested_by=people.epg
    )
    assert document_render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with document.file.open("rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    for expected in (
        "Appraisal planning",
        "Spring SCAMPI B",
        "2027-04-05",
        "Deployment planning",
        "Roll out peer reviews",
    ):
        assert expected in text
    assert text.index("Appraisal planning") < text.index("Deployment planning")
