"""Base viewsets: scoped querysets, shared filtersets, history, login_not_required.

Every API view authenticates through DRF (token or session) and answers 401/403
itself, so the site-wide LoginRequiredMiddleware must not redirect it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import FieldError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opf.core.archive import archive_object, is_archivable, restore_object, visible_in_list
from opf.core.freshness import counted
from opf.core.permissions import restrict, signed_in_user
from opf.core.rest.bulk import not_found, write_all
from opf.core.rest.permissions import set_required_action
from opf.core.rest.preconditions import answer_conditionally, expected_from_request
from opf.core.rest.serializers import HistoryEntrySerializer, with_references
from opf.core.rest.steps import (
    DetailSerializer,
    StepsMixin,
    TransitionRequestSerializer,
)
from opf.core.services import check, delete_object
from opf.core.ui.history import history_of
from opf.core.versioning import ensure_mutable, is_versioned

if TYPE_CHECKING:
    _ApiView = generics.GenericAPIView  # what the mixins below are mixed into
else:
    _ApiView = object


class ApiViewMixin(_ApiView):
    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        return login_not_required(super().as_view(*args, **kwargs))

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        return answer_conditionally(request, response)  # type: ignore[return-value]


class ApiNotFoundView(ApiViewMixin, APIView):
    """Any other path under ``/api/v1/`` (ending in a slash; without one, Django adds
    it first): a problem+json 404 for a signed-in caller, not the site's HTML page."""

    schema = None  # not an operation

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # 401 first, for who is not signed in
        raise NotFound(_("No such endpoint: see /api/v1/docs/."))


class ScopedQuerysetMixin(_ApiView):
    def get_queryset(self) -> QuerySet:
        queryset = restrict(super().get_queryset(), self.request.user, "view")
        return with_references(queryset, self.get_serializer_class())


class HistoryMixin(_ApiView):
    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, pk: Any = None) -> Response:
        """Who changed what and when, newest first."""
        entries = history_of(self.get_object(), limit=None)
        return Response(HistoryEntrySerializer(entries, many=True).data)


class ObjectViewSet(
    ApiViewMixin, ScopedQuerysetMixin, HistoryMixin, StepsMixin, viewsets.ModelViewSet
):
    """Create, read, update and delete one model, with its history.

    A locked record (``is_locked``) refuses writes with 409. A versioned one
    answers reads with an ETag and checks ``If-Match`` (or a ``version`` in the
    body) on writes, under a row lock: a stale write is 412 and saves nothing.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """An archivable model's endpoint archives instead of deleting (``opf.core.archive``):
        no DELETE (405), ``POST {id}/archive/`` and ``POST {id}/restore/`` instead."""
        super().__init_subclass__(**kwargs)
        queryset = getattr(cls, "queryset", None)
        if queryset is None or not is_archivable(queryset.model):
            return
        cls.http_method_names = [m for m in cls.http_method_names if m != "delete"]
        serializer = getattr(cls, "serializer_class", None)
        for name, service in (("archive", archive_object), ("restore", restore_object)):
            if name not in cls.__dict__:
                setattr(cls, name, archive_action(name, service, serializer))
        base_list = cls.list

        def list_(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            return base_list(self, request, *args, **kwargs)

        list_.__name__ = "list"
        cls.list = extend_schema(parameters=[ARCHIVED_PARAMETER])(list_)  # type: ignore[method-assign]

    def _versioned(self) -> bool:
        return is_versioned(self.get_queryset().model)

    def lean_count(self) -> int | None:
        """The number of rows the list answers with, counted over the model's plain rows
        with the same scoping and filters (the pagination's ``count``): the declared
        queryset's annotations (a priority summed over scores, …) are for the rows
        shown, and a COUNT that carries them computes them for every row. None (count
        the list itself) when the declared queryset narrows the rows itself or a
        filter needs an annotation."""
        declared = getattr(self, "queryset", None)
        if declared is None or not declared.query.annotations:
            return None
        if declared.query.where or declared.query.distinct or declared.query.combinator:
            return None
        self.queryset = declared.model._default_manager.all()
        try:
            rows = self.get_queryset()
            for backend in self.filter_backends:
                if not issubclass(backend, OrderingFilter):  # the order counts no row
                    rows = backend().filter_queryset(self.request, rows, self)
            return counted(rows.select_related(None).order_by())
        except FieldError:
            return None
        finally:
            self.queryset = declared

    def _archivable(self) -> bool:
        queryset = getattr(self, "queryset", None)
        return queryset is not None and is_archivable(queryset.model)

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "action", None) == "list" and is_archivable(queryset.model):
            values = self.request.query_params.getlist("archived")
            if len(values) > 1 or any(v not in ("true", "false") for v in values):
                raise serializers.ValidationError({"archived": [_("Either true or false.")]})
            queryset = visible_in_list(queryset, self.request.query_params)
        return queryset

    # DRF hands its Request where Django's View has an HttpRequest (its stubs ignore the same).
    def http_method_not_allowed(  # type: ignore[override]
        self, request: Request, *args: Any, **kwargs: Any
    ) -> Response:
        if request.method == "DELETE" and self._archivable():
            raise MethodNotAllowed(
                "DELETE",
                detail=_("These records are archived, not deleted: POST to {id}/archive/."),
            )
        return super().http_method_not_allowed(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        data = response.data
        if self._versioned() and isinstance(data, dict) and "version" in data:
            response["ETag"] = f'"{data["id"]}-{data["version"]}"'
        return response

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ensure_mutable(self.get_object())  # 409 before any validation
        response = super().update(request, *args, **kwargs)
        data = response.data
        if self._versioned() and isinstance(data, dict) and "version" in data:
            response["ETag"] = f'"{data["id"]}-{data["version"]}"'
        return response

    def perform_update(self, serializer: Any) -> None:
        instance = serializer.instance
        expected = expected_from_request(self.request, instance) if self._versioned() else None
        extra = {"expected_version": expected} if self._versioned() else {}
        serializer.save(**extra)  # a stale version is 412 (opf.core.rest.exceptions)

    def perform_destroy(self, instance: Any) -> None:
        expected = expected_from_request(self.request, instance) if self._versioned() else None
        delete_object(instance, actor=signed_in_user(self.request), expected_version=expected)

    def write_items(self, request: Request) -> Response:
        """A bulk write (``opf.core.rest.bulk``): each item of the JSON array is a
        create (no ``id``) or a change of the record ``id`` (the fields sent; its
        ``version`` checked like If-Match), through this endpoint's serializer and so
        its services and checks; all in one transaction, all or nothing."""
        user = signed_in_user(request)
        visible = self.get_queryset()

        def write(index: int, item: dict[str, Any]) -> Any:
            data = {k: v for k, v in item.items() if k != "id"}
            instance = None
            if "id" in item:
                pk = item["id"]
                found = isinstance(pk, int) and not isinstance(pk, bool)
                instance = visible.filter(pk=pk).first() if found else None
                if instance is None:
                    raise not_found(_("No such record, or you cannot see it."))
                check(user, "change", instance)  # 403 before anything about the data
                ensure_mutable(instance)
            else:
                check(user, "add", visible.model)
            context = self.get_serializer_context()
            serializer = self.get_serializer_class()(
                instance, data=data, partial=instance is not None, context=context
            )
            serializer.is_valid(raise_exception=True)
            extra = {}
            if instance is not None and self._versioned() and data.get("version") is not None:
                extra["expected_version"] = data["version"]  # a whole number: validated
            return serializer.save(**extra)

        saved = write_all(request.data, write)
        rows = {o.pk: o for o in visible.filter(pk__in=[o.pk for o in saved])}
        data = self.get_serializer([rows[o.pk] for o in saved], many=True).data
        return Response(data, status=status.HTTP_200_OK)


ARCHIVED_PARAMETER = OpenApiParameter(
    "archived",
    OpenApiTypes.BOOL,
    description="Include archived records (hidden by default).",
    required=False,
)


def archive_action(name: str, service: Any, serializer: Any) -> Any:
    """``POST {id}/archive/`` or ``{id}/restore/`` through ``opf.core.archive`` (whoever
    may delete the record; If-Match or ``version`` checked like any write)."""

    def run(self: Any, request: Request, pk: Any = None) -> Response:
        obj = self.get_object()
        with self.unchanged_since_read(request, obj) as expected:
            payload = TransitionRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            service(
                obj,
                actor=signed_in_user(request),
                reason=payload.validated_data["reason"],
                expected_version=expected,
            )
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)

    run.__name__ = name
    run = action(detail=True, methods=["post"], url_path=name, url_name=name)(run)
    done = (
        "Archive the record (kept as evidence, hidden from lists)"
        if name == "archive"
        else ("Restore an archived record")
    )
    run = extend_schema(
        request=TransitionRequestSerializer,
        responses={
            200: serializer,
            409: OpenApiResponse(DetailSerializer, description="Not allowed now."),
        },
        description=f"{done}; needs the delete permission.",
    )(run)
    set_required_action(run, "delete")
    return run


class ReadOnlyObjectViewSet(
    ApiViewMixin, ScopedQuerysetMixin, HistoryMixin, StepsMixin, viewsets.ReadOnlyModelViewSet
):
    """Read one model, with its history (and any steps it declares)."""
