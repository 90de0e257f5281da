"""Decided is locked (#21): no locked record changes through any write door.

The gate enumerates every model with a lock (``opf.core.versioning.lockable_models``:
its own ``LOCKED_STATES`` or a ``LOCK_PARENT``), builds a locked record of each
(one per locked state; a child under a locked parent) with the model's factory,
and tries every door that writes it as the process group, who may write
everything: the edit page, the inline field edit and the delete or archive
page (found by the model's URL names), the API PUT, PATCH and DELETE and every
POST step of its viewset (found in the router). Each must be refused (a message
on the page; 409, 403 or 405 in the API) and leave the stored row, its
many-to-many fields and the records locked with it as they were. Only the
steps that lead out of the lock (reopen, close, supersede…) move it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import factory.django
import pytest
from django.db.models import Model
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.html import escape

import opf.urls  # noqa: F401  (the apps register their viewsets in the router)
from opf.core.rest.router import router
from opf.core.versioning import LockableMixin, lockable_models
from tests.crud import SPECS

pytestmark = pytest.mark.django_db

# POST steps that write nothing of the record they are called on.
NOT_A_WRITE = {
    "appraisals.Appraisal copy": "makes a new planned appraisal from this one",
    "lessons.ProcessPerformanceBaseline revise": "makes a new draft revision from this one",
}
STEP_BODY = {"reason": "Gate", "result": "compliant", "evidence": "Changed", "value": "satisfied"}


# --- what the gate enumerates ------------------------------------------------------------


def _factories() -> Iterator[type[factory.django.DjangoModelFactory]]:
    """Every factory in tests/ (``factories.py`` modules, ``*_factories.py`` too)."""
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*factories.py")):
        name = ".".join(("tests", *path.relative_to(root).with_suffix("").parts))
        for _name, value in inspect.getmembers(import_module(name), inspect.isclass):
            if issubclass(value, factory.django.DjangoModelFactory) and value._meta.model:
                yield value


def factory_for(model: type[Model]) -> Callable[..., Any]:
    named = f"{model.__name__}Factory"
    found = [f for f in _factories() if f._meta.model is model]
    found.sort(key=lambda f: f.__name__ != named)
    assert found, f"No factory for {model._meta.label}: add one under tests/"
    return found[0]


def locked_instances(model: type[Model]) -> list[Model]:
    """One record per locked state; a child under a locked parent."""
    assert issubclass(model, LockableMixin)
    make = factory_for(model)
    if model.LOCK_PARENT:
        parent_model = model._meta.get_field(model.LOCK_PARENT).related_model
        assert isinstance(parent_model, type)
        return [make(**{model.LOCK_PARENT: parent}) for parent in locked_instances(parent_model)]
    return [make(**{model.LOCK_FIELD: state}) for state in model.LOCKED_STATES]


def cases() -> list[Any]:
    found = []
    for model in lockable_models():
        assert issubclass(model, LockableMixin)
        states = ["under-locked-parent"] if model.LOCK_PARENT else list(model.LOCKED_STATES)
        found += [
            pytest.param(model, i, id=f"{model._meta.label}-{s}") for i, s in enumerate(states)
        ]
    return found


def api_prefix(model: type[Model]) -> str | None:
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None and queryset.model is model:
            return prefix
    return None


def viewset_steps(model: type[Model]) -> list[str]:
    for _prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None and queryset.model is model:
            return [
                extra.url_path
                for extra in viewset.get_extra_actions()
                if extra.detail and "post" in extra.mapping
            ]
    return []


def page_url(obj: Model, view: str, *args: Any) -> str | None:
    try:
        return reverse(type(obj).url_name(view), args=[obj.pk, *args])  # type: ignore[attr-defined]
    except NoReverseMatch:
        return None


def snapshot(obj: Model) -> dict[str, Any]:
    """The stored row, its many-to-many fields and the rows locked with it."""
    model = type(obj)
    stored = model._default_manager.get(pk=obj.pk)
    state: dict[str, Any] = {"row": model._default_manager.filter(pk=obj.pk).values().get()}
    for field in model._meta.many_to_many:
        state[field.name] = sorted(getattr(stored, field.name).values_list("pk", flat=True))
    for child in lockable_models():
        if child.LOCK_PARENT and child._meta.get_field(child.LOCK_PARENT).related_model is model:
            rows = child._default_manager.filter(**{child.LOCK_PARENT: obj.pk}).order_by("pk")
            state[child._meta.label] = list(rows.values())
    return state


def payload(obj: Model, *, change: bool) -> dict[str, Any]:
    """The model's CRUD payload (tests/crud.py) on this record's relations, or a guess."""
    spec = next((s for s in SPECS if s.model is type(obj)), None)
    if spec is None:
        return {"statement": "Changed", "title": "Changed"}
    if change and spec.change:
        return dict(spec.change)
    data = {**spec.valid(), **spec.change}
    for key in list(data):
        value = getattr(obj, f"{key}_id", None)
        if value is not None:
            data[key] = value
    return {k: v for k, v in data.items() if v is not None and v is not False}


def leaves_the_lock(obj: Model, step: str) -> bool:
    """A workflow step from the record's locked state (reopen, close, supersede…)."""
    workflow = getattr(type(obj), "workflow", None)
    transition = workflow.transitions.get(step.replace("-", "_")) if workflow else None
    return transition is not None and workflow.state_of(obj) in transition.source


def test_the_gate_finds_the_locked_models_and_their_doors():
    labels = {m._meta.label for m in lockable_models()}
    expected = {
        "lessons.ComplianceAudit",
        "lessons.AuditItem",
        "lessons.NonCompliance",
        "lessons.ProcessPerformanceBaseline",
        "lessons.BaselineExclusion",
        "appraisals.Appraisal",
        "appraisals.Rating",
        "appraisals.Characterization",
        "appraisals.Evidence",
        "appraisals.Finding",
        "appraisals.Recommendation",
        "actions.ProcessActionPlan",
        "actions.PlanReview",
        "opf.ProgramDocument",
        "deployment.AssetVersion",
        "deployment.DeploymentPlan",
        "deployment.TailoringRecord",
    }
    assert expected <= labels, sorted(expected - labels)
    assert all(api_prefix(model) for model in lockable_models())


# --- the doors ---------------------------------------------------------------------------


def _assert_page_refused(response: Any, obj: Model, door: str, *, why: bool) -> None:
    assert response.status_code in (200, 403, 409), f"{door}: {response.status_code}"
    if why and response.status_code == 200:  # redirected to the record, with the reason
        text = response.content.decode()
        reason = obj.locked_reason()  # type: ignore[attr-defined]
        assert escape(reason) in text or reason in text, f"{door}: no reason shown"


@pytest.mark.parametrize(("model", "which"), cases())
def test_no_page_changes_a_locked_record(model, which, people, client_as):
    obj = locked_instances(model)[which]
    client = client_as(people.epg)
    before = snapshot(obj)
    doors = []  # (url, data, whether the lock's reason must be shown)
    if url := page_url(obj, "edit"):
        doors.append((url, payload(obj, change=False), True))
    field_url = page_url(obj, "field", "x")
    if field_url:
        inline = resolve(field_url).func.view_initkwargs.get("fields", ())  # type: ignore[attr-defined]
        doors += [(page_url(obj, "field", name), {name: ""}, True) for name in inline]
    for view in ("delete", "archive"):  # may give another reason first (never deleted)
        if url := page_url(obj, view):
            doors.append((url, {"reason": "Gate"}, False))
    for url, data, why in doors:
        response = client.post(url, data, follow=True)
        _assert_page_refused(response, obj, f"POST {url}", why=why)
        assert snapshot(obj) == before, f"POST {url} changed a locked {model._meta.label}"
    if page_url(obj, "detail") is None:  # no pages of its own (a characterization: the grid)
        return
    detail = client.get(obj.get_absolute_url()).content.decode()
    assert 'id="locked"' in detail
    if url := page_url(obj, "edit"):
        assert f'href="{url}"' not in detail, "a locked record offers its edit page"


@pytest.mark.parametrize(("model", "which"), cases())
def test_no_api_write_changes_a_locked_record(model, which, people, api_as):
    obj = locked_instances(model)[which]
    api = api_as(people.epg)
    url = f"/api/v1/{api_prefix(model)}/{obj.pk}/"
    before = snapshot(obj)
    answers = {
        "PUT": api.put(url, payload(obj, change=False), format="json"),
        "PATCH": api.patch(url, payload(obj, change=True), format="json"),
        "DELETE": api.delete(url),
    }
    for method, response in answers.items():
        # 405: the API offers no such write (archived, not deleted; ratings are confirmed)
        assert response.status_code in (409, 403, 405), f"{method} {url}: {response.status_code}"
        assert snapshot(obj) == before, f"{method} {url} changed a locked {model._meta.label}"
    refused = [r for r in answers.values() if r.status_code == 409]
    assert all(r.json()["detail"] for r in refused), "a 409 without its reason"


@pytest.mark.parametrize(("model", "which"), cases())
def test_no_api_step_changes_a_locked_record_except_those_that_leave_the_lock(
    model, which, people, api_as
):
    obj = locked_instances(model)[which]
    api = api_as(people.epg)
    before = snapshot(obj)
    for step in viewset_steps(model):
        if leaves_the_lock(obj, step) or f"{model._meta.label} {step}" in NOT_A_WRITE:
            continue
        url = f"/api/v1/{api_prefix(model)}/{obj.pk}/{step}/"
        response = api.post(url, STEP_BODY, format="json")
        assert response.status_code in (400, 403, 409), f"POST {url}: {response.status_code}"
        assert snapshot(obj) == before, f"POST {url} changed a locked {model._meta.label}"
