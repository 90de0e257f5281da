"""Generic page and API tests for every model declared with ObjectViews and
ObjectViewSet (see tests/test_crud.py).

Each app lists its models in ``tests/<app>/crud_specs.py`` as ``SPECS``: a
``Spec`` declares the model, a factory and payloads; the tests do the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any


@dataclass
class Spec:
    model: type
    factory: Callable[..., Any]
    page: str  # path prefix of the pages, e.g. "projects"
    api: str  # endpoint under /api/v1/, e.g. "projects"
    valid: Callable[[], dict[str, Any]]  # a create payload (form and API)
    invalid: Callable[[], dict[str, Any]]  # a payload with errors on ``invalid_fields``
    invalid_fields: set[str]
    change: dict[str, Any] = field(default_factory=dict)  # a PATCH that must take
    label: Callable[[Any], str] = lambda obj: obj.name  # text that finds it (search, export)
    # Who reads it; the others are refused (records holding secrets: the process group).
    readers: frozenset[str] = frozenset({"epg", "pm", "executive", "appraiser", "member"})
    # A field the API names otherwise than the form (form name -> API name).
    api_names: dict[str, str] = field(default_factory=dict)

    def in_api(self, data: dict[str, Any]) -> dict[str, Any]:
        return {self.api_names.get(k, k): v for k, v in data.items()}

    def api_valid(self) -> dict[str, Any]:
        return self.in_api(self.valid())

    def api_invalid(self) -> dict[str, Any]:
        return self.in_api(self.invalid())

    @property
    def api_invalid_fields(self) -> set[str]:
        return {self.api_names.get(k, k) for k in self.invalid_fields}

    def __str__(self) -> str:
        return self.api


def _collect() -> list[Spec]:
    specs: list[Spec] = []
    for app in ("opf", "appraisals", "actions", "deployment", "lessons"):
        name = f"tests.{app}.crud_specs"
        if find_spec(f"tests.{app}") is not None and find_spec(name) is not None:
            specs.extend(import_module(name).SPECS)
    return specs


SPECS = _collect()
