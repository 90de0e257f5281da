"""The one CSV import machinery (opf.core.csvimport), on a small import of its own:
a name and a count per row, an optional note."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opf.core.csvimport import CsvImport, ImportFailed, RowError, decode, read_csv
from opf.core.uploads import ImportValidator, import_max_bytes, validate_import

GOOD = "name,count,note\nApples,3,fresh\nPears,12,\n"


class CountsImport(CsvImport):
    columns = ("name", "count", "note")
    required = ("name", "count")

    def __init__(self) -> None:
        self.prepared = False

    def prepare(self) -> None:
        self.prepared = True

    def parse_row(self, row):
        v = row.values
        if not v["name"]:
            row.errors.append("name is empty")
        if not v["count"].isdigit():
            row.errors.append(f"count {v['count']!r} is not a number")
        return None if row.errors else SimpleNamespace(name=v["name"], count=int(v["count"]))


def test_a_good_file_gives_one_object_per_row_with_its_line():
    # Column names are trimmed and in any case; a short row's missing cells are
    # empty, a long row's extra cells ignored.
    content = " Name ,COUNT,note\n Apples , 3 ,fresh\nPears,12\nPlums,1,ripe,extra\n"
    importer = CountsImport()
    preview = importer.preview(content)
    assert preview.ok and preview.errors == [] and importer.prepared
    assert [row.line for row in preview.rows] == [2, 3, 4]
    assert preview.rows[0].values == {"name": "Apples", "count": "3", "note": "fresh"}
    assert preview.rows[1].values == {"name": "Pears", "count": "12", "note": ""}
    assert [(row.obj.name, row.obj.count) for row in preview.rows] == [
        ("Apples", 3),
        ("Pears", 12),
        ("Plums", 1),
    ]


def test_a_file_without_a_required_column_is_refused_before_any_row():
    importer = CountsImport()
    preview = importer.preview("name,note\nApples,fresh\n")
    assert not preview.ok
    assert preview.errors == ["Missing columns: count."]
    assert preview.rows == [] and not importer.prepared


def test_every_problem_of_every_row_is_listed_with_its_line():
    content = "name,count\nApples,3\n,many\nPears,x\n"
    preview = CountsImport().preview(content)
    assert not preview.ok and preview.error_count == 3
    assert {row.line: row.errors for row in preview.rows if row.errors} == {
        3: ["name is empty", "count 'many' is not a number"],
        4: ["count 'x' is not a number"],
    }
    assert preview.rows[0].obj is not None and preview.rows[1].obj is None
    failure = ImportFailed.of(preview)
    assert [str(error) for error in failure.errors] == [
        "row 3: name is empty",
        "row 3: count 'many' is not a number",
        "row 4: count 'x' is not a number",
    ]
    assert failure.as_dict() == {
        "errors": [],
        "rows": [
            {"line": 3, "errors": ["name is empty", "count 'many' is not a number"]},
            {"line": 4, "errors": ["count 'x' is not a number"]},
        ],
    }


@pytest.mark.django_db
def test_run_raises_import_failed_with_the_preview_and_saves_nothing(people):
    with pytest.raises(ImportFailed) as failed:
        CountsImport().run("name,count\nApples,3\nPears,x\n", actor=people.epg)
    assert failed.value.preview.rows[1].errors == ["count 'x' is not a number"]
    assert failed.value.errors == [RowError("row 3", "count 'x' is not a number")]


def test_an_empty_file_and_too_many_rows_are_file_problems():
    assert CountsImport().preview("name,count\n").errors == ["The file has no rows."]
    capped = CountsImport()
    capped.max_rows = 2
    preview = capped.preview(GOOD + "Plums,1,\n")
    assert preview.errors == ["At most 2 rows per file."] and len(preview.rows) == 2


def test_a_file_over_the_import_limit_is_refused_everywhere(settings):
    size = len(GOOD.encode())
    settings.OPF_IMPORT_MAX_BYTES = size - 1
    assert import_max_bytes() == size - 1
    preview = CountsImport().preview(GOOD)
    assert preview.rows == []
    assert preview.errors == [f"The file is {size}\xa0bytes; the limit is {size - 1}\xa0bytes."]
    upload = SimpleUploadedFile("counts.csv", GOOD.encode())
    for check in (validate_import, ImportValidator(["csv"])):
        with pytest.raises(ValidationError) as refused:
            check(upload)
        assert refused.value.error_list[0].code == "file_too_large"
    settings.OPF_IMPORT_MAX_BYTES = size
    assert CountsImport().preview(GOOD).ok
    validate_import(upload)


def test_a_utf8_file_with_a_byte_order_mark_reads_its_first_column():
    raw = b"\xef\xbb\xbf" + GOOD.encode()
    assert decode(raw) == GOOD
    preview = CountsImport().preview(raw.decode("utf-8"))  # the BOM kept as a character
    assert preview.ok and preview.rows[0].values["name"] == "Apples"


def test_plain_utf8_is_read_and_other_encodings_are_refused():
    text = "name,count,note\nCafé,2,crème\n"
    assert decode(text.encode("utf-8")) == text
    assert CountsImport().preview(decode(text.encode())).rows[0].values["note"] == "crème"
    with pytest.raises(ImportFailed) as refused:
        decode(text.encode("latin-1"))
    assert refused.value.errors == [RowError("file", "not UTF-8 text.")]
    assert refused.value.preview.errors == ["file: not UTF-8 text."]


def test_read_csv_names_the_missing_columns_and_numbers_the_lines():
    missing, lines = read_csv("A,b\n1,2\n3,4\n", ("a", "c", "d"))
    assert missing == ["c", "d"]
    assert list(lines) == [(2, {"a": "1", "b": "2"}), (3, {"a": "3", "b": "4"})]
