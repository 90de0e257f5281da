"""``POST /api/v1/measurements/bulk/``: many measurements in one transaction, all or
nothing, each item checked as one create or change is (#22)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from lessons.models import Measurement
from tests.factories import ProjectFactory
from tests.lessons.factories import MeasureFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/measurements/bulk/"


def month(back: int) -> str:
    today = timezone.localdate()
    year, index = divmod(today.year * 12 + today.month - 1 - back, 12)
    return f"{year:04d}-{index + 1:02d}-01"


def test_a_bulk_create_saves_every_item(people, api_as):
    measure = MeasureFactory()
    project = ProjectFactory(manager=people.pm)
    items = [
        {"measure": measure.pk, "project": project.pk, "period": month(n), "value": f"{n}.5"}
        for n in range(1, 4)
    ]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [row["period"] for row in body] == [month(n) for n in range(1, 4)]
    assert all(row["url"].startswith("http://testserver/api/v1/measurements/") for row in body)
    values = Measurement.objects.filter(project=project).values_list("value", flat=True)
    assert sorted(values) == [Decimal("1.5"), Decimal("2.5"), Decimal("3.5")]


def test_one_bad_item_rolls_back_a_bulk_update_with_every_items_errors(people, api_as):
    project = ProjectFactory(manager=people.pm)
    first = MeasurementFactory(project=project, value=1)
    second = MeasurementFactory(project=project, value=2)
    items = [
        {"id": first.pk, "value": "11"},  # fine alone
        {"id": second.pk, "value": "not a number", "colour": "red"},
        {"id": 999999, "value": "3"},
        {"measure": first.measure_id, "project": project.pk, "period": month(40)},  # no value
    ]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid" and "Nothing was saved" in problem["detail"]
    found = {(e["index"], e["field"], e["code"]) for e in problem["errors"]}
    assert (1, "value", "invalid") in found
    assert (1, "colour", "unknown_field") in found
    assert (2, "id", "does_not_exist") in found
    assert (3, "value", "required") in found
    assert not any(e["index"] == 0 for e in problem["errors"])
    assert {e["pointer"] for e in problem["errors"] if e["index"] == 1} == {
        "/1/value",
        "/1/colour",
    }
    first.refresh_from_db()
    assert first.value == 1 and first.version == 1  # the good item was rolled back too
    assert Measurement.objects.filter(project=project).count() == 2


def test_a_stale_version_fails_its_item(people, api_as):
    measurement = MeasurementFactory(project=ProjectFactory(manager=people.pm), value=1)
    stale = measurement.version
    measurement.value = 5
    measurement.version += 1
    measurement.save()
    items = [{"id": measurement.pk, "value": "7", "version": stale}]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 400
    assert [(e["index"], e["code"]) for e in response.json()["errors"]] == [(0, "stale")]
    measurement.refresh_from_db()
    assert measurement.value == 5


def test_permission_is_checked_per_item_before_anything_about_the_data(people, api_as):
    mine = ProjectFactory(manager=people.pm)
    theirs = MeasurementFactory(project=ProjectFactory(manager=people.other_pm), value=1)
    measure = MeasureFactory()
    items = [
        {"measure": measure.pk, "project": mine.pk, "period": month(1), "value": "1"},
        {"id": theirs.pk, "value": "not even a number"},
    ]
    response = api_as(people.pm).post(URL, items, format="json")
    assert response.status_code == 403
    errors = response.json()["errors"]
    assert [(e["index"], e["code"]) for e in errors] == [(1, "permission_denied")]
    assert not Measurement.objects.filter(project=mine).exists()
    theirs.refresh_from_db()
    assert theirs.value == 1
    # A reader may not write at all.
    assert api_as(people.member).post(URL, items[:1], format="json").status_code == 403


def test_the_body_must_be_a_list_of_objects(people, api_as):
    api = api_as(people.epg)
    assert api.post(URL, {"value": "1"}, format="json").status_code == 400
    assert api.post(URL, [], format="json").status_code == 400
    bad = api.post(URL, ["x"], format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["index"] == 0
