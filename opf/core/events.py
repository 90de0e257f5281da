"""What happens in the program that integrations may hear of (``opf.webhooks``).

Three families of event types, none of them naming a feature here:

- ``<record>.state_changed`` for every model with a ``workflow``
  (``opf.core.workflow``): sent when any of its lifecycle steps moves it;
- ``handoff.<notice kind>`` for every kind a feature tells people of
  (``opf.core.notices``): work or news arrived for someone;
- what a feature declares in ``<pkg>.events`` as ``EVENTS`` (a tuple of
  :class:`EventType`): a named step of one of its models (an asset version
  ``released``), sent with the state change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise

PING = "ping"
HANDOFF_PREFIX = "handoff."
STATE_CHANGED = "state_changed"


@dataclass(frozen=True)
class EventType:
    """One kind of event; ``model`` and ``transition`` name the step that sends it."""

    slug: str
    label: StrOrPromise
    model: str = ""  # "app_label.modelname"
    transition: str = ""


def record_name(model: type[Model] | Model) -> str:
    """``ProcessActionPlan`` → ``process_action_plan``: the records' name in event types."""
    name = model.__name__ if isinstance(model, type) else type(model).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def state_changed(model: type[Model] | Model) -> str:
    return f"{record_name(model)}.{STATE_CHANGED}"


def _workflow_models() -> list[type[Model]]:
    from opf.core.workflow import Workflow

    return [m for m in apps.get_models() if isinstance(getattr(m, "workflow", None), Workflow)]


@cache
def declared() -> tuple[EventType, ...]:
    """The steps the features name (``<pkg>.events.EVENTS``)."""
    from opf.core.registry import app_modules

    return tuple(e for module in app_modules("events") for e in getattr(module, "EVENTS", ()))


@cache
def event_types() -> dict[str, EventType]:
    """Every event type, by slug: the choices of a webhook endpoint."""
    from opf.core.notices import kinds

    found = {PING: EventType(PING, _("Test ping (sent on request only)"))}
    for model in sorted(_workflow_models(), key=record_name):
        slug = state_changed(model)
        found[slug] = EventType(
            slug,
            _("%(model)s: state changed") % {"model": str(model._meta.verbose_name).capitalize()},
            model=model._meta.label_lower,
        )
    for event in declared():
        found[event.slug] = event
    for kind in kinds().values():
        slug = f"{HANDOFF_PREFIX}{kind.slug}"
        found[slug] = EventType(slug, _("Hand-off: %(kind)s") % {"kind": kind.label})
    return found


def for_transition(model: type[Model], transition: str) -> list[str]:
    """The event types a step of ``model`` sends: its state change and what is declared."""
    label = model._meta.label_lower
    named = [e.slug for e in declared() if e.model == label and e.transition == transition]
    return [state_changed(model), *named]
