"""Generic writes used by every edit page, inline edit and API endpoint.

Feature services build on these for their own transitions; plain edits of a
record go through ``save_object`` so that validation, the permission check and
the history entry happen the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from opf.core.errors import TransitionRefused
from opf.core.field_rights import check_field_rights
from opf.core.history import attribute_change
from opf.core.notices import saved
from opf.core.permissions import can
from opf.core.versioning import ensure_parent_mutable, guard_write

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

M = TypeVar("M", bound=Model)


def check(actor: User | AnonymousUser, action: str, target: Model | type[Model]) -> None:
    if not can(actor, action, target):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def save_object(
    instance: M,
    *,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
    then: Callable[[], None] | None = None,
) -> M:
    """Validate and save ``instance`` as ``actor``; creates or updates.

    ``then`` writes what needs the saved row (a form's or a client's many-to-many
    values, such as an appraisal's team); it runs in the same transaction, before
    the features are told (``opf.core.notices.saved``), so a person added to a
    team hears about it whichever door they were added through.

    A locked record is refused; a versioned one is checked against
    ``expected_version`` (the version the writer read; ``None``: not checked)
    under a row lock, and its version is bumped (``opf.core.versioning``).
    A change to a field the actor may not write (``opf.core.field_rights``) is
    refused (``FieldRefused``, a ``PermissionDenied``) before any validation.
    """
    check(actor, "change" if instance.pk else "add", instance)
    ensure_parent_mutable(instance)  # a record of a locked one: 409 before any validation
    check_field_rights(actor, instance)
    instance.full_clean()
    guard_write(instance, expected=expected_version)
    # recorded even outside a request (tasks, scripts)
    attribute_change(instance, actor, reason or None)
    instance.save()
    if then is not None:
        then()
    saved(instance, actor)
    return instance


def delete_refusal(instance: Model) -> str | None:
    """Why ``instance`` may never be deleted (None: it may, if the user may).

    An archivable record (``opf.core.archive``) is archived instead; a model may
    refuse for its own reasons with ``delete_refusal()`` (a decided review)."""
    if hasattr(type(instance), "archived_at"):
        return _("%(object)s is archived, not deleted.") % {"object": instance}
    refusal = getattr(instance, "delete_refusal", None)
    return refusal() if callable(refusal) else None


@transaction.atomic
def delete_object(instance: Model, *, actor: User, expected_version: int | None = None) -> None:
    """Delete ``instance``; raises ProtectedError when other records use it,
    ``TransitionRefused`` when it is locked or never deleted (``delete_refusal``),
    ``StaleVersion`` when it moved on. History records the deletion and who made it."""
    check(actor, "delete", instance)
    refusal = delete_refusal(instance)
    if refusal:
        raise TransitionRefused(refusal)
    guard_write(instance, expected=expected_version, deleting=True)
    attribute_change(instance, actor)
    instance.delete()


def save_versioned(instance: M, *, actor: User, expected: int | None, reason: str = "") -> M:
    """``save_object`` with the version the writer read."""
    return save_object(instance, actor=actor, reason=reason, expected_version=expected)
