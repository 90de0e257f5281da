"""Lifecycle steps in the API: each step a method of its viewset, named after the step.

A viewset declares every step it offers explicitly; the method calls the step's
service, a plain function of the feature's ``services``::

    class AssetVersionViewSet(ObjectViewSet):
        @step(AssetVersionSerializer, "Release the version; the previous release is superseded.")
        def release(self, request: Request, pk: Any = None) -> Response:
            return self.take_step(request, services.asset_version_release)

``step`` makes the method the action ``POST {id}/<name>/`` (``return_to_draft``
answers at ``{id}/return-to-draft/``) and describes it in the schema;
``take_step`` refuses whoever may not take the step (403, before anything about
the record is told), runs the service with the reason sent and answers the
record as it is now. Every step on a versioned record honours the version the
client read (``If-Match`` or ``version`` in the body): the step runs in one
transaction with the record's row locked, and a stale version is refused (412)
before anything is done (``unchanged_since_read``, which a viewset's own POST
actions use too). A step declared with ``if_match=True`` also hands that version
to its service (``expected_version``). What a service refuses becomes an HTTP
answer in one place, ``opf.core.rest.exceptions``: 409, 400, 403 or 412.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import transaction
from django.db.models import Model
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.permissions import check_step_permission, signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.preconditions import etag_for, expected_from_request
from opf.core.versioning import VersionedModel, is_versioned, locked_current

if TYPE_CHECKING:
    _ApiView = generics.GenericAPIView  # what StepsMixin is mixed into
else:
    _ApiView = object

F = TypeVar("F", bound=Callable[..., Response])


class TransitionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The version you read (or send If-Match); a stale one gets 412.",
    )


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


REFUSED = OpenApiResponse(DetailSerializer, description="The move is not allowed now.")


def step(
    serializer: Any,
    description: str = "",
    *,
    request: type[serializers.Serializer] = TransitionRequestSerializer,
    if_match: bool = False,
    responses: dict[int, Any] | None = None,
) -> Callable[[F], F]:
    """Declare the viewset method it decorates as the lifecycle step of its name.

    ``serializer`` answers the record, ``request`` reads the body (it has a
    ``reason``); ``responses`` adds to or replaces the 200 and 409 answers.
    (``If-Match`` and the 412 are declared for every step on a versioned record by
    ``opf.core.rest.schema.ObjectAutoSchema``.)
    """

    def declare(method: F) -> F:
        name = method.__name__
        setattr(method, "step_request", request)  # noqa: B010  (read by take_step)
        setattr(method, "step_if_match", if_match)  # noqa: B010
        handler = action(
            detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name
        )(method)
        handler = extend_schema(
            request=request,
            responses={200: serializer, 409: REFUSED, **(responses or {})},
            description=description or f"Run the '{name}' transition.",
        )(handler)
        # Anyone who sees the record reaches the step; check_step_permission decides.
        set_required_action(handler, "view")
        return cast(F, handler)

    return declare


class StepsMixin(_ApiView):
    @contextmanager
    def unchanged_since_read(self, request: Request, obj: Model) -> Iterator[int | None]:
        """The write's transaction, with ``obj``'s row locked and checked against the
        version the client read (If-Match or ``version``; none sent: not checked):
        ``StaleVersion`` (412) if it moved on. Yields that version."""
        with transaction.atomic():
            expected = expected_from_request(request, obj) if is_versioned(obj) else None
            if expected is not None:
                locked_current(cast(VersionedModel, obj), expected)
            yield expected

    def take_step(self, request: Request, service: Callable[..., Any]) -> Response:
        """Run the step this request called (a method declared with ``step``)."""
        name = str(getattr(self, "action", ""))
        handler = getattr(self, name)
        obj = self.get_object()
        user = signed_in_user(request)
        check_step_permission(user, obj, name)
        with self.unchanged_since_read(request, obj) as expected:
            payload = handler.step_request(data=request.data)
            payload.is_valid(raise_exception=True)
            extra = {"expected_version": expected} if handler.step_if_match else {}
            # Further fields a step's request declares (an approver) go to its service.
            extra.update(
                {k: v for k, v in payload.validated_data.items() if k not in ("reason", "version")}
            )
            service(obj, actor=user, reason=payload.validated_data["reason"], **extra)
        obj.refresh_from_db()
        response = Response(self.get_serializer(obj).data)
        if is_versioned(obj):
            response["ETag"] = etag_for(obj)
        return response
