"""Concurrency on every write (#22): every POST on one versioned record (a lifecycle
step or another action that changes it) honours the version the client read.

The gate enumerates the API router: each viewset of a versioned model with a
factory (``tests/crud.py`` specs), and each of its detail POST actions. A stale
``If-Match`` (or ``version`` in the body) must get 412 and leave the record as it
was, whatever the step; the schema must declare ``If-Match`` and the 412 for each.
Reads answer with an ETag and 304 when it is sent back in ``If-None-Match``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.parsers import MultiPartParser

from appraisals.models import GoalRating, PracticeCharacterization, ProcessNeed, Rating
from opf.core.rest.router import router
from opf.core.versioning import is_versioned
from opf.webhooks.models import WebhookDelivery
from tests.appraisals.factories import (
    GoalRatingFactory,
    PracticeCharacterizationFactory,
    ProcessNeedFactory,
    RatingFactory,
)
from tests.crud import SPECS
from tests.factories import UserFactory
from tests.opf.webhook_factories import WebhookDeliveryFactory

pytestmark = pytest.mark.django_db

# Models with steps but no generic CRUD spec (they have no create page of their own).
FACTORIES: dict[type[Model], Any] = {
    ProcessNeed: ProcessNeedFactory,
    Rating: RatingFactory,
    PracticeCharacterization: PracticeCharacterizationFactory,
    GoalRating: GoalRatingFactory,
    WebhookDelivery: WebhookDeliveryFactory,
    **{spec.model: spec.factory for spec in SPECS},
}


def detail_posts() -> list[tuple[str, str, type[Model]]]:
    """(endpoint prefix, action url path, model) of every detail POST on a versioned model."""
    get_resolver().resolve("/api/v1/")  # the API's modules register their viewsets on import
    found = []
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is None or not is_versioned(queryset.model):
            continue
        for extra in viewset.get_extra_actions():
            if extra.detail and "post" in extra.mapping:
                found.append((prefix, extra.url_path, queryset.model))
    return found


POSTS = detail_posts()


def body_format(prefix: str, path: str) -> str:
    """JSON, or multipart for an action that takes only a file upload (#22)."""
    viewset = next(v for p, v, _b in router.registry if p == prefix)
    extra = next(e for e in viewset.get_extra_actions() if e.url_path == path)
    parsers = extra.kwargs.get("parser_classes") or []
    return "multipart" if any(p is MultiPartParser for p in parsers) else "json"


def test_the_gate_sees_the_steps_of_every_app():
    apps = {model._meta.app_label for _prefix, _path, model in POSTS}
    assert {"appraisals", "actions", "deployment", "lessons", "opf"} <= apps
    assert len(POSTS) >= 60


@pytest.mark.parametrize(("prefix", "path", "model"), POSTS, ids=lambda v: str(v))
def test_a_stale_version_is_refused_on_every_step(prefix: str, path: str, model: Any, api_as):
    factory = FACTORIES.get(model)
    if factory is None:
        pytest.fail(f"{model.__name__} has no crud spec: add one so the gate can build it")
    record = factory()
    version = type(record).objects.get(pk=record.pk).version
    api = api_as(UserFactory(is_superuser=True))
    url = f"/api/v1/{prefix}/{record.pk}/{path}/"
    by_header = api.post(url, {}, format="json", HTTP_IF_MATCH=f'"{record.pk}-{version + 1}"')
    assert by_header.status_code == 412, (url, by_header.status_code, by_header.content[:300])
    assert "current" in by_header.json()
    by_body = api.post(url, {"version": version + 7}, format=body_format(prefix, path))
    assert by_body.status_code == 412, (url, by_body.status_code, by_body.content[:300])
    assert type(record).objects.get(pk=record.pk).version == version


def test_the_schema_declares_if_match_and_412_on_every_step():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for prefix, path, _model in POSTS:
        operation = schema["paths"][f"/api/v1/{prefix}/{{id}}/{path}/"]["post"]
        names = {p["name"] for p in operation.get("parameters", [])}
        if "If-Match" not in names or "412" not in operation["responses"]:
            missing.append(f"{prefix} {path}")
    assert missing == []


def test_a_step_with_the_current_version_goes_through_and_answers_its_etag(people, api_as):
    from tests.actions.factories import ActionItemFactory

    item = ActionItemFactory()
    api = api_as(people.epg)
    url = f"/api/v1/action-items/{item.pk}/"
    etag = api.get(url)["ETag"]
    moved = api.post(f"{url}move/", {"status": "doing"}, format="json", HTTP_IF_MATCH=etag)
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "doing"
    stale = api.post(f"{url}move/", {"status": "done"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    item.refresh_from_db()
    assert item.status == "doing"


def test_reads_answer_304_when_the_etag_sent_back_still_holds(people, api_as):
    from tests.actions.factories import ActionItemFactory

    item = ActionItemFactory(title="First")
    api = api_as(people.epg)
    urls = (f"/api/v1/action-items/{item.pk}/", "/api/v1/action-items/")
    etags = {}
    for url in urls:
        first = api.get(url)
        assert first.status_code == 200 and first.has_header("ETag")
        etags[url] = first["ETag"]
        again = api.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert again.status_code == 304 and again.content == b""
    api.patch(f"/api/v1/action-items/{item.pk}/", {"title": "Second"}, format="json")
    for url in urls:
        changed = api.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert changed.status_code == 200 and b"Second" in changed.content
