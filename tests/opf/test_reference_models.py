"""The shipped CMMI-DEV model, and importing other models from JSON or CSV."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from opf.reference.models import Goal, Practice, ProcessArea, ReferenceModel
from opf.reference.services import ImportFailed, parse_csv, parse_json

pytestmark = pytest.mark.django_db

ISO_CSV = """process_area,process_area_name,category,maturity_level,goal,goal_name,practice,practice_name,statement
4,Context of the organization,,,,,4.1,Understanding the organization and its context,Determine external and internal issues.
4,Context of the organization,,,,,4.2,Needs and expectations of interested parties,Determine interested parties.
7,Support,support,,,,7.5,Documented information,Control documented information.
"""


def test_cmmi_dev_ships_with_22_process_areas_and_opf_in_full():
    model = ReferenceModel.objects.get(abbreviation="CMMI-DEV", version="1.2")
    assert model.builtin
    areas = {a.abbreviation: a for a in model.process_areas.all()}
    assert len(areas) == 22
    assert areas["OPF"].maturity_level == 3 and areas["OPF"].category == "process_management"
    assert areas["REQM"].maturity_level == 2 and areas["CAR"].maturity_level == 5
    levels = sorted(a.maturity_level for a in areas.values())
    assert (
        levels.count(2) == 7
        and levels.count(3) == 11
        and levels.count(4) == 2
        and levels.count(5) == 2
    )
    goals = list(Goal.objects.filter(process_area=areas["OPF"]).order_by("order"))
    assert [g.code for g in goals] == ["SG 1", "SG 2", "SG 3", "GG 2", "GG 3", "GG 4", "GG 5"]
    assert goals[0].name == "Determine Process Improvement Opportunities"
    practices = Practice.objects.filter(process_area=areas["OPF"])
    assert practices.count() == 25
    sp11 = practices.get(code="SP 1.1")
    assert sp11.name == "Establish Organizational Process Needs"
    assert sp11.work_products and sp11.subpractices
    assert practices.filter(goal__kind="generic").count() == 16


def test_json_import_creates_the_whole_model(people):
    from opf.reference.services import create_from_spec

    data = {
        "abbreviation": "OWN",
        "name": "Our model",
        "version": "2",
        "process_areas": [
            {
                "abbreviation": "DEL",
                "name": "Delivery",
                "category": "engineering",
                "maturity_level": 2,
                "goals": [
                    {
                        "code": "G1",
                        "name": "Deliver",
                        "practices": [
                            {"code": "P1", "name": "Plan releases"},
                            {"code": "P2", "name": "Ship"},
                        ],
                    }
                ],
            }
        ],
    }
    model = create_from_spec(parse_json(json.dumps(data)))
    area = model.process_areas.get()
    assert area.goals.get().practices.count() == 2


def test_json_errors_are_listed_by_place_and_nothing_is_saved():
    data = {
        "abbreviation": "BAD",
        "name": "Bad",
        "version": "1",
        "process_areas": [
            {"abbreviation": "A", "name": "", "maturity_level": 7},
            {
                "abbreviation": "A",
                "name": "Twice",
                "goals": [{"code": "", "name": "x", "practices": "no"}],
            },
        ],
    }
    with pytest.raises(ImportFailed) as failure:
        parse_json(json.dumps(data))
    places = [e.where for e in failure.value.errors]
    assert "process_areas[0]" in places  # name missing, bad level
    assert "process_areas[1]" in places  # duplicate abbreviation
    assert "process_areas[1].goals[0]" in places  # goal code missing, practices not a list
    assert len(failure.value.errors) >= 5
    assert not ReferenceModel.objects.filter(abbreviation="BAD").exists()


def test_not_json_at_all():
    with pytest.raises(ImportFailed) as failure:
        parse_json(b"\xff\xfe not json")
    assert "JSON" in str(failure.value.errors[0])


def test_csv_import_groups_rows_into_areas():
    spec = parse_csv(ISO_CSV, abbreviation="ISO9001", name="ISO 9001", version="2015")
    assert [a.abbreviation for a in spec.process_areas] == ["4", "7"]
    assert [p.code for p in spec.process_areas[0].practices] == ["4.1", "4.2"]


def test_csv_row_errors_name_the_row():
    bad = ISO_CSV + ",Missing area,,,,,9.9,Orphan,\n7,Support,support,9,,,7.5,Duplicate,\n"
    with pytest.raises(ImportFailed) as failure:
        parse_csv(bad, abbreviation="ISO9001", name="ISO 9001", version="2015")
    messages = [str(e) for e in failure.value.errors]
    assert any(m.startswith("row 5") and "process_area" in m for m in messages)
    assert any(m.startswith("row 6") and "appears twice" in m for m in messages)


def test_csv_without_required_columns():
    with pytest.raises(ImportFailed) as failure:
        parse_csv("a,b\n1,2\n", abbreviation="X", name="X", version="1")
    assert "missing columns" in str(failure.value.errors[0])


def test_upload_page_imports_a_csv(people, client_as):
    upload = SimpleUploadedFile("iso.csv", ISO_CSV.encode(), content_type="text/csv")
    response = client_as(people.epg).post(
        "/reference-models/import/",
        {"file": upload, "abbreviation": "ISO9001", "name": "ISO 9001", "version": "2015"},
    )
    assert response.status_code == 302
    model = ReferenceModel.objects.get(abbreviation="ISO9001")
    assert response.url == model.get_absolute_url()
    assert ProcessArea.objects.filter(reference_model=model).count() == 2


def test_upload_page_shows_row_errors_and_saves_nothing(people, client_as):
    bad = ISO_CSV + "7,Support,support,,,,7.5,Duplicate,\n"
    upload = SimpleUploadedFile("iso.csv", bad.encode(), content_type="text/csv")
    response = client_as(people.epg).post(
        "/reference-models/import/",
        {"file": upload, "abbreviation": "ISO9001", "name": "ISO 9001", "version": "2015"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "nothing was saved" in body and "row 5" in body
    assert not ReferenceModel.objects.filter(abbreviation="ISO9001").exists()


def test_upload_page_refuses_other_file_types_and_missing_csv_fields(people, client_as):
    client = client_as(people.epg)
    response = client.post(
        "/reference-models/import/", {"file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert response.status_code == 400
    assert "Upload a .json or .csv file" in response.content.decode()
    response = client.post(
        "/reference-models/import/", {"file": SimpleUploadedFile("x.csv", ISO_CSV.encode())}
    )
    assert response.status_code == 400
    # each of the three fields: beside the field and in the summary at the top (#17)
    assert response.content.decode().count("Required for a CSV file") == 2 * 3


def test_importing_the_same_model_twice_is_refused(people, client_as):
    data = json.dumps(
        {
            "abbreviation": "CMMI-DEV",
            "name": "Again",
            "version": "1.2",
            "process_areas": [{"abbreviation": "X", "name": "X"}],
        }
    )
    response = client_as(people.epg).post(
        "/reference-models/import/", {"file": SimpleUploadedFile("m.json", data.encode())}
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert ReferenceModel.objects.filter(abbreviation="CMMI-DEV").count() == 1


def test_only_the_process_group_imports(people, client_as):
    for user in (people.pm, people.executive, people.member):
        assert client_as(user).get("/reference-models/import/").status_code == 403


def test_import_command(tmp_path):
    path = tmp_path / "iso.csv"
    path.write_text(ISO_CSV)
    out = StringIO()
    call_command(
        "import_reference_model",
        str(path),
        "--abbreviation",
        "ISO9001",
        "--name",
        "ISO 9001",
        "--model-version",
        "2015",
        stdout=out,
    )
    assert "Imported ISO9001 2015 with 2 process areas" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_reference_model", str(bad), stderr=err)
    assert "abbreviation is required" in err.getvalue()
