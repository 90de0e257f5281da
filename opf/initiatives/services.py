"""Lifecycle of an initiative: start it, end it with its outcome, reopen it. Pages and
the API call these (plain creates and edits go through ``opf.core.services``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from opf.initiatives.models import Initiative

if TYPE_CHECKING:
    from opf.core.accounts import User


@transaction.atomic
def initiative_activate(initiative: Initiative, *, actor: User, reason: str = "") -> Initiative:
    return Initiative.workflow.run(initiative, "activate", actor=actor, reason=reason)


@transaction.atomic
def initiative_end(initiative: Initiative, *, actor: User, reason: str = "") -> Initiative:
    """End the initiative; the reason is its outcome. The end date is today unless one
    was planned and has passed."""
    today = timezone.localdate()
    end = initiative.end if initiative.end and initiative.end <= today else today
    end = max(end, initiative.start) if initiative.start else end
    return Initiative.workflow.run(
        initiative, "end", actor=actor, reason=reason, extra={"outcome": reason, "end": end}
    )


@transaction.atomic
def initiative_reopen(initiative: Initiative, *, actor: User, reason: str = "") -> Initiative:
    return Initiative.workflow.run(
        initiative, "reopen", actor=actor, reason=reason, extra={"end": None, "outcome": ""}
    )
