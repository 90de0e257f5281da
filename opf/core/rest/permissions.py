"""API permission: the same model permissions and row scopes as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from opf.core.permissions import can

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def set_required_action(handler: object, action: str) -> None:
    """Name the permission an extra action (``@action``) needs, read by
    ``required_action`` below (DRF's action type has no such attribute)."""
    setattr(handler, "required_action", action)  # noqa: B010


def required_action(request: Request, view: Any) -> str:
    """An extra action (``@action``) may name its own: ``required_action="change"``."""
    handler = getattr(view, getattr(view, "action", None) or "", None)
    declared = getattr(handler, "required_action", None) or getattr(view, "required_action", None)
    return declared or METHOD_ACTIONS.get(request.method or "GET", "change")


class RulePermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return True  # views without a model (schema, ping) need only a signed-in user
        return can(user, required_action(request, view), model)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return can(request.user, required_action(request, view), obj)
