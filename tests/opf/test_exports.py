"""Exports hold what the list shows, as values."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_people_list_exports_each_persons_roles(people, client_as):
    rows = csv_rows(client_as(people.epg).get("/people/", {"_export": "csv"}))
    roles = {row[0]: row[4] for row in rows[1:]}
    assert roles["pm"] == "Project manager, Member" and roles["member"] == "Member"
