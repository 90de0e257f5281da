"""REST endpoint of the trace (``/api/v1/trace/<kind>/<id>/``): where a record came
from and what it led to, along the improvement loop (``lessons.trace``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import trace
from opf.core.permissions import can, restrict
from opf.core.rest.router import router
from opf.core.rest.steps import DetailSerializer
from opf.core.rest.viewsets import ApiViewMixin
from opf.core.urlnames import model_name


class TraceNodeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The resource name, e.g. asset-versions.")
    type = serializers.CharField()
    id = serializers.IntegerField()
    url = serializers.CharField(allow_null=True, help_text="The record in this API.")
    web_url = serializers.CharField(help_text="The record's page.")
    display = serializers.CharField(help_text="The record's name, for people.")
    level = serializers.IntegerField(help_text="< 0 came from, 0 the record, > 0 led to.")


class TraceRefSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()


class TraceLinkSerializer(serializers.Serializer):
    source = TraceRefSerializer()  # type: ignore[assignment]  # a declared field, as label above
    target = TraceRefSerializer()

    def to_representation(self, instance: Any) -> Any:
        return {"from": instance["from"], "to": instance["to"]}


class TraceSerializer(serializers.Serializer):
    root = TraceNodeSerializer()
    nodes = TraceNodeSerializer(many=True)
    links = serializers.ListField(child=serializers.DictField(), help_text="{from, to} pairs.")


def resources() -> dict[str, tuple[type[Model], str]]:
    """Resource name (the API's path, e.g. "asset-versions") -> model and the
    endpoint's basename, of every kind the trace knows."""
    traceable = set(trace.traceable_kinds().values())
    found: dict[str, tuple[type[Model], str]] = {}
    for prefix, viewset, basename in router.registry:
        queryset = getattr(viewset, "queryset", None)
        if queryset is not None and queryset.model in traceable:
            found.setdefault(prefix, (queryset.model, basename))
    return found


def _named(
    request: Request, data: dict[str, Any], kinds: dict[str, tuple[type[Model], str]]
) -> dict[str, Any]:
    """The trace with each kind given as its resource name, each node a reference:
    ``id``, ``url`` (the API), ``web_url`` (the page) and ``display``."""
    names = {model_name(model): prefix for prefix, (model, _b) in kinds.items()}
    for node in (data["root"], *data["nodes"]):
        node["kind"] = names.get(node["kind"], node["kind"])
        basename = kinds[node["kind"]][1] if node["kind"] in kinds else None
        api = reverse(f"api:{basename}-detail", args=[node["id"]]) if basename else None
        node["web_url"] = request.build_absolute_uri(node["url"])
        node["url"] = request.build_absolute_uri(api) if api else None
        node["display"] = node.pop("label")
    for link in data["links"]:
        for end in (link["from"], link["to"]):
            end["kind"] = names.get(end["kind"], end["kind"])
    return data


class TraceViewSet(ApiViewMixin, viewsets.ViewSet):
    """Where a record came from and what it led to, along the improvement loop."""

    @extend_schema(
        responses={200: TraceSerializer, 404: OpenApiResponse(DetailSerializer)},
        description="Kinds are the API's resource names (as in /api/v1/<kind>/<id>/), "
        "e.g. asset-versions, non-compliances, improvements.",
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"(?P<kind>[a-z][a-z-]*)/(?P<object_id>[0-9]+)",
        url_name="of",
    )
    def of(self, request: Request, kind: str, object_id: str) -> Response:
        kinds = resources()
        model = kinds[kind][0] if kind in kinds else None
        if model is None or not can(request.user, "view", model):
            raise NotFound(
                _("No such kind to trace. Kinds: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))}
            )
        obj = get_object_or_404(
            restrict(model._default_manager.all(), request.user, "view"), pk=int(object_id)
        )
        return Response(_named(request, trace.trace(obj, request.user).as_dict(), kinds))
