"""Record versions and locks: the part of optimistic concurrency every write uses.

- ``VersionedModel`` adds ``version`` (1 on create, +1 on every write). A writer
  says which version it read; ``guard_write`` locks the row
  (``select_for_update``) and refuses a stale write with ``StaleVersion``, in
  the same transaction as the write, so two writers holding the same version
  cannot both pass.
- ``LockableMixin`` marks records whose state makes them read-only (a released
  version, an approved plan, a completed audit): ``guard_write`` refuses any
  change to them with ``TransitionRefused`` (a message in pages, 409 in the API).
  A record that belongs to a lockable one (an audit's items, an appraisal's
  ratings) names that foreign key in ``LOCK_PARENT`` and is locked with it:
  changed, deleted or created under a locked parent, it is refused the same way.
  Changing a locked record again takes its model's explicit reopen step (a
  workflow transition with a reason, in history), where one makes sense.

``opf.core.services`` calls ``guard_write`` for every save and delete, and
``opf.core.workflow`` bumps the version on every state change, so pages, the API
and services all get the check without code of their own. The page and API
halves live with the pages and the API: a hidden ``version`` field in forms
(``opf.core.ui.forms.VersionCheckMixin``: a stale form is refused with a message
showing the record's current values) and ETag/If-Match with 412 Precondition Failed
(``opf.core.rest.preconditions``). ``opf.core.services.save_versioned`` is the write.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, TypeVar, runtime_checkable

from django.db import models, transaction
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from opf.core.display import in_sentence
from opf.core.errors import TransitionRefused

V = TypeVar("V", bound="VersionedModel")


class VersionedModel(models.Model):
    """Adds ``version``: 1 on create, +1 on every write through the services.

    ``opf.core.models.DomainModel`` derives from it, so every program record is
    versioned. A model whose own data has a field called ``version`` (a
    reference model's edition) overrides the field and sets
    ``RECORD_VERSIONED = False``.
    """

    RECORD_VERSIONED: ClassVar[bool] = True

    version = models.PositiveIntegerField(
        "version",
        default=1,
        db_default=1,  # rows written by data migrations and raw inserts start at 1 too
        editable=False,
        help_text="Bumped by every change.",
    )

    class Meta:
        abstract = True


class LockableMixin:
    """A record whose state makes it read-only (``is_locked``): no edit or
    delete in pages (no buttons) or the API (409).

    ``LOCKED_STATES`` are the values of ``LOCK_FIELD`` (``state``; a review's
    ``decision``) that lock it; ``LOCK_PARENT`` names the foreign key of the
    record it belongs to, which locks it too (an audit item with its audit).
    ``LOCKED_HINT`` tells what to do instead (reopen it, make a new version).
    """

    LOCKED_STATES: tuple[str, ...] = ()
    LOCK_FIELD: str = "state"
    LOCK_PARENT: str = ""
    LOCKED_HINT: str | Promise = ""
    state: str

    @property
    def is_locked(self) -> bool:
        return self.locked_by_state or lock_parent_of(self) is not None

    @property
    def locked_by_state(self) -> bool:
        return bool(self.LOCKED_STATES) and getattr(self, self.LOCK_FIELD) in self.LOCKED_STATES

    def locked_reason(self) -> str:
        if self.locked_by_state:
            display = getattr(self, f"get_{self.LOCK_FIELD}_display", None)
            state = display() if callable(display) else getattr(self, self.LOCK_FIELD)
            text = str(_("This record is %(state)s and can no longer be changed.")) % {
                "state": in_sentence(state)
            }
            return f"{text} {self.LOCKED_HINT}".strip()
        parent = lock_parent_of(self)
        if parent is None:
            return ""
        return parent_locked_reason(parent)


def _parent_key(model: type[Model]) -> models.ForeignKey | None:
    """The foreign key ``LOCK_PARENT`` names, if the model declares one."""
    name = getattr(model, "LOCK_PARENT", "")
    if not name:
        return None
    field = model._meta.get_field(name)
    assert isinstance(field, models.ForeignKey), f"LOCK_PARENT of {model} is not a foreign key"
    return field


def _parent(obj: object) -> Model | None:
    key = _parent_key(type(obj)) if isinstance(obj, Model) else None
    if key is None or getattr(obj, key.attname) is None:
        return None
    return getattr(obj, key.name)


def lock_parent_of(obj: object) -> LockableMixin | None:
    """The locked record ``obj`` belongs to (``LOCK_PARENT``), if any."""
    parent = _parent(obj)
    if isinstance(parent, LockableMixin) and parent.is_locked:
        return parent
    return None


def parent_locked_reason(parent: LockableMixin) -> str:
    return str(_("It belongs to %(parent)s, which is locked. %(reason)s")) % {
        "parent": parent,
        "reason": parent.locked_reason(),
    }


def lockable_models() -> list[type[Model]]:
    """Every installed model with a lock (its own states or its parent's)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, LockableMixin) and (model.LOCKED_STATES or model.LOCK_PARENT)
    ]


@runtime_checkable
class Lockable(Protocol):
    """What a locked record tells (``LockableMixin``)."""

    @property
    def is_locked(self) -> bool: ...

    def locked_reason(self) -> str: ...


class StaleVersion(Exception):
    """The writer read ``expected``; the record is now at ``current.version``."""

    def __init__(self, current: VersionedModel, expected: int) -> None:
        self.current = current
        self.expected = expected
        super().__init__(conflict_message(current))


def conflict_message(current: VersionedModel) -> str:
    return _(
        "Someone else changed this record while you were editing it (it is now at "
        "version %(version)s). Nothing was saved: review its current values and "
        "submit again."
    ) % {"version": current.version}


def is_versioned(model: type[Model] | Model) -> bool:
    cls = model if isinstance(model, type) else type(model)
    return issubclass(cls, VersionedModel) and cls.RECORD_VERSIONED


def ensure_mutable(obj: Model, *, archive_step: bool = False) -> None:
    """A locked record (released, approved, …) never changes, an archived one
    not until it is restored (``opf.core.archive``): refuse (409)."""
    if isinstance(obj, Lockable) and obj.is_locked:
        raise TransitionRefused(obj.locked_reason())
    if not archive_step and getattr(obj, "archived_at", None) is not None:
        raise TransitionRefused(
            _("%(object)s is archived: restore it before changing it.") % {"object": obj}
        )


def locked_current(instance: V, expected: int | None) -> V:
    """Lock ``instance``'s row (inside the caller's transaction) and return the
    stored record; raise ``StaleVersion`` if it moved past ``expected``.

    ``expected=None`` means the writer did not say (an API client without
    If-Match, a service): the row is still locked, the write still bumps the
    version.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked_current must run inside transaction.atomic")
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if expected is not None and current.version != expected:
        raise StaleVersion(current, expected)
    return current


def guard_write(
    instance: Model, *, expected: int | None, deleting: bool = False, archive_step: bool = False
) -> None:
    """Before saving or deleting an existing ``instance`` (in the caller's transaction):
    refuse a locked (or archived, unless ``archive_step``) record or a stale
    version, and bump the version."""
    versioned = (
        instance if isinstance(instance, VersionedModel) and is_versioned(instance) else None
    )
    lockable = isinstance(instance, LockableMixin) or hasattr(type(instance), "archived_at")
    ensure_parent_mutable(instance)
    if instance.pk is None:
        if versioned is not None:
            versioned.version = 1
        return
    if versioned is None and not lockable:
        return
    if versioned is not None:
        current = locked_current(versioned, expected)
        ensure_mutable(current, archive_step=archive_step)
        if not deleting:
            versioned.version = current.version + 1
    else:
        stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        ensure_mutable(stored, archive_step=archive_step)


def ensure_parent_mutable(instance: Model) -> None:
    """The record ``instance`` is saved under (created, kept or moved to), as
    stored now, must not be locked."""
    key = _parent_key(type(instance))
    parent_id = getattr(instance, key.attname) if key is not None else None
    if key is None or parent_id is None:
        return
    model = key.related_model
    assert isinstance(model, type) and issubclass(model, Model)
    parent = model._default_manager.filter(pk=parent_id).first()
    if isinstance(parent, LockableMixin) and parent.is_locked:
        raise TransitionRefused(parent_locked_reason(parent))
