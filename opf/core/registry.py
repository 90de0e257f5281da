"""Where the features plug into the core and into each other, by module name.

The core (``opf.core``) knows no feature. The features are the program-wide packages
(``PROGRAM_FEATURES``: organization, reference models, steering, notifications,
documents) and the lifecycle apps (``LIFECYCLE_APPS``, in the loop's order). What a
feature adds to a page, a list or a job it does not own comes in through these hooks,
looked up in ``CONTRIBUTORS`` order (the program features first, then the lifecycle
apps); import-linter checks that nothing reaches around them (``./dev lint``).

A contributor ``<pkg>`` may have:

- ``<pkg>.api``       ``register(router)``: its REST endpoints;
- ``<pkg>.demo``      ``STEPS``: functions that add its demo data, in order;
  ``LATE_STEPS``: run after every contributor's ``STEPS``, for data shaped against what
  all made (``deployment`` dates its releases so that the momentum summed over every
  series falls); ``CLOSING_STEPS``: run last (steering's briefing freezes the dashboard);
- ``<pkg>.dataset``   ``STEPS``: the benchmark dataset's builders (``opf.core.demo``);
- ``<pkg>.roles``     ``GRANTS``: ``{role slug: (Grant, ...)}``, its part of the role
  table (``opf.core.roles``); ``RESERVED``: permission patterns kept out of the roles'
  broad grants (given only by ``GRANTS``); ``FIELD_RIGHTS``: which fields a role may write on its
  models, in which states (``opf.core.field_rights``);
- ``<pkg>.dashboard`` ``PANELS`` and ``MOMENTUM``: its dashboard panels and momentum
  series (``opf.core.dashboard``);
- ``<pkg>.steering``  what it shows in steering's dashboard panels, with the types of
  ``opf.core.evidence``: ``EVIDENCE``: ``{GP code: rule(f, areas) -> Evidence}``, its
  evidence of a generic practice per process area (institutionalization panel);
  ``PROGRAM_EVIDENCE``: ``{GP code: rule(f) -> (text, link) | None}``, the evidence for
  the program's own process areas (OPF, OPD); ``INITIATIVES``: ``(Initiative, ...)``,
  the kinds of initiative the scope panel counts by reach; ``PROCESS_COVERAGE``:
  ``rule(f) -> {defined, processes, share, href}``, the process architecture's
  enterprise-wide coverage the scope panel shows (the first found); ``DECISIONS``:
  ``((model, state field, waiting value), ...)``, records an executive decides on
  besides the approval models, read for the time to decide (``opf.steering.engagement``).
  Steering merges them in ``CONTRIBUTORS`` order
  (``opf.steering.dashboard.institutionalization``);
- ``<pkg>.initiative_work`` what an app knows of the initiatives (``opf.initiatives``),
  read by steering's churn and departed-advocate figures (``opf.steering.initiatives``):
  ``DEPLOYED(initiative ids) -> ids``, those that deployed something;
  ``OPEN_WORK(user, people ids, initiative ids) -> [{kind, title, href, people,
  initiative}]``, the open records of those people or initiatives the user may see;
- ``<pkg>.reminders`` ``KINDS``: its reminder kinds (``opf.core.reminders``);
- ``<pkg>.notices``   ``KINDS``: what it tells people when work arrives for them, each
  a choice on the preferences page; ``ON_SAVE``: ``{"app.model": hook(instance, actor)}``,
  who hears of a plain create or edit of its records (``opf.core.notices``);
- ``<pkg>.events``    ``EVENTS``: ``(EventType, ...)``, named steps of its models that
  integrations may subscribe to besides every state change (``opf.core.events``);
- ``<pkg>.worklist``  ``KINDS``: ``(WorkKind, ...)``, what waits for a person in its
  records: the home page's blocks and ``/api/v1/my-work/`` (``opf.core.worklist``);
- ``<pkg>.calendar``  ``events_for(user)``: its dates in a person's calendar feed;
  ``PROGRAM_KINDS`` and ``program_events(window)``: its events in the program calendar
  (``opf.core.calendar``);
- ``<pkg>.documents`` ``KINDS`` and ``PLAN_SECTIONS``: the PDFs it renders and its
  chapters of the improvement plan (``opf.core.documents``);
- ``<pkg>.pages``     ``CONTEXT``: ``{page: contribution}``, what it shows on a page of
  another feature. The page's view asks :func:`page_context` ``(page, user, context)``,
  which calls each ``contribution(user, context) -> dict`` in order and merges the
  dicts: template variables for the page. ``context`` is the page's context so far
  (its ``object``, the rows it lists); a contribution reads it and may prefetch on
  those rows what it shows of them, but changes no key itself. Pages are named
  ``"<feature>.<page>"`` by the feature that owns them.

Pages and navigation come from the feature's own ``urls.py`` and ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    PageContribution = Callable[[AbstractBaseUser | AnonymousUser, dict[str, Any]], dict[str, Any]]

PROGRAM_FEATURES = (
    "opf.organization",
    "opf.reference",
    "opf.initiatives",
    "opf.documents",
    "opf.steering",
    "opf.notifications",
    "opf.webhooks",
)
LIFECYCLE_APPS = ("appraisals", "actions", "deployment", "lessons")
CONTRIBUTORS = PROGRAM_FEATURES + LIFECYCLE_APPS


def app_modules(submodule: str) -> list[ModuleType]:
    """``<pkg>.<submodule>`` of every contributor that has one, in ``CONTRIBUTORS`` order."""
    found = []
    for app in CONTRIBUTORS:
        name = f"{app}.{submodule}"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found


@cache
def _page_contributions() -> dict[str, list[PageContribution]]:
    found: dict[str, list[PageContribution]] = {}
    for module in app_modules("pages"):
        for page, contribution in getattr(module, "CONTEXT", {}).items():
            found.setdefault(page, []).append(contribution)
    return found


def page_context(
    page: str, user: AbstractBaseUser | AnonymousUser, context: dict[str, Any]
) -> dict[str, Any]:
    """What the later apps add to ``page``'s template context (``<app>.pages.CONTEXT``)."""
    extra: dict[str, Any] = {}
    for contribution in _page_contributions().get(page, ()):
        extra.update(contribution(user, context))
    return extra
