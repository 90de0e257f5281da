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
record as it is now. A step declared with ``if_match=True`` also reads the
version the client read (If-Match or ``version``) and hands it to the service
(``expected_version``). What a service refuses becomes an HTTP answer in one
place, ``opf.core.rest.exceptions``: 409, 400, 403 or 412.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.permissions import check_step_permission, signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.preconditions import etag_for, expected_from_request

if TYPE_CHECKING:
    _ApiView = generics.GenericAPIView  # what StepsMixin is mixed into
else:
    _ApiView = object

F = TypeVar("F", bound=Callable[..., Response])


class TransitionRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read ("<id>-<version>"); a stale one gets 412.',
)
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
            parameters=[IF_MATCH] if if_match else None,
            responses={200: serializer, 409: REFUSED, **(responses or {})},
            description=description or f"Run the '{name}' transition.",
        )(handler)
        # Anyone who sees the record reaches the step; check_step_permission decides.
        set_required_action(handler, "view")
        return cast(F, handler)

    return declare


class StepsMixin(_ApiView):
    def take_step(self, request: Request, service: Callable[..., Any]) -> Response:
        """Run the step this request called (a method declared with ``step``)."""
        name = str(getattr(self, "action", ""))
        handler = getattr(self, name)
        payload = handler.step_request(data=request.data)
        payload.is_valid(raise_exception=True)
        obj = self.get_object()
        user = signed_in_user(request)
        check_step_permission(user, obj, name)
        extra = {}
        if handler.step_if_match:
            extra["expected_version"] = expected_from_request(request, obj)
        service(obj, actor=user, reason=payload.validated_data["reason"], **extra)
        obj.refresh_from_db()
        response = Response(self.get_serializer(obj).data)
        if handler.step_if_match:
            response["ETag"] = etag_for(obj)
        return response
