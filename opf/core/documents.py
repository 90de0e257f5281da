"""Printable documents (PDF): what kinds exist and what goes in them.

A feature adds kinds in ``<pkg>.documents`` as ``KINDS`` (e.g. a process
action plan, an appraisal findings report) and sections of the organization's
process improvement plan as ``PLAN_SECTIONS``. Rendering happens in a task
(``opf.documents.services``); templates extend ``documents/base.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise

from opf.core.registry import app_modules


@dataclass(frozen=True)
class DocumentKind:
    slug: str
    label: Promise | str
    template: str
    context: Callable[[Any], dict[str, Any]]  # subject (or None) -> template context
    subject_model: type[Model] | None = None  # None: the document is about the whole program

    def title(self, subject: Any) -> str:
        return f"{self.label} – {subject}" if subject is not None else str(self.label)


@dataclass(frozen=True)
class PlanSection:
    """A chapter of the process improvement plan, contributed by a feature."""

    order: int
    title: Promise | str
    template: str
    context: Callable[[], dict[str, Any]]


def plan_sections() -> list[PlanSection]:
    sections = [
        s for module in app_modules("documents") for s in getattr(module, "PLAN_SECTIONS", ())
    ]
    return sorted(sections, key=lambda s: s.order)


@cache
def kinds() -> dict[str, DocumentKind]:
    """Every contributor's ``<pkg>.documents.KINDS``, by slug."""
    found: dict[str, DocumentKind] = {}
    for module in app_modules("documents"):
        for kind in getattr(module, "KINDS", ()):
            found[kind.slug] = kind
    return found
