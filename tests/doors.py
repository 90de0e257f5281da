"""Every door checked (#9): the permission table of the pages and endpoints that
the generic CRUD specs (tests/crud.py) and workflow checks do not cover.

Each app lists its doors in ``tests/<app>/doors.py`` as ``DOORS``. A ``Door``
names the URL pattern (or API operation) it covers, builds a URL with fresh
records for each caller, and says which roles get through; everyone else must
be refused (403, or 404 where the record is hidden from them), and an
anonymous caller is sent to sign in (pages) or gets 401 (API).
``tests/gates/test_every_door.py`` runs the table for every role and fails
when a URL pattern or API operation has no door.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("epg", "pm", "other_pm", "executive", "appraiser", "member")
EVERYONE = frozenset(ROLES)
STAFF = frozenset({"epg"})


@dataclass(frozen=True)
class Door:
    covers: str  # URL name ("app:name") or API operation ("POST /api/v1/x/{id}/y/")
    url: Callable[[Any], str]  # people -> URL, creating the records it needs
    allowed: frozenset[str]  # roles that get through
    method: str = "GET"
    data: Callable[[], dict[str, Any]] | None = None
    public: bool = False  # no sign-in needed (login page, health, token feeds)
    format: str = "json"  # an API body: JSON, or multipart where a file is uploaded
    body: Callable[[Any], Any] | None = None  # people -> a JSON body (a bulk write's list)

    def __str__(self) -> str:
        return f"{self.method} {self.covers}"


def collect() -> list[Door]:
    doors: list[Door] = []
    for app in ("opf", "appraisals", "actions", "deployment", "lessons"):
        name = f"tests.{app}.doors"
        if find_spec(f"tests.{app}") is not None and find_spec(name) is not None:
            doors.extend(import_module(name).DOORS)
    return doors


DOORS = collect()


@dataclass
class Exempt:
    """URL names or operations with no door, each with the reason."""

    reasons: dict[str, str] = field(default_factory=dict)


def url_patterns() -> dict[str, URLPattern]:
    """Every URL pattern by its namespaced name (the lookup string when unnamed)."""
    found: dict[str, URLPattern] = {}

    def walk(resolver: URLResolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                walk(pattern, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or pattern.lookup_str
                found[f"{namespace}:{name}" if namespace else name] = pattern

    walk(get_resolver(), None)
    return found
