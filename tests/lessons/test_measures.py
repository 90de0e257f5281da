"""The measurement repository: CSV import (all or nothing), API import, rights,
and the XmR control chart page."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lessons.models import Measurement
from lessons.services import measures
from tests.factories import ProjectFactory
from tests.lessons.factories import MeasureFactory, MeasurementFactory
from tests.problems import field_errors, problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(people):
    measure = MeasureFactory(name="Defect density")
    mine = ProjectFactory(code="mine", manager=people.pm)
    theirs = ProjectFactory(code="theirs", manager=people.other_pm)
    return measure, mine, theirs


def test_import_saves_every_row_or_nothing(setup, people):
    measure, mine, _theirs = setup
    MeasurementFactory(measure=measure, project=mine, period=date(2026, 1, 1), value=1)
    good = "measure,project,period,value,note\nDefect density,mine,2026-01,1.5,recount\nDefect density,MINE,2026-02-01,2\n"
    saved = measures.import_measurements_csv(good, actor=people.epg)
    assert len(saved) == 2
    assert Measurement.objects.get(project=mine, period=date(2026, 1, 1)).value == Decimal("1.5")
    bad = (
        "measure,project,period,value\n"
        "Defect density,mine,2026-03,3\n"
        "Nope,mine,2026-04,1\n"
        "Defect density,ghost,2026-13,abc\n"
        "Defect density,mine,2026-03,4\n"
    )
    with pytest.raises(measures.ImportFailed) as failed:
        measures.import_measurements_csv(bad, actor=people.epg)
    errors = {row.line: " ".join(row.errors) for row in failed.value.preview.rows if row.errors}
    assert set(errors) == {3, 4, 5}
    assert "measure 'Nope'" in errors[3]
    assert "project 'ghost'" in errors[4] and "period" in errors[4] and "value" in errors[4]
    assert "line 2" in errors[5]
    assert Measurement.objects.count() == 2  # nothing of the bad file


def test_import_refuses_missing_columns_and_other_managers_projects(setup, people):
    assert not measures.preview_measurements_csv("measure,value\nx,1\n", actor=people.epg).ok
    _measure, _mine, _theirs = setup
    content = "measure,project,period,value\nDefect density,mine,2026-01,1\nDefect density,theirs,2026-01,1\n"
    preview = measures.preview_measurements_csv(content, actor=people.pm)
    assert [bool(r.errors) for r in preview.rows] == [False, True]
    assert "may not" in preview.rows[1].errors[0]


def test_import_page_states_the_size_limit_of_the_setting(people, client_as, settings):
    settings.OPF_IMPORT_MAX_BYTES = 3 * 1024 * 1024
    page = client_as(people.epg).get("/measurements/import/").content.decode()
    assert "(3.0\xa0MB at most)" in page and "2 MB" not in page
    settings.OPF_IMPORT_MAX_BYTES = 512 * 1024
    page = client_as(people.epg).get("/measurements/import/").content.decode()
    assert "(512.0\xa0KB at most)" in page


def test_import_page_previews_and_imports(setup, people, client_as):
    client = client_as(people.epg)
    upload = SimpleUploadedFile(
        "m.csv", b"measure,project,period,value\nDefect density,mine,2026-01,7\n"
    )
    preview = client.post("/measurements/import/", {"file": upload, "action": "preview"})
    assert preview.status_code == 200 and "Import 1 measurement" in preview.content.decode()
    assert not Measurement.objects.exists()
    done = client.post(
        "/measurements/import/", {"content": preview.context["content"], "action": "import"}
    )
    assert done.status_code == 302 and Measurement.objects.get().value == 7
    broken = client.post(
        "/measurements/import/",
        {"file": SimpleUploadedFile("m.csv", b"\xff\xfe"), "action": "import"},
    )
    assert broken.status_code == 400
    assert client_as(people.member).get("/measurements/import/").status_code == 403


def test_api_import(setup, people, api_as):
    api = api_as(people.epg)
    ok = api.post(
        "/api/v1/measurements/import/",
        {
            "file": SimpleUploadedFile(
                "m.csv", b"measure,project,period,value\nDefect density,mine,2026-01,7\n"
            )
        },
        format="multipart",
    )
    assert ok.status_code == 201 and ok.json()[0]["value"] == "7.0000"
    bad = api.post(
        "/api/v1/measurements/import/",
        {
            "file": SimpleUploadedFile(
                "m.csv", b"measure,project,period,value\nDefect density,mine,2026-02,x\n"
            )
        },
        format="multipart",
    )
    assert bad.status_code == 400 and problem(bad)["errors"][0]["line"] == 2
    assert Measurement.objects.count() == 1


def test_a_period_is_a_first_of_month(setup, people, api_as):
    measure, mine, _theirs = setup
    response = api_as(people.pm).post(
        "/api/v1/measurements/",
        {"measure": measure.pk, "project": mine.pk, "period": "2026-03-15", "value": "1.0"},
        format="json",
    )
    assert response.status_code == 400 and "period" in field_errors(response)


def test_control_chart_marks_and_lists_the_out_of_control_point(setup, people, client_as):
    measure, mine, _theirs = setup
    values = [10, 11, 9, 10, 12, 10, 9, 11, 10, 30, 10, 11]
    for month, value in enumerate(values, start=1):
        MeasurementFactory(measure=measure, project=mine, period=date(2025, month, 1), value=value)
    page = (
        client_as(people.member)
        .get(f"/measures/{measure.pk}/", {"project": mine.pk})
        .content.decode()
    )
    assert "<svg" in page
    signals = page.split('id="signals"')[1].split("</ul>")[0]
    assert "2025-10" in signals and "beyond a natural process limit" in signals
    assert "2025-09" not in signals
    empty = client_as(people.member).get(f"/measures/{MeasureFactory().pk}/").content.decode()
    assert "at least two values" in empty


def test_the_control_chart_endpoint_gives_limits_and_signals(people, api_as):
    from tests.factories import ProjectFactory

    measure = MeasureFactory()
    project = ProjectFactory(manager=people.pm)
    values = [10, 11, 9, 10, 12, 10, 11, 9, 10, 40]  # the last one is far beyond the limits
    for month, value in enumerate(values, start=1):
        MeasurementFactory(
            measure=measure, project=project, period=date(2025, month, 1), value=value
        )
    api = api_as(people.member)
    body = api.get(f"/api/v1/measures/{measure.pk}/control-chart/", {"project": project.pk}).json()
    assert body["project"] == project.pk and len(body["points"]) == 10
    base = values
    ranges = [abs(b - a) for a, b in itertools.pairwise(base)]
    centre = sum(base) / len(base)
    mr_bar = sum(ranges) / len(ranges)
    assert body["centre"] == pytest.approx(centre)
    assert body["upper_limit"] == pytest.approx(centre + 2.66 * mr_bar)
    assert body["points"][0]["moving_range"] is None
    assert any("beyond" in s for s in body["points"][-1]["signals"])
    assert not any("beyond" in s for s in body["points"][0]["signals"])
    hidden = api.get(f"/api/v1/measures/{measure.pk}/control-chart/", {"project": 999999})
    assert hidden.status_code == 400 and "project" in field_errors(hidden)
    mean = api.get(f"/api/v1/measures/{measure.pk}/control-chart/").json()
    assert mean["project"] is None and len(mean["points"]) == 10
