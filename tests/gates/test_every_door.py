"""Every door checked (#9): each URL pattern and API operation has a permission
test, and the table of who gets through holds for every role, in pages and API.

Coverage comes from three places:

- the generic CRUD specs (tests/crud.py, run by tests/test_crud.py): list,
  detail, add, edit, inline field and delete pages, and the list, record and
  history endpoints of every spec'd model, for readers, writers and anonymous;
- the workflow checks below: every lifecycle step of a spec'd model, in pages
  and API, is refused to each role the role table does not allow it to;
- the doors (tests/doors.py and tests/<app>/doors.py) for everything else.
"""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from opf.core.archive import is_archivable
from opf.core.permissions import can
from tests.crud import SPECS, Spec
from tests.doors import DOORS, ROLES, Door, url_patterns

pytestmark = pytest.mark.django_db

# Doors that need no table: why each is safe.
EXEMPT = {
    "api": "a redirect to /api/v1/",
    "api:schema": "the public API description (no records)",
    "api:docs": "Swagger UI over the schema (no records)",
    "api:api-root": "the router's index of endpoint names (no records)",
    "api:not-found": "any unknown path under /api/v1/: a JSON 404 (no records)",
    "login": "the sign-in page itself",
    "django.views.static.serve": "media files in DEBUG only (not in production URLs)",
    "django.views.generic.base.RedirectView": "/api/ redirects to /api/v1/ (no records)",
}
# archive and restore replace delete for archivable models (opf.core.archive); their role
# table is tests/opf/test_archive.py (test_who_may_archive_and_restore_*).
GENERIC_PAGES = ("list", "detail", "add", "edit", "field", "delete", "archive", "restore")


def page_names() -> set[str]:
    names = set(url_patterns())
    return {n for n in names if not n.startswith("admin:") and not n.startswith("api:")} | {
        n for n in names if n in EXEMPT
    }


def api_operations() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _page_prefix(spec: Spec) -> str:
    opts = spec.model._meta
    return f"{opts.app_label}:{opts.model_name}_"


def _workflow(spec: Spec):
    return getattr(spec.model, "workflow", None)


def generic_coverage() -> set[str]:
    covered: set[str] = set()
    for spec in SPECS:
        prefix = _page_prefix(spec)
        covered |= {prefix + view for view in GENERIC_PAGES}
        base = f"/api/v1/{spec.api}/"
        covered |= {f"{m} {base}" for m in ("GET", "POST")}
        covered |= {f"{m} {base}{{id}}/" for m in ("GET", "PUT", "PATCH", "DELETE")}
        covered.add(f"GET {base}{{id}}/history/")
        if is_archivable(spec.model):
            covered |= {f"POST {base}{{id}}/{step}/" for step in ("archive", "restore")}
        workflow = _workflow(spec)
        if workflow is not None:
            covered.add(prefix + "transition")
            for name in workflow.transitions:
                covered.add(f"POST {base}{{id}}/{name.replace('_', '-')}/")
    return covered


def test_every_page_and_api_operation_has_a_permission_test():
    covered = generic_coverage() | {d.covers for d in DOORS} | set(EXEMPT)
    missing = sorted((page_names() | api_operations()) - covered)
    assert not missing, "No permission test (add a Door in tests/<app>/doors.py):\n" + "\n".join(
        missing
    )


def test_doors_name_real_pages_and_operations():
    real = page_names() | api_operations()
    unknown = sorted({d.covers for d in DOORS} - real)
    assert not unknown, unknown


# --- the doors table ---------------------------------------------------------------


NOT_ALLOWED = "You are not allowed to do this."


def _refused(response, client=None) -> bool:
    """403/404; or the workflow's own refusal: 409 in the API, or, in pages, a
    redirect back to the record with the "not allowed" message."""
    if response.status_code in (403, 404):
        return True
    if response.status_code == 409:
        return NOT_ALLOWED in response.content.decode()
    if response.status_code == 302 and client is not None and not _sent_to_sign_in(response):
        page = client.get(response["Location"])
        messages = page.context.get("messages", []) if page.context else []
        return any(NOT_ALLOWED in str(m) for m in messages)
    return False


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _call(client, door: Door, url: str, people=None):
    data = door.body(people) if door.body else door.data() if door.data else {}
    method = getattr(client, door.method.lower())
    if url.startswith("/api/"):
        return method(url, data, format=door.format) if door.method != "GET" else method(url, data)
    return method(url, data)


@pytest.mark.parametrize("door", DOORS, ids=str)
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_door(door: Door, role: str, people, client_as, api_as):
    url = door.url(people)
    api = url.startswith("/api/")
    user = people.by_role(role)
    client = api_as(user) if api else client_as(user)
    response = _call(client, door, url, people)
    if role == "anonymous" and not door.public:
        assert (response.status_code == 401) if api else _sent_to_sign_in(response), (
            response.status_code
        )
    elif role == "anonymous" or role in door.allowed:
        assert response.status_code < 400 or response.status_code in (400, 409), (
            f"{role} should get through {door}: {response.status_code}"
        )
        assert not _refused(response, None if api else client), f"{role} refused at {door}"
    else:
        assert _refused(response, None if api else client), (
            f"{role} should be refused at {door}: {response.status_code}"
        )


# --- lifecycle steps of every spec'd model ------------------------------------------


def _page_steps(spec: Spec) -> set[str]:
    """The steps the model's pages offer (its ObjectViews ``transitions``)."""
    try:
        url = reverse(_page_prefix(spec) + "transition", args=[1, "x"])
    except NoReverseMatch:
        return set()
    return set(resolve(url).func.view_initkwargs["transitions"])


def _api_step(spec: Spec, name: str) -> str:
    return f"POST /api/v1/{spec.api}/{{id}}/{name.replace('_', '-')}/"


OPERATIONS = api_operations()
STEPS = [
    (spec, name)
    for spec in SPECS
    if _workflow(spec) is not None
    for name in _workflow(spec).transitions
    if name in _page_steps(spec) or _api_step(spec, name) in OPERATIONS
]


def _in_source_state(spec: Spec, name: str):
    obj = spec.factory()
    workflow = _workflow(spec)
    source = next(iter(workflow[name].source))
    spec.model._default_manager.filter(pk=obj.pk).update(**{workflow.state_field: source})
    obj.refresh_from_db()
    return obj, workflow


def _state(obj, workflow) -> str:
    obj.refresh_from_db()
    return workflow.state_of(obj)


@pytest.mark.parametrize(("spec", "name"), STEPS, ids=lambda v: str(v))
@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_a_lifecycle_step_is_refused_to_whoever_may_not_take_it(
    spec: Spec, name: str, role: str, people, client_as, api_as
):
    user = people.by_role(role)
    obj, workflow = _in_source_state(spec, name)
    before = _state(obj, workflow)
    allowed = user is not None and can(user, workflow[name].action, obj)
    if _api_step(spec, name) in OPERATIONS:
        url = f"/api/v1/{spec.api}/{obj.pk}/{name.replace('_', '-')}/"
        response = api_as(user).post(url, {"reason": "door check"}, format="json")
        if user is None:
            assert response.status_code == 401
        elif allowed:
            assert response.status_code in (200, 400, 409), response.status_code
        else:
            assert response.status_code in (403, 404), response.status_code
            assert _state(obj, workflow) == before
    if name in _page_steps(spec):
        client = client_as(user)
        page = client.post(f"/{spec.page}/{obj.pk}/do/{name}/", {"reason": "door check"})
        if user is None:
            assert _sent_to_sign_in(page)
        elif allowed:
            assert page.status_code == 302 and not _refused(page, client)
        else:
            assert page.status_code in (403, 404), page.status_code
            assert _state(obj, workflow) == before


def test_page_names_look_like_the_convention():
    """Generic page names are ``<app>:<model>_<view>``; a typo would hide a door."""
    generic = re.compile(
        r"^[a-z]+:[a-z]+_(list|detail|add|edit|field|delete|archive|restore|transition)$"
    )
    for spec in SPECS:
        for view in GENERIC_PAGES[:2]:
            assert generic.match(_page_prefix(spec) + view)
