"""Submitting a draft for an executive's approval, whatever the record.

A model that needs an executive's approval has a ``submitted`` state ("Waiting for
approval"), the fields ``submitted_by`` and ``approver`` (:func:`submitter_field`,
:func:`approver_field`) and the steps :func:`approval_transitions` declares:
submit (draft → submitted, naming an executive or leaving it to any), approve
(submitted → the model's approved state) and send back (submitted → draft, with a
comment). The feature's services call :func:`submit`, :func:`check_decider` and
:func:`send_back` and tell people through their own ``notices``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core.errors import TransitionRefused
from opf.core.permissions import can
from opf.core.roles import EXECUTIVE
from opf.core.workflow import Transition

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from opf.core.accounts import User

SUBMITTED = "submitted"
SUBMITTED_LABEL = _lazy("Waiting for approval")
LOCKED_HINT = _lazy("A record waiting for approval is sent back to draft to change it.")


def submitter_field() -> models.ForeignKey:
    return models.ForeignKey(
        "opf.User",
        verbose_name=_lazy("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


def approver_field() -> models.ForeignKey:
    return models.ForeignKey(
        "opf.User",
        verbose_name=_lazy("approver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text=_lazy("The executive who decides; empty: any executive."),
    )


def approval_transitions(draft: str, approved: str) -> tuple[Transition, ...]:
    """The submit, approve and send back steps between ``draft`` and ``approved``."""
    return (
        Transition(
            "submit",
            _lazy("Submit for approval"),
            source=[draft],
            target=SUBMITTED,
            action="change",
            style="primary",
            inputs=("approver",),
        ),
        Transition(
            "approve",
            _lazy("Approve"),
            source=[SUBMITTED],
            target=approved,
            action="approve",
            style="primary",
        ),
        Transition(
            "send_back",
            _lazy("Send back"),
            source=[SUBMITTED],
            target=draft,
            action="approve",
            reason_required=True,
        ),
    )


def executives() -> QuerySet[User]:
    """The active executives, who may be named approver."""
    from opf.core.accounts import User

    return User.objects.filter(groups__name=EXECUTIVE.group, is_active=True).distinct()


def resolve_approver(value: Any) -> User | None:
    """The executive named by ``value`` (a user, a primary key or empty)."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        return executives().get(pk=int(pk))
    except (ValueError, TypeError, models.ObjectDoesNotExist):
        raise TransitionRefused(_("Choose an active executive as approver.")) from None


def awaited(record: Any) -> str:
    """Who the record waits for, as a sentence naming them (never the viewer)."""
    approver = getattr(record, "approver", None)
    if approver is not None:
        return _("Waiting for approval by %(name)s.") % {"name": approver}
    return _("Waiting for approval by an executive.")


def check_decider(record: Any, actor: User) -> None:
    """Only an executive, or the named approver if one was named, approves or
    sends back; the refusal names who is awaited."""
    if record.state != SUBMITTED:
        return  # the workflow refuses it, naming the state
    named = record.approver_id
    if not can(actor, "approve", record) or (named is not None and named != actor.pk):
        raise TransitionRefused(awaited(record))


def submit(record: Any, *, actor: User, approver: Any = None, reason: str = "") -> Any:
    """Move a draft to "waiting for approval" (call inside the service's transaction)."""
    chosen = resolve_approver(approver)
    extra = {"submitted_by": actor, "approver": chosen}
    return type(record).workflow.run(record, "submit", actor=actor, reason=reason, extra=extra)


def send_back(record: Any, *, actor: User, reason: str = "") -> Any:
    """Return a submitted record to draft with the decider's comment."""
    check_decider(record, actor)
    if not reason.strip():
        raise TransitionRefused(_("Say what should change: a comment is required."))
    return type(record).workflow.run(record, "send_back", actor=actor, reason=reason)


def submitter_of(record: Any) -> User | None:
    """Who submitted the record for approval (else who created it), to hear the decision."""
    from opf.core.notices import author_of

    submitter: User | None = getattr(record, "submitted_by", None)
    return submitter or author_of(record)


def approvers_to_tell(record: Any) -> list[User]:
    """The named approver, else every active executive."""
    approver = getattr(record, "approver", None)
    return [approver] if approver is not None else list(executives())
