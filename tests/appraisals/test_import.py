"""Findings from an appraisal tool's CSV: preview row by row, all or nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisals import services
from appraisals.models import Finding

pytestmark = pytest.mark.django_db

HEADER = "process_area,practice,org_unit,project,kind,severity,statement,evidence\n"


def good_csv(s) -> str:
    return (
        HEADER
        + f"PP,SP 1.1,{s.unit.code},,weakness,high,Estimates are guesses,Interview 3\n"
        + f"pp,,,{s.project.code},Strength,low,Risks reviewed weekly,\n"
        + "PP,SP 1.2,,,observation,,Plans signed by e-mail,\n"
    )


def bad_csv(s) -> str:
    return (
        HEADER
        + f"PP,SP 1.1,{s.unit.code},,weakness,high,Fine row,\n"
        + "XX,SP 1.1,,,weakness,high,Unknown area,\n"
        + f"PP,SP 9.9,{s.unit.code},{s.project.code},bad,urgent,,\n"
    )


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("findings.csv", text.encode(), content_type="text/csv")


def test_a_good_file_previews_then_imports_every_row(conducting, client_as):
    s = conducting
    client = client_as(s.member)
    url = f"/appraisals/{s.appraisal.pk}/import/"
    assert client.get(url).status_code == 200
    preview = client.post(url, {"file": upload(good_csv(s)), "action": "preview"})
    assert preview.status_code == 200
    assert "Import 3 findings" in preview.content.decode()
    assert not Finding.objects.exists()
    done = client.post(url, {"content": good_csv(s), "action": "import"})
    assert done.status_code == 302
    findings = Finding.objects.order_by("pk")
    assert [f.kind for f in findings] == ["weakness", "strength", "observation"]
    assert findings[0].practice == s.practices[0] and findings[0].org_unit == s.unit
    assert findings[1].project == s.project and findings[2].severity == "medium"
    assert findings[0].history.first().history_user == s.member


def test_a_bad_file_shows_row_errors_and_saves_nothing(conducting, client_as):
    s = conducting
    client = client_as(s.lead)
    response = client.post(
        f"/appraisals/{s.appraisal.pk}/import/", {"file": upload(bad_csv(s)), "action": "import"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was saved" in html
    assert "line 3</span>: process area &#x27;XX&#x27; is not in scope" in html
    for problem in (
        "practice &#x27;SP 9.9&#x27; not found",
        "not both",
        "kind &#x27;bad&#x27;",
        "severity &#x27;urgent&#x27;",
        "statement is empty",
    ):
        assert problem in html
    assert not Finding.objects.exists()


def test_a_file_without_the_columns_is_refused(conducting):
    preview = services.preview_findings_csv(conducting.appraisal, "area,text\nPP,x\n")
    assert not preview.ok
    assert "Missing columns" in preview.errors[0]
    with pytest.raises(services.ImportFailed):
        services.import_findings_csv(conducting.appraisal, "", actor=conducting.lead)


def test_only_the_team_imports_while_in_progress(setup, conducting, people, client_as):
    url = f"/appraisals/{conducting.appraisal.pk}/import/"
    for user in (people.executive, people.member):
        assert client_as(user).get(url).status_code == 403
    conducting.appraisal.state = "scheduled"
    conducting.appraisal.save()
    assert client_as(conducting.lead).get(url).status_code == 403
