"""Every model declared with ObjectViews/ObjectViewSet gets the same guarantees,
in the pages and in the API: readers read, only permitted roles write, bad
input is refused with field errors and saves nothing, every change is in the
history, and the query count does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext

from opf.core.archive import is_archivable
from opf.core.services import save_object
from opf.core.versioning import is_versioned
from tests.crud import SPECS, Spec
from tests.problems import field_errors

pytestmark = pytest.mark.django_db
READERS = ["epg", "pm", "executive", "appraiser", "member"]


def form_data(data: dict) -> dict:
    """Checkboxes are sent only when ticked."""
    return {k: v for k, v in data.items() if v is not False and v is not None}


def removal(spec: Spec) -> str:
    """The page that takes a record away: archive for evidence (opf.core.archive), else delete."""
    return "archive" if is_archivable(spec.model) else "delete"


@pytest.mark.parametrize("spec", SPECS, ids=str)
@pytest.mark.parametrize("role", READERS)
def test_readers_see_list_and_detail_pages(spec: Spec, role, people, client_as):
    obj = spec.factory()
    client = client_as(people.by_role(role))
    listing = client.get(f"/{spec.page}/", {"q": spec.label(obj)})
    if role not in spec.readers:
        assert listing.status_code == 403
        assert client.get(obj.get_absolute_url()).status_code in (403, 404)
        return
    assert listing.status_code == 200
    assert obj.get_absolute_url() in listing.content.decode()
    detail = client.get(obj.get_absolute_url())
    assert detail.status_code == 200
    assert 'id="history"' in detail.content.decode()


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_anonymous_is_sent_to_sign_in(spec: Spec, client_as):
    obj = spec.factory()
    client = client_as(None)
    for url in (f"/{spec.page}/", obj.get_absolute_url(), f"/{spec.page}/add/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_process_group_creates_edits_and_deletes_in_pages(spec: Spec, people, client_as):
    client = client_as(people.epg)
    assert client.get(f"/{spec.page}/add/").status_code == 200
    before = spec.model.objects.count()
    response = client.post(f"/{spec.page}/add/", form_data(spec.valid()))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert spec.model.objects.count() == before + 1
    obj = spec.model.objects.latest("pk")
    assert obj.history.first().history_user == people.epg

    edit = f"/{spec.page}/{obj.pk}/edit/"
    data = form_data({**spec.valid(), **spec.change})
    for key in spec.valid():  # keep the relations the object already has
        value = getattr(obj, f"{key}_id", None)
        if value is not None:
            data[key] = value
    response = client.post(edit, data)
    assert response.status_code == 302
    obj.refresh_from_db()
    for key, value in spec.change.items():
        assert getattr(obj, key) == value
    assert obj.history.count() == 2

    assert client.get(f"/{spec.page}/{obj.pk}/{removal(spec)}/").status_code == 200  # confirm
    response = client.post(f"/{spec.page}/{obj.pk}/{removal(spec)}/")
    assert response.status_code == 302
    if is_archivable(spec.model):  # kept, stamped, out of the list
        obj.refresh_from_db()
        assert obj.archived_by == people.epg and obj.history.first().history_user == people.epg
        assert client.get(f"/{spec.page}/{obj.pk}/delete/").status_code == 404
    else:
        assert not spec.model.objects.filter(pk=obj.pk).exists()
        assert obj.history.first().history_type == "-"
        assert obj.history.first().history_user == people.epg


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_bad_input_in_a_page_shows_field_errors_and_saves_nothing(spec: Spec, people, client_as):
    client = client_as(people.epg)
    data = spec.invalid()
    before = spec.model.objects.count()
    response = client.post(f"/{spec.page}/add/", form_data(data))
    assert response.status_code == 200
    assert spec.invalid_fields <= set(response.context["form"].errors)
    assert 'class="errors"' in response.content.decode()
    assert spec.model.objects.count() == before


@pytest.mark.parametrize("spec", SPECS, ids=str)
@pytest.mark.parametrize("role", ["executive", "appraiser", "member"])
def test_readers_cannot_write_in_pages(spec: Spec, role, people, client_as):
    obj = spec.factory()
    client = client_as(people.by_role(role))
    assert client.get(f"/{spec.page}/add/").status_code == 403
    assert client.post(f"/{spec.page}/add/", form_data(spec.valid())).status_code == 403
    assert client.get(f"/{spec.page}/{obj.pk}/edit/").status_code == 403
    assert client.post(f"/{spec.page}/{obj.pk}/{removal(spec)}/").status_code == 403
    assert spec.model.objects.filter(pk=obj.pk).exists()
    detail = client.get(obj.get_absolute_url()).content.decode()
    assert f"/{spec.page}/{obj.pk}/edit/" not in detail


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_list_page_exports_csv_and_xlsx(spec: Spec, people, client_as):
    objs = spec.factory.create_batch(3)
    client = client_as(people.member if "member" in spec.readers else people.epg)
    csv = client.get(f"/{spec.page}/", {"_export": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert len(text.strip().splitlines()) >= 4  # header and every row, not just one page
    assert all(spec.label(obj) in text for obj in objs)
    xlsx = client.get(f"/{spec.page}/", {"_export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = callable_()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("spec", SPECS, ids=str)
@pytest.mark.usefixtures("uncached_figures")  # counts every read, the menu's included
def test_list_page_and_api_queries_do_not_grow_with_rows(spec: Spec, people, client_as, api_as):
    client = client_as(people.epg)
    api = api_as(people.epg)
    spec.factory.create_batch(3)
    page_small = count_queries(lambda: client.get(f"/{spec.page}/"))
    api_small = count_queries(lambda: api.get(f"/api/v1/{spec.api}/"))
    spec.factory.create_batch(12)
    assert count_queries(lambda: client.get(f"/{spec.page}/")) == page_small
    assert count_queries(lambda: api.get(f"/api/v1/{spec.api}/")) == api_small
    # 13: every page's top bar counts what waits for the user and their unread
    # notifications in one query of its own (shown without JavaScript, #17).
    assert page_small <= 13
    # and each many-to-many field one query of its own: its references name their
    # records ({id, url, display}, opf.core.rest.serializers.ReferenceField).
    assert api_small <= 8 + len(spec.model._meta.many_to_many)


# --- API ------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_api_anonymous_gets_401(spec: Spec, api_as):
    obj = spec.factory()
    api = api_as(None)
    assert api.get(f"/api/v1/{spec.api}/").status_code == 401
    assert api.get(f"/api/v1/{spec.api}/{obj.pk}/").status_code == 401
    assert api.post(f"/api/v1/{spec.api}/", spec.api_valid(), format="json").status_code == 401


@pytest.mark.parametrize("spec", SPECS, ids=str)
@pytest.mark.parametrize("role", READERS)
def test_api_readers_list_and_read(spec: Spec, role, people, api_as):
    obj = spec.factory()
    api = api_as(people.by_role(role))
    listing = api.get(f"/api/v1/{spec.api}/", {"page_size": 500})
    if role not in spec.readers:
        assert listing.status_code == 403
        assert api.get(f"/api/v1/{spec.api}/{obj.pk}/").status_code in (403, 404)
        return
    assert listing.status_code == 200
    ids = [row["id"] for row in listing.json()["results"]]
    while obj.pk not in ids and listing.json()["next"]:  # the shipped model has 700 practices
        listing = api.get(listing.json()["next"])
        ids = [row["id"] for row in listing.json()["results"]]
    assert obj.pk in ids
    detail = api.get(f"/api/v1/{spec.api}/{obj.pk}/")
    assert detail.status_code == 200
    assert detail.json()["display"] == str(obj)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_api_process_group_full_cycle_with_history(spec: Spec, people, api_as):
    api = api_as(people.epg)
    created = api.post(f"/api/v1/{spec.api}/", spec.api_valid(), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    changed = api.patch(f"/api/v1/{spec.api}/{pk}/", spec.change, format="json")
    assert changed.status_code == 200, changed.json()
    for key, value in spec.change.items():
        assert changed.json()[key] == value
    history = api.get(f"/api/v1/{spec.api}/{pk}/history/").json()
    assert [entry["kind"] for entry in history] == ["changed", "created"]
    assert history[0]["user"] == people.epg.username
    assert {c["field"] for c in history[0]["changes"]} == set(spec.change)
    if is_archivable(spec.model):  # evidence: archived, never deleted
        assert api.delete(f"/api/v1/{spec.api}/{pk}/").status_code == 405
        archived = api.post(f"/api/v1/{spec.api}/{pk}/archive/", {}, format="json")
        assert archived.status_code == 200, archived.json()
        assert archived.json()["archived_by"] == people.epg.pk
        assert spec.model.objects.filter(pk=pk, archived_at__isnull=False).exists()
    else:
        assert api.delete(f"/api/v1/{spec.api}/{pk}/").status_code == 204
        assert not spec.model.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_api_bad_payload_gets_400_with_field_errors(spec: Spec, people, api_as):
    api = api_as(people.epg)
    before = spec.model.objects.count()
    response = api.post(f"/api/v1/{spec.api}/", spec.api_invalid(), format="json")
    assert response.status_code == 400
    assert spec.api_invalid_fields <= set(field_errors(response))
    assert spec.model.objects.count() == before
    wrong_types = api.post(
        f"/api/v1/{spec.api}/", {k: ["x"] for k in spec.api_valid()}, format="json"
    )
    assert wrong_types.status_code == 400
    assert (
        api.post(f"/api/v1/{spec.api}/", "not json", content_type="application/json").status_code
        == 400
    )


@pytest.mark.parametrize("spec", SPECS, ids=str)
@pytest.mark.parametrize("role", ["executive", "appraiser", "member"])
def test_api_readers_cannot_write(spec: Spec, role, people, api_as):
    obj = spec.factory()
    api = api_as(people.by_role(role))
    assert api.post(f"/api/v1/{spec.api}/", spec.api_valid(), format="json").status_code == 403
    assert api.patch(f"/api/v1/{spec.api}/{obj.pk}/", spec.change, format="json").status_code == 403
    if is_archivable(spec.model):
        assert api.post(f"/api/v1/{spec.api}/{obj.pk}/archive/").status_code == 403
    else:
        assert api.delete(f"/api/v1/{spec.api}/{obj.pk}/").status_code == 403
    assert spec.model.objects.filter(pk=obj.pk).exists()


VERSIONED = [spec for spec in SPECS if is_versioned(spec.model)]


def _edit_data(spec: Spec, client, obj) -> dict:
    """The edit form's own initial data (what a user's browser would send back)."""
    form = client.get(f"/{spec.page}/{obj.pk}/edit/").context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, FieldFile):  # a browser sends no file when none is picked
            continue
        elif value is not None and value is not False:
            data[name] = value
    return data


@pytest.mark.parametrize("spec", VERSIONED, ids=str)
def test_a_stale_edit_form_is_refused_with_the_current_values(spec: Spec, people, client_as):
    """No lost update in pages: the form carries the version it was opened at."""
    obj = spec.factory()
    client = client_as(people.epg)
    stale = _edit_data(spec, client, obj)
    assert stale["version"] == obj.version
    save_object(obj, actor=people.epg)  # someone else saves meanwhile
    obj.refresh_from_db()
    before = obj.history.count()
    response = client.post(f"/{spec.page}/{obj.pk}/edit/", {**stale, **form_data(spec.change)})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    assert obj.history.count() == before
    fresh = dict(stale, version=response.context["form"]["version"].value())
    again = client.post(f"/{spec.page}/{obj.pk}/edit/", {**fresh, **form_data(spec.change)})
    assert again.status_code == 302


@pytest.mark.parametrize("spec", VERSIONED, ids=str)
def test_api_writes_check_the_etag(spec: Spec, people, api_as):
    """No lost update in the API: ETag on read, If-Match on write, 412 when stale."""
    obj = spec.factory()
    api = api_as(people.epg)
    read = api.get(f"/api/v1/{spec.api}/{obj.pk}/")
    etag = read["ETag"]
    assert etag == f'"{obj.pk}-{obj.version}"'
    url = f"/api/v1/{spec.api}/{obj.pk}/"
    first = api.patch(url, spec.change, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first["ETag"] != etag
    second = api.patch(url, spec.change, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 412
    assert second.json()["current"]["version"] == obj.version + 1
    if is_archivable(spec.model):
        assert api.post(f"{url}archive/", HTTP_IF_MATCH=etag).status_code == 412
    else:
        assert api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert spec.model.objects.filter(pk=obj.pk).exists()
