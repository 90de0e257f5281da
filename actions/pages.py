"""What this area shows on the pages of ``appraisals`` (see ``opf.core.registry.page_context``):
the improvements that came from a need or a finding, and whether the user may create
one from them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, prefetch_related_objects

from actions.models import Improvement
from opf.core.permissions import can

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


def need_improvements(user: User | AnonymousUser, context: dict[str, Any]) -> dict[str, Any]:
    """A process need's page: the improvements it led to; may the user create one from it."""
    return {
        "improvements": context["object"].improvements.all(),
        "can_improve": can(user, "add", Improvement),
    }


def finding_improvements(user: User | AnonymousUser, context: dict[str, Any]) -> dict[str, Any]:
    """An appraisal's findings section: each finding's improvements (one query, whatever
    the number of findings); may the user turn the picked weaknesses into improvements."""
    prefetch_related_objects(
        context["findings"],
        Prefetch("improvements", queryset=Improvement.objects.only("pk", "title")),
    )
    return {"can_improve": can(user, "add", Improvement)}


CONTEXT = {
    "appraisals.processneed_detail": need_improvements,
    "appraisals.appraisal_findings": finding_improvements,
}
