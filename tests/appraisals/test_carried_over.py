"""Follow-up appraisals (#18) start from the previous one's characterizations and
evidence, marked carried over until the team confirms or changes them; the grid marks
them and the report shows what moved and what still waits."""

from __future__ import annotations

import pytest

from appraisals import services
from appraisals.models import Appraisal, Characterization, Evidence
from opf.core.services import save_object
from tests.appraisals.conftest import Setup, cover

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(conducting: Setup, people):
    """The first appraisal characterized SP 1.1 FI and SP 1.2 PI in avionics."""
    s = conducting
    cover(s, [f"u{s.unit.pk}"])
    for practice, value in zip(s.practices, ["FI", "PI"], strict=True):
        services.characterize(
            appraisal=s.appraisal,
            practice=practice,
            instance=f"u{s.unit.pk}",
            value=value,
            actor=s.lead,
        )
    copy = services.appraisal_copy(s.appraisal, actor=people.epg)
    Appraisal.objects.filter(pk=copy.pk).update(state=Appraisal.State.IN_PROGRESS)
    copy.refresh_from_db()
    return s, copy


def _cell(copy, practice) -> Characterization:
    return Characterization.objects.get(appraisal=copy, practice=practice)


def test_the_copy_carries_characterizations_and_evidence_over(follow_up):
    s, copy = follow_up
    cells = Characterization.objects.filter(appraisal=copy)
    assert {(c.practice_id, c.value, c.carried_over) for c in cells} == {
        (s.practices[0].pk, "FI", True),
        (s.practices[1].pk, "PI", True),
    }
    evidence = Evidence.objects.filter(appraisal=copy)
    assert evidence.count() == 2 and all(e.carried_over for e in evidence)
    assert set(evidence.first().practices.all()) == set(s.practices)
    assert Evidence.objects.filter(appraisal=s.appraisal).count() == 2  # originals kept
    assert (
        _cell(copy, s.practices[0])
        .history.first()
        .history_change_reason.startswith("Carried over from")
    )


def test_the_team_confirms_or_changes_a_carried_over_value(follow_up):
    s, copy = follow_up
    place = f"u{s.unit.pk}"
    services.characterize(
        appraisal=copy, practice=s.practices[0], instance=place, value="FI", actor=s.member
    )
    services.characterize(
        appraisal=copy, practice=s.practices[1], instance=place, value="LI", actor=s.member
    )
    first, second = _cell(copy, s.practices[0]), _cell(copy, s.practices[1])
    assert (first.value, first.carried_over) == ("FI", False)
    assert first.history.first().history_change_reason == "Carried over value confirmed"
    assert (second.value, second.carried_over) == ("LI", False)
    assert second.history.first().history_change_reason == "Carried over value changed"
    evidence = Evidence.objects.filter(appraisal=copy).first()
    evidence.note = "Checked again: still current."
    save_object(evidence, actor=s.member)
    evidence.refresh_from_db()
    assert not evidence.carried_over


def test_the_grid_marks_and_the_report_shows_what_moved(follow_up, client_as):
    s, copy = follow_up
    client = client_as(s.member)
    grid = client.get(f"/appraisals/{copy.pk}/grid/").content.decode()
    assert "2 values are carried over from the previous appraisal" in grid
    assert grid.count('class="badge warn carried-over"') == 2
    services.characterize(
        appraisal=copy,
        practice=s.practices[1],
        instance=f"u{s.unit.pk}",
        value="LI",
        actor=s.member,
    )
    grid = client.get(f"/appraisals/{copy.pk}/grid/").content.decode()
    assert grid.count('class="badge warn carried-over"') == 1
    report = client.get(f"/appraisals/{copy.pk}/report/").content.decode()
    assert f"{s.practices[1].code} @ {s.unit}: PI → LI" in report  # what moved
    assert "not yet confirmed by the team: 1 characterizations, 2 pieces of evidence" in report


def test_the_api_shows_the_mark(follow_up, api_as):
    s, copy = follow_up
    rows = api_as(s.member).get(f"/api/v1/characterizations/?appraisal={copy.pk}").json()
    assert [r["carried_over"] for r in rows["results"]] == [True, True]
