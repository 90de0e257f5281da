"""Who made a change and why, for the history rows django-simple-history writes.

simple_history takes the row's user and reason from two attributes of the
instance being saved, ``_history_user`` and ``_change_reason``; no model
declares them, so they are set here, in one typed place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from opf.core.accounts import User


def attribute_change(
    instance: Model, actor: User | None, reason: str | StrPromise | None = None
) -> None:
    """The next save of ``instance`` is recorded as made by ``actor`` (None: by
    no one, e.g. a scheduled task), with ``reason`` unless it is None."""
    setattr(instance, "_history_user", actor)  # noqa: B010 - an attribute no model declares
    if reason is not None:
        setattr(instance, "_change_reason", reason)  # noqa: B010
