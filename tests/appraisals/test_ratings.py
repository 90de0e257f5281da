"""The rating rule, proposals from the grid, confirmation by the lead, maturity."""

from __future__ import annotations

import pytest

from appraisals import queries, services
from appraisals.models import Rating
from tests.appraisals.factories import FindingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("values", "high", "expected"),
    [
        (["FI", "LI", "FI"], False, "satisfied"),
        (["FI", "LI", "FI"], True, "not_satisfied"),
        (["FI", "PI"], False, "not_satisfied"),
        (["NI", "NY"], False, "not_satisfied"),
        (["FI", "NY"], False, "not_rated"),
        (["FI", None], False, "not_rated"),
        ([], False, "not_rated"),
    ],
)
def test_the_rating_rule(values, high, expected):
    assert queries.propose_rating(values, high_weakness=high) == expected


def _characterize(setup, place: str, values: list[str]) -> None:
    for practice, value in zip(setup.practices, values, strict=True):
        services.characterize(
            appraisal=setup.appraisal,
            practice=practice,
            instance=place,
            value=value,
            actor=setup.lead,
        )


def test_proposals_combine_the_unit_and_its_projects(conducting):
    s = conducting
    _characterize(s, f"u{s.unit.pk}", ["FI", "LI"])
    _characterize(s, f"p{s.project.pk}", ["FI", "FI"])
    _characterize(s, f"u{s.other_unit.pk}", ["FI", "PI"])
    proposals = queries.rating_proposals(s.appraisal)
    assert proposals == {
        (s.area.pk, s.unit.pk): "satisfied",
        (s.area.pk, s.other_unit.pk): "not_satisfied",
    }
    _characterize(s, f"p{s.project.pk}", ["FI", "NY"])
    assert queries.rating_proposals(s.appraisal)[(s.area.pk, s.unit.pk)] == "not_rated"
    _characterize(s, f"p{s.project.pk}", ["FI", "LI"])
    FindingFactory(appraisal=s.appraisal, process_area=s.area, project=s.project, severity="high")
    assert queries.rating_proposals(s.appraisal)[(s.area.pk, s.unit.pk)] == "not_satisfied"


def test_the_lead_confirms_and_an_override_needs_a_reason(conducting, api_as, client_as):
    s = conducting
    _characterize(s, f"u{s.unit.pk}", ["FI", "LI"])
    _characterize(s, f"p{s.project.pk}", ["LI", "LI"])
    rating = next(r for r in services.ratings_refresh(s.appraisal) if r.org_unit == s.unit)
    assert rating.proposed == "satisfied"
    api = api_as(s.lead)
    refused = api.post(f"/api/v1/ratings/{rating.pk}/confirm/", {"value": "not_satisfied"})
    assert refused.status_code == 400
    assert "reason" in refused.json()
    rating.refresh_from_db()
    assert rating.value == ""
    done = api.post(
        f"/api/v1/ratings/{rating.pk}/confirm/",
        {"value": "not_satisfied", "reason": "Interviews contradicted the artifacts."},
    )
    assert done.status_code == 200
    assert done.json()["value"] == "not_satisfied"
    assert done.json()["confirmed"] is True
    rating.refresh_from_db()
    assert rating.overridden and rating.confirmed_by == s.lead
    page = client_as(s.lead).get(s.appraisal.get_absolute_url()).content.decode()
    assert "Interviews contradicted the artifacts." in page
    assert "Rating rule" in page and "Fully or Largely implemented" in page


def test_only_the_lead_or_the_process_group_confirms(conducting, people, api_as, client_as):
    s = conducting
    rating = services.ratings_refresh(s.appraisal)[0]
    member = api_as(s.member).post(
        f"/api/v1/ratings/{rating.pk}/confirm/", {"value": rating.proposed}
    )
    assert member.status_code == 403
    reader = api_as(people.executive).post(
        f"/api/v1/ratings/{rating.pk}/confirm/", {"value": rating.proposed}
    )
    assert reader.status_code == 403
    assert (
        client_as(s.member)
        .post(f"/ratings/{rating.pk}/confirm/", {"value": rating.proposed})
        .status_code
        == 403
    )
    rating.refresh_from_db()
    assert rating.value == ""
    epg = client_as(people.epg).post(f"/ratings/{rating.pk}/confirm/", {"value": rating.proposed})
    assert epg.status_code == 302
    rating.refresh_from_db()
    assert rating.value == rating.proposed


def test_maturity_follows_confirmed_ratings(conducting):
    s = conducting
    for rating in services.ratings_refresh(s.appraisal):
        value = "satisfied" if rating.org_unit == s.unit else "not_satisfied"
        services.rating_confirm(rating, value=value, reason="checked", actor=s.lead)
    levels = dict(queries.maturity_by_unit(s.appraisal))
    assert levels[s.unit] == 2
    assert levels[s.other_unit] == 1
    assert Rating.objects.filter(appraisal=s.appraisal, value="satisfied").count() == 1
