"""Row-level permission checks shared by pages, the API and services.

The model permission (from the user's groups, via Django's ModelBackend) says
whether a user may do an action at all; the role's scope for it (``opf.core.roles``)
says on which rows. ``restrict`` narrows a queryset, ``can`` checks one object,
and ``ObjectRuleBackend`` makes ``user.has_perm(perm, obj)`` answer the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from opf.core.roles import ALL, OWN, roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request

    from opf.core.accounts import User

QS = TypeVar("QS", bound=QuerySet[Any])

ACTIONS = ("view", "add", "change", "delete")
OWN_ROWS_ONLY = _("You may only choose what keeps this record yours: ask the process group.")


def perm_name(model: type[Model] | Model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def signed_in_user(request: HttpRequest | Request) -> User:
    """The user of a request that only signed-in users reach: pages are behind
    ``LoginRequiredMiddleware``, the API behind ``RulePermission``."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def scope(user: User | AnonymousUser, perm: str) -> str | None:
    """ALL, OWN or None: how far ``user`` may use ``perm``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ALL
    if not user.has_perm(perm):
        return None
    role_scopes = {role.scope_for(perm) for role in roles_of(user)} - {None}
    if role_scopes == {OWN}:
        return OWN
    # Granted by a role with ALL, or directly/by another group in the admin.
    return ALL


def owner_q(model: type[Model], user: User | AnonymousUser) -> Q:
    path = getattr(model, "OWNER_PATH", None)
    if not path:
        return Q(pk__in=[])
    return Q(**{path: user})


def restrict(queryset: QS, user: User | AnonymousUser, action: str = "view") -> QS:
    allowed = scope(user, perm_name(queryset.model, action))
    if allowed == ALL:
        return queryset
    if allowed == OWN:
        return queryset.filter(owner_q(queryset.model, user))
    return queryset.none()


def can(user: User | AnonymousUser, action: str, target: Model | type[Model]) -> bool:
    """May ``user`` do ``action`` on the object (or, given a class, on some row of it)?"""
    allowed = scope(user, perm_name(target, action))
    if allowed == ALL:
        return True
    if allowed == OWN:
        if isinstance(target, type):
            return True
        # Roles grant the OWN scope on domain models only, which know their owner
        # (``opf.core.models.DomainModel.is_owned_by``).
        is_owned_by = getattr(target, "is_owned_by", None)
        return is_owned_by is not None and bool(is_owned_by(user))
    return False


def check_step_permission(user: User | AnonymousUser, obj: Model, name: str) -> None:
    """Whoever may not take the lifecycle step ``name`` of ``obj`` (its model's
    ``workflow``) is refused (403) before the step's own checks run, so they
    learn nothing about the record's state. Pages and the API both ask this."""
    workflow = getattr(type(obj), "workflow", None)
    steps = workflow.transitions if workflow is not None else {}
    if name in steps and not can(user, steps[name].action, obj):
        raise PermissionDenied


class ObjectRuleBackend:
    """Answers object-level ``has_perm`` from the role scopes; Django's own
    ModelBackend answers the model-level question."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def has_perm(self, user: User | AnonymousUser, perm: str, obj: Model | None = None) -> bool:
        if obj is None:
            return False
        _app, _dot, codename = perm.partition(".")
        action = codename.split("_", 1)[0]
        if perm_name(obj, action) != perm:
            return False
        return can(user, action, obj)


def owns_through(user: User, chosen: Any, rest: str) -> bool:
    """Does ``user`` own what was chosen (a row, a user, or several) along ``rest``?"""
    rows = list(chosen) if isinstance(chosen, Iterable) else [chosen]
    if not rest:
        return any(getattr(row, "pk", None) == user.pk for row in rows)
    if not rows:
        return False
    model = type(rows[0])
    return model._default_manager.filter(pk__in=[r.pk for r in rows], **{rest: user}).exists()


def gives_away(user: User, model: type[Model], *, adding: bool, values: Mapping[str, Any]) -> str:
    """The ``OWNER_PATH`` field whose chosen value would make the row someone
    else's, for a user who may write only their own rows (a project manager
    picking another manager's project, an appraiser leaving the team); "" if none.

    Pages (``opf.core.ui.forms.ObjectForm``) and the API (``ObjectSerializer``)
    both ask this about the values they are about to save."""
    path = getattr(model, "OWNER_PATH", None)
    if not path:
        return ""
    first, _sep, rest = path.partition("__")
    chosen = values.get(first)
    if chosen is None or scope(user, perm_name(model, "add" if adding else "change")) != OWN:
        return ""
    return "" if owns_through(user, chosen, rest) else first
