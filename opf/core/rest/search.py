"""``GET /api/v1/search/?q=``: the global search (``opf.core.search``) for scripts: the
same kinds, records and counts as the search page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.permissions import signed_in_user
from opf.core.rest.router import api_url_of
from opf.core.rest.viewsets import ApiViewMixin
from opf.core.search import Group, Hit, search


class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.pk")
    title = serializers.CharField()
    detail = serializers.CharField(allow_blank=True, help_text="Context: a code, a parent.")
    url = serializers.SerializerMethodField(help_text="The record in this API.")
    web_url = serializers.CharField(source="url", help_text="The record's page.")

    @extend_schema_field({"type": "string", "nullable": True})
    def get_url(self, hit: Hit) -> str | None:
        return api_url_of(hit.record)


class GroupSerializer(serializers.Serializer):
    kind = serializers.CharField(
        source="kind.slug", help_text='"app_label.model", e.g. "opf.project".'
    )
    name = serializers.CharField(source="kind.label")
    count = serializers.IntegerField(help_text="Every match; `results` holds the first five.")
    results = HitSerializer(source="hits", many=True)


@extend_schema_serializer(many=False)  # one object, though served by the list route
class SearchSerializer(serializers.Serializer):
    query = serializers.CharField()
    kinds = GroupSerializer(many=True)


def _data(request: Request, query: str, groups: list[Group]) -> dict:
    kinds = []
    for group in groups:
        data = dict(GroupSerializer(group).data)
        data["results"] = [
            {
                **hit_data,
                "url": request.build_absolute_uri(hit_data["url"]) if hit_data["url"] else None,
                "web_url": request.build_absolute_uri(hit.url),
            }
            for hit, hit_data in zip(group.hits, data["results"], strict=True)
        ]
        kinds.append(data)
    return {"query": query, "kinds": kinds}


class SearchViewSet(ApiViewMixin, viewsets.ViewSet):
    """Records of every kind the caller may view whose title, code or statement holds
    every word of ``q``, grouped by kind (at most five each, with the count of all)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="The words to find.", required=True)
        ],
        responses={200: SearchSerializer},
    )
    def list(self, request: Request) -> Response:
        if "q" not in request.query_params:
            raise ApiValidationError({"q": [_("Give the words to find.")]})
        query = request.query_params.get("q", "")
        try:
            groups = search(signed_in_user(request), query)
        except ValidationError as refused:
            raise ApiValidationError({"q": refused.messages}) from refused
        return Response(_data(request, query.strip(), groups))
