"""Errors a client can act on instead of a 500: Django validation → 400,
records still in use or conflicting writes → 409, not allowed → 403."""

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


def validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, TransitionRefused):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
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
    return drf_exception_handler(exc, context)
