"""Every refusal a service raises, answered once for the whole API: a step not
allowed now (``TransitionRefused``) or a record still in use or conflicting → 409,
Django validation → 400 with field errors, Django's ``PermissionDenied`` → 403
(with its message), a stale version (``StaleVersion``) → 412 with the record as
it is now. Views call services and let these through; none maps them itself."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from opf.core.errors import TransitionRefused
from opf.core.rest.preconditions import precondition_failed
from opf.core.versioning import StaleVersion


def validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def _serializer_of(context: dict[str, Any]) -> Any:
    """The serializer the view answers its records with (shows a stale write's record)."""
    view = context.get("view")
    get_serializer_class = getattr(view, "get_serializer_class", None)
    return get_serializer_class() if get_serializer_class is not None else None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionRefused):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, StaleVersion):
        exc = precondition_failed(exc, _serializer_of(context))
    elif isinstance(exc, DjangoValidationError):
        exc = ValidationError(validation_detail(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        used_by = sorted({str(o._meta.verbose_name_plural) for o in exc.args[1]})
        return Response(
            {"detail": _("Still used by: %(used_by)s.") % {"used_by": ", ".join(used_by)}},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("The change conflicts with existing records.")},
            status=status.HTTP_409_CONFLICT,
        )
    # Django's PermissionDenied and Http404 become 403 and 404 there, message kept.
    return drf_exception_handler(exc, context)
