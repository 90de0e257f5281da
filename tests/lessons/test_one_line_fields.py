"""One-line text fields refuse CR/LF in pages and the API; text areas keep their
lines (#21, "Bounded inputs": a CR/LF in a title reached e-mail headers)."""

from __future__ import annotations

from html import escape

import pytest
from django.db import models

from lessons.models import Lesson, NonCompliance
from opf.core.models import ONE_LINE
from tests.crud import SPECS, Spec
from tests.factories import ProjectFactory
from tests.lessons.factories import NonComplianceFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

INJECTED = "a\r\nBcc: x"
LESSON = {"title": "Estimate early", "what_happened": "Late.", "next_time": "Early."}


def test_a_lesson_title_with_a_line_break_is_refused_in_page_and_api(people, client_as, api_as):
    page = client_as(people.member).post("/lessons/submit/", {**LESSON, "title": INJECTED})
    assert page.status_code == 200
    assert page.context["form"].errors["title"] == [str(ONE_LINE)]
    assert escape(str(ONE_LINE)) in page.content.decode()
    api = api_as(people.member).post(
        "/api/v1/lessons/submit/", {**LESSON, "title": INJECTED}, format="json"
    )
    assert api.status_code == 400 and field_errors(api)["title"] == [str(ONE_LINE)]
    assert not Lesson.objects.exists()


def test_text_areas_keep_their_lines(people, api_as):
    lines = "First we were late.\r\nThen we were later."
    api = api_as(people.member).post(
        "/api/v1/lessons/submit/", {**LESSON, "what_happened": lines}, format="json"
    )
    assert api.status_code == 201, api.json()
    assert Lesson.objects.get().what_happened == lines


def test_a_non_compliance_title_with_a_line_break_is_refused_in_page_and_api(
    people, client_as, api_as
):
    project = ProjectFactory()
    data = {"title": INJECTED, "project": project.pk, "severity": "major"}
    page = client_as(people.epg).post("/non-compliances/add/", {**data, "due_date": "2026-10-01"})
    assert page.status_code == 200 and page.context["form"].errors["title"] == [str(ONE_LINE)]
    api = api_as(people.epg)
    assert field_errors(api.post("/api/v1/non-compliances/", data, format="json")) == {
        "title": [str(ONE_LINE)]
    }
    nc = NonComplianceFactory(title="Reviews skipped")
    patched = api.patch(f"/api/v1/non-compliances/{nc.pk}/", {"title": "x\ny"}, format="json")
    assert patched.status_code == 400 and field_errors(patched) == {"title": [str(ONE_LINE)]}
    assert NonCompliance.objects.get().title == "Reviews skipped"


def _one_line_fields(model: type) -> list[str]:
    """The editable one-line text fields of ``model`` (no choices: those are codes; no
    URLs: a line break is no valid URL, and the URL check says so first)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField)
        and not isinstance(f, models.URLField)
        and not f.choices
        and f.editable
    ]


WITH_ONE_LINE_FIELDS = [spec for spec in SPECS if _one_line_fields(spec.model)]


def test_most_models_have_one_line_fields():
    assert len(WITH_ONE_LINE_FIELDS) > len(SPECS) / 2


@pytest.mark.parametrize("spec", WITH_ONE_LINE_FIELDS, ids=str)
def test_every_api_refuses_a_line_break_in_a_one_line_field(spec: Spec, people, api_as):
    data = spec.valid()
    in_payload = [name for name in _one_line_fields(spec.model) if isinstance(data.get(name), str)]
    name = (in_payload or _one_line_fields(spec.model))[0]
    before = spec.model.objects.count()
    payload = spec.api_valid() | spec.in_api({name: f"{data.get(name) or 'a'}\nx"})
    answer = api_as(people.epg).post(f"/api/v1/{spec.api}/", payload, format="json")
    assert answer.status_code == 400, answer.json()
    api_name = spec.api_names.get(name, name)  # the reference model's version: edition
    assert str(ONE_LINE) in field_errors(answer).get(api_name, []), answer.json()
    assert spec.model.objects.count() == before
