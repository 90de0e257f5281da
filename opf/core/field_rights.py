"""Field rights: which fields of a model a role may write, in which states.

The role table (``opf.core.roles``) says whether a user may change a record at
all and on which rows; field rights narrow that to fields. Each feature
declares them for its own models next to its grants, in
``<pkg>.roles.FIELD_RIGHTS`` (role slug → ``FieldRight``s). A role with a
right on a model writes only the fields the right allows, and only while the
record is in one of the right's states; a role without one writes every field
its grant covers. A user writes what any of their roles granting the action
allows (a process-group member who is also an appraiser writes everything).

Only editable model fields are concerned: steps (``state``, dates set by a
transition) are the workflow's business. Forms show the fields a user may not
write disabled (``opf.core.ui.forms.ObjectForm``), the API refuses a change to
one with 403 naming it (``opf.core.rest.serializers.ObjectSerializer``), and
``opf.core.services.save_object`` refuses it whatever the door.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext as _

from opf.core.permissions import perm_name
from opf.core.roles import roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


@dataclass(frozen=True)
class FieldRight:
    """A role may write ``fields`` of ``model`` (``app_label.modelname``), or,
    with ``exclude``, every editable field but those; while the record's
    ``state`` is one of ``states`` (empty: in any state)."""

    model: str
    fields: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    states: tuple[str, ...] = ()

    def allows(self, name: str, state: Any) -> bool:
        if self.states and state not in self.states:
            return False
        if self.fields:
            return name in self.fields
        return name not in self.exclude


class FieldRefused(PermissionDenied):
    """A write that changes fields the user may not write (403, naming them)."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = list(fields)
        super().__init__(refused_message(self.fields))


def refused_message(fields: Iterable[str]) -> str:
    return _("You may not change these fields: %(fields)s.") % {"fields": ", ".join(fields)}


@cache
def declared_rights() -> dict[str, dict[str, tuple[FieldRight, ...]]]:
    """Model label → role slug → the role's rights on it, from every feature."""
    from opf.core.registry import app_modules

    rights: dict[str, dict[str, tuple[FieldRight, ...]]] = {}
    for module in app_modules("roles"):
        for slug, declared in getattr(module, "FIELD_RIGHTS", {}).items():
            for right in declared:
                per_role = rights.setdefault(right.model, {})
                per_role[slug] = (*per_role.get(slug, ()), right)
    return rights


def editable_names(model: type[Model] | Model) -> list[str]:
    """The fields a form or serializer may write (the concern of field rights)."""
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "editable", False) and getattr(f, "concrete", False)
    ]


def refused_fields(
    user: User | AnonymousUser, action: str, target: Model | type[Model], names: Iterable[str]
) -> list[str]:
    """Those of ``names`` that ``user`` may not write when doing ``action``
    ("add" or "change") on ``target`` (a record: its stored state counts)."""
    rights = declared_rights().get(target._meta.label_lower)
    if not rights or not user.is_authenticated or user.is_superuser:
        return []
    perm = perm_name(target, action)
    granting = [role for role in roles_of(user) if role.scope_for(perm)]
    if not granting or any(role.slug not in rights for role in granting):
        return []  # granted outside the roles (the admin) or by a role without limits
    editable = set(editable_names(target))
    state = None if isinstance(target, type) else getattr(target, "state", None)
    role_rights = [right for role in granting for right in rights[role.slug]]
    return [
        name
        for name in names
        if name in editable and not any(right.allows(name, state) for right in role_rights)
    ]


def changed_fields(instance: Model, stored: Model | None) -> list[str]:
    """The editable, non-many-to-many fields whose value in ``instance`` differs
    from ``stored`` (None: from a new record's defaults)."""
    before = stored if stored is not None else type(instance)()
    return [
        field.name
        for field in instance._meta.concrete_fields
        if field.editable and field.value_from_object(instance) != field.value_from_object(before)
    ]


def check_field_rights(actor: User | AnonymousUser, instance: Model) -> None:
    """Raise ``FieldRefused`` when saving ``instance`` would change a field
    ``actor`` may not write (compared with the stored record)."""
    if instance._meta.label_lower not in declared_rights():
        return
    adding = instance.pk is None
    action = "add" if adding else "change"
    stored = None if adding else type(instance)._base_manager.filter(pk=instance.pk).first()
    target = stored if stored is not None else type(instance)
    if not refused_fields(actor, action, target, editable_names(instance)):
        return  # the common case: no query beyond the one above
    refused = refused_fields(actor, action, target, changed_fields(instance, stored))
    if refused:
        raise FieldRefused(refused)
