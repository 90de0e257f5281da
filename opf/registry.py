"""Where the lifecycle apps plug into the core, by module name.

Each lifecycle app may have:

- ``<app>.api``   with ``register(router)``: its REST endpoints;
- ``<app>.demo``  with ``STEPS``: functions that add its demo data, in order;
- ``<app>.roles`` with ``GRANTS``: ``{role slug: (Grant, ...)}``, its part of
  the role table (``opf.roles``).

Pages and navigation come from the app's own ``urls.py`` and ``AppConfig.ready``.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

LIFECYCLE_APPS = ("appraisals", "actions", "deployment", "lessons")


def app_modules(submodule: str) -> list[ModuleType]:
    """``<app>.<submodule>`` of every lifecycle app that has one, in lifecycle order."""
    found = []
    for app in LIFECYCLE_APPS:
        name = f"{app}.{submodule}"
        if find_spec(name) is not None:
            found.append(import_module(name))
    return found
