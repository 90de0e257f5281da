"""Who made a change and why, for the history rows django-simple-history writes.

simple_history takes the row's user and reason from two attributes of the
instance being saved, ``_history_user`` and ``_change_reason``; no model
declares them, so they are set here, in one typed place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django_stubs_ext import StrPromise


def attribute_change(
    instance: Model,
    actor: AbstractBaseUser | None,  # a User (opf.core.accounts builds on this module)
    reason: str | StrPromise | None = None,
) -> None:
    """The next save of ``instance`` is recorded as made by ``actor`` (None: by
    no one, e.g. a scheduled task), with ``reason`` unless it is None."""
    setattr(instance, "_history_user", actor)  # noqa: B010 - an attribute no model declares
    if reason is not None:
        setattr(instance, "_change_reason", reason)  # noqa: B010


class ChangeHistory(HistoricalRecords):
    """simple_history's records, without a row for a save that writes only fields
    the history leaves out: a sign-in saves ``last_login`` alone, and a row per
    sign-in would tell every reader of a person's history when they sign in."""

    def post_save(
        self, instance: Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        written = kwargs.get("update_fields")
        if not created and written and set(written) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)
