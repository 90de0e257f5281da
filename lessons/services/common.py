"""Helpers shared by this area's services."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model

from opf.services.objects import check

M = TypeVar("M", bound=Model)


@transaction.atomic
def submit_object(instance: M, *, actor: Any, reason: str = "") -> M:
    """Create a record under a "submit" permission (anyone may submit a lesson or
    a proposal; "add" stays the process group's, for records on others' behalf)."""
    check(actor, "submit", type(instance))
    instance.submitted_by = actor  # type: ignore[attr-defined]
    instance.full_clean()
    instance._history_user = actor  # type: ignore[attr-defined]
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance
