"""No lost update (#9, point 3): every record a user can edit carries a version.

The gate enumerates the URL patterns (every class-based page that writes a
model) and the API router (every viewset with update or a POST action) and
fails if one writes a model that is not versioned; then two real concurrent
writers (two threads, two connections) show that the second of them is refused.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver

from opf.core.rest.router import router
from opf.core.services import save_object
from opf.core.versioning import StaleVersion, is_versioned
from opf.organization.models import Project
from tests.actions.factories import ImprovementFactory
from tests.appraisals.factories import FindingFactory
from tests.factories import ProjectFactory

# Models with an edit door that are not versioned, and why.
NOT_VERSIONED = {
    "opf.ReferenceModel": "its 'version' field is the model's edition (e.g. CMMI-DEV '1.2'); "
    "a record version needs that field renamed first (an API and import format change)",
    "opf.Notification": "only its reader marks it read, and marking read twice is the same; "
    "no two people edit one notification",
}
WRITE_METHODS = ("post", "put", "patch", "delete")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def page_writers() -> dict[str, type[Model]]:
    """URL → model of every class-based page that writes a model (a POST handler)."""
    found: dict[str, type[Model]] = {}
    for route, pattern in _patterns(get_resolver()):
        if route.startswith(("admin/", "api/")):
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not any(hasattr(view_class, m) for m in WRITE_METHODS):
            continue
        initkwargs = getattr(pattern.callback, "view_initkwargs", {})
        model = initkwargs.get("model") or getattr(view_class, "model", None)
        if model is None and initkwargs.get("queryset") is not None:
            model = initkwargs["queryset"].model
        if isinstance(model, type) and issubclass(model, Model):
            found[route] = model
    return found


def api_writers() -> dict[str, type[Model]]:
    """Endpoint → model of every viewset with update, partial update or a POST action."""
    found: dict[str, type[Model]] = {}
    for prefix, viewset, _basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is None:
            continue
        writes = [name for name in ("update", "partial_update") if hasattr(viewset, name)]
        writes += [
            extra.url_path
            for extra in viewset.get_extra_actions()
            if extra.detail and "post" in extra.mapping
        ]
        for name in writes:
            found[f"{prefix} {name}"] = queryset.model
    return found


def test_the_gate_finds_the_doors_it_checks():
    pages, api = page_writers(), api_writers()
    assert any(route.endswith("findings/<int:pk>/edit/") for route in pages), sorted(pages)
    assert any(model is Project for model in api.values()), sorted(api)
    assert len(pages) > 40 and len(api) > 40


def test_every_model_behind_an_edit_page_or_a_writable_api_operation_is_versioned():
    doors = {**page_writers(), **{f"API {k}": v for k, v in api_writers().items()}}
    unversioned = sorted(
        f"{door}: {model._meta.label}"
        for door, model in doors.items()
        if not is_versioned(model) and model._meta.label not in NOT_VERSIONED
    )
    assert not unversioned, "Writable but not versioned (derive from DomainModel):\n" + "\n".join(
        unversioned
    )


def test_every_domain_record_starts_at_version_one_and_each_save_bumps_it(people):
    finding = FindingFactory()
    assert finding.version == 1
    finding.statement = "Edited"
    save_object(finding, actor=people.epg, expected_version=1)
    finding.refresh_from_db()
    assert finding.version == 2
    finding.statement = "Edited from a stale form"
    with pytest.raises(StaleVersion):
        save_object(finding, actor=people.epg, expected_version=1)
    finding.refresh_from_db()
    assert (finding.statement, finding.version) == ("Edited", 2)


# --- two real concurrent writers -------------------------------------------------------------


def _on_postgres_in_ci() -> bool:
    return os.environ.get("CI") == "true" and os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    )


def test_ci_runs_the_concurrent_writers_on_postgresql():
    """In CI (DATABASE_URL postgres) the race below must really run on PostgreSQL,
    where ``select_for_update`` takes a row lock."""
    if _on_postgres_in_ci():
        assert connection.vendor == "postgresql"


def _race(model: type[Model], pk: int, field: str, actor: Any) -> dict[str, str]:
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def write(name: str) -> None:
        try:
            target = model._default_manager.get(pk=pk)
            barrier.wait(timeout=10)
            setattr(target, field, f"by {name}")
            save_object(target, actor=actor, expected_version=1)
            results[name] = "saved"
        except StaleVersion:
            results[name] = "stale"
        except Exception as error:  # the assertion below shows it
            results[name] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


RACES: list[tuple[str, Callable[[], Model], str]] = [
    ("finding", lambda: FindingFactory(), "statement"),
    ("improvement", lambda: ImprovementFactory(), "description"),
    ("project", lambda: ProjectFactory(), "name"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("label", "make", "field"), RACES, ids=[r[0] for r in RACES])
def test_two_concurrent_writers_of_one_version_one_wins_the_other_is_stale(
    people, label, make, field
):
    record = make()
    assert record.version == 1
    model = type(record)
    results = _race(model, record.pk, field, people.epg)
    assert sorted(results.values()) == ["saved", "stale"], results
    winner = next(name for name, result in results.items() if result == "saved")
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == (f"by {winner}", 2)
    assert record.history.count() == 2  # created, one change: the loser left no trace
