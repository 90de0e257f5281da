"""Where the lifecycle apps plug into the core, by module name.

The core (``opf``) imports no lifecycle app, and each app imports only the core and
the apps before it in ``LIFECYCLE_APPS`` (import-linter checks it: ``./dev lint``).
What a later app adds to the core or to an earlier app comes in through these hooks.

Each lifecycle app may have:

- ``<app>.api``   with ``register(router)``: its REST endpoints;
- ``<app>.demo``  with ``STEPS``: functions that add its demo data, in order; and,
  optionally, ``LATE_STEPS``: functions that run after every app's ``STEPS`` (and
  before the core's closing steering step, whose briefing freezes the dashboard), for
  data shaped against what all the apps made (e.g. ``deployment`` dates its releases
  so that the momentum summed over every app's series falls);
- ``<app>.roles`` with ``GRANTS``: ``{role slug: (Grant, ...)}``, its part of
  the role table (``opf.core.roles``);
- ``<app>.dashboard`` with ``PANELS`` and ``MOMENTUM``: its dashboard panels and
  momentum series (``opf.core.dashboard``);
- ``<app>.pages`` with ``CONTEXT``: ``{page: contribution}``, what the app shows on a
  page of an earlier app (or of the core). The page's view asks
  :func:`page_context` ``(page, user, context)``, which calls each app's
  ``contribution(user, context) -> dict`` in lifecycle order and merges the dicts it
  returns: template variables for the page. ``context`` is the page's context so far
  (its ``object``, the rows it lists); a contribution reads it and may prefetch on
  those rows what it shows of them, but changes no key itself. Pages are named
  ``"<app>.<page>"`` by the app that owns them, which lists them in its views.

Pages and navigation come from the app's own ``urls.py`` and ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

    PageContribution = Callable[[User | AnonymousUser, dict[str, Any]], dict[str, Any]]

LIFECYCLE_APPS = ("appraisals", "actions", "deployment", "lessons")


def app_modules(submodule: str) -> list[ModuleType]:
    """``<app>.<submodule>`` of every lifecycle app that has one, in lifecycle order."""
    found = []
    for app in LIFECYCLE_APPS:
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


def page_context(page: str, user: User | AnonymousUser, context: dict[str, Any]) -> dict[str, Any]:
    """What the later apps add to ``page``'s template context (``<app>.pages.CONTEXT``)."""
    extra: dict[str, Any] = {}
    for contribution in _page_contributions().get(page, ()):
        extra.update(contribution(user, context))
    return extra
