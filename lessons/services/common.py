"""Helpers shared by this area's services."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import transaction

from lessons.models import ImprovementProposal, Lesson
from opf.core.history import attribute_change
from opf.core.services import check

if TYPE_CHECKING:
    from opf.core.accounts import User

S = TypeVar("S", Lesson, ImprovementProposal)


@transaction.atomic
def submit_object(instance: S, *, actor: User, reason: str = "") -> S:
    """Create a record under a "submit" permission (anyone may submit a lesson or
    a proposal; "add" stays the process group's, for records on others' behalf)."""
    check(actor, "submit", type(instance))
    instance.submitted_by = actor
    instance.full_clean()
    attribute_change(instance, actor, reason or None)
    instance.save()
    return instance
