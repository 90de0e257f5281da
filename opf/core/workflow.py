"""State machines for records that move through a lifecycle.

A model declares its transitions once::

    class Appraisal(DomainModel):
        state = models.CharField(choices=State.choices, default=State.PLANNED, editable=False)
        workflow = Workflow(
            Transition("schedule", _("Schedule"), source=["planned"], target="scheduled"),
            Transition("cancel", _("Cancel"), source=["planned", "scheduled"], target="cancelled",
                       reason_required=True),
        )

and a service runs one, adding its own guards and side effects::

    @transaction.atomic
    def appraisal_start(appraisal, *, actor, reason=""):
        if not appraisal.team.exists():
            raise TransitionRefused(_("An appraisal needs a team before it starts."))
        return Appraisal.workflow.run(appraisal, "start", actor=actor, reason=reason)

``run`` checks the permission, the source state and the reason, then moves
the state with a compare-and-set update, so two concurrent requests cannot
both make the same move. Pages (``TransitionView``) and the API
(``opf.core.rest.viewsets.step``) call the same service; a refusal is a 409 with the
message in the API and the message on the page, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import F, Model
from django.dispatch import Signal
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from opf.core.display import in_sentence
from opf.core.errors import TransitionRefused
from opf.core.history import attribute_change, record_members
from opf.core.permissions import can

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User
    from opf.core.models import DomainModel

D = TypeVar("D", bound="DomainModel")

# Sent after a record moved (inside the step's transaction), with: instance, transition
# (its name), source and target (states), actor. Integrations listen (``opf.webhooks``).
transitioned = Signal()


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise | str
    source: Iterable[str]
    target: str
    action: str = "change"  # the permission needed: opf.core.permissions.can(user, action, obj)
    reason_required: bool = False
    style: str = ""  # "primary" or "danger": how the page shows the button
    inputs: tuple[str, ...] = ()  # further fields the step's form sends (e.g. "approver")


@dataclass
class Workflow:
    transitions: dict[str, Transition] = field(default_factory=dict)
    state_field: str = "state"

    def __init__(self, *transitions: Transition, state_field: str = "state") -> None:
        self.transitions = {t.name: t for t in transitions}
        self.state_field = state_field

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def state_of(self, obj: Model) -> str:
        return getattr(obj, self.state_field)

    def available(self, obj: Model, user: User | AnonymousUser) -> list[Transition]:
        """The moves ``user`` may make from the object's current state."""
        state = self.state_of(obj)
        return [
            t for t in self.transitions.values() if state in t.source and can(user, t.action, obj)
        ]

    def run(
        self,
        obj: D,
        name: str,
        *,
        actor: User,
        reason: str = "",
        extra: dict[str, Any] | None = None,
    ) -> D:
        """Move ``obj`` along transition ``name``; call inside the service's transaction.

        ``extra`` are further fields to write with the state (e.g. a date).
        """
        transition = self.transitions[name]
        if not can(actor, transition.action, obj):
            raise TransitionRefused(_("You are not allowed to do this."))
        if getattr(obj, "archived_at", None) is not None:  # opf.core.archive
            raise TransitionRefused(
                _("%(object)s is archived: restore it before changing it.") % {"object": obj}
            )
        current = self.state_of(obj)
        if current not in transition.source:
            raise TransitionRefused(
                _("This cannot be done now: the record is %(state)s.")
                % {"state": _state_label(obj, self.state_field)}
            )
        if transition.reason_required and not reason.strip():
            raise TransitionRefused(_("Give a reason for this step."))
        if "\x00" in reason:  # PostgreSQL text cannot hold it
            raise TransitionRefused(_("The reason may not contain NUL characters."))
        values = {self.state_field: transition.target, **(extra or {})}
        manager = type(obj)._default_manager
        versioned = any(f.name == "version" for f in obj._meta.concrete_fields)
        bump = {"version": F("version") + 1} if versioned and "version" not in values else {}
        moved = manager.filter(pk=obj.pk, **{self.state_field: current}).update(**values, **bump)
        if moved != 1:
            raise TransitionRefused(
                _("Someone else changed this record meanwhile; reload and retry.")
            )
        for key, value in values.items():
            setattr(obj, key, value)
        if versioned:  # a form opened before this step is now stale
            obj.version = manager.values_list("version", flat=True).get(pk=obj.pk)
        _record_history(obj, actor, reason or str(transition.label))
        transitioned.send(
            sender=type(obj),
            instance=obj,
            transition=name,
            source=current,
            target=transition.target,
            actor=actor,
        )
        return obj


def _state_label(obj: Model, state_field: str) -> str:
    """The state as it reads inside a sentence."""
    display = getattr(obj, f"get_{state_field}_display", None)
    return in_sentence(display() if display else getattr(obj, state_field))


def _record_history(obj: Model, actor: User, reason: str) -> None:
    """``update()`` bypasses save(); write the history row explicitly."""
    manager = getattr(type(obj), "history", None)  # the model's HistoryManager, if it keeps one
    if manager is None:
        return
    attribute_change(obj, actor, reason)
    row = manager.model.objects.create(
        history_date=_now(),
        history_type="~",
        history_user=actor if actor.pk else None,
        history_change_reason=reason[:100],
        **{f.attname: getattr(obj, f.attname) for f in manager.model.tracked_fields},
    )
    record_members(row, obj)


def _now() -> datetime:
    from django.utils import timezone

    return timezone.now()


TransitionService = Callable[..., Model]
