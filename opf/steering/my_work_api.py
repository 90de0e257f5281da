"""``GET /api/v1/my-work/``: what waits for the caller, by kind — exactly the blocks of
the home page (``opf.core.worklist``), with each record's id, title, API and page URLs
and since when it waits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.accounts import User
from opf.core.freshness import cached
from opf.core.permissions import signed_in_user
from opf.core.rest.router import api_url_of
from opf.core.rest.serializers import absolute_uri
from opf.core.rest.viewsets import ApiViewMixin
from opf.core.roles import roles_of
from opf.core.worklist import WorkBlock, WorkEntry, worklist


@extend_schema_field(
    {"type": "string", "nullable": True, "description": "A date or a date and time (ISO 8601)."}
)
class SinceField(serializers.Field):
    def to_representation(self, value: date | datetime) -> str:
        return value.isoformat()


class WorkEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The record in this API.")
    web_url = serializers.CharField(source="url", help_text="The record's page.")
    since = SinceField(allow_null=True, help_text="Since when it waits.")
    late = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_url(self, entry: WorkEntry) -> str | None:
        return api_url_of(entry.record)


class WorkKindSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.slug")
    name = serializers.CharField(source="kind.label", help_text="What the kind is, for people.")
    section = serializers.ChoiceField(
        source="kind.section",
        choices=["waiting", "watching"],
        help_text="waiting: the caller acts; watching: what the caller's role keeps an eye on.",
    )
    count = serializers.IntegerField(help_text="All the records; `items` holds the first ten.")
    list_url = serializers.CharField(help_text="The list page of exactly these records.")
    items = WorkEntrySerializer(source="entries", many=True)


@extend_schema_serializer(many=False)  # one object, though served by the list route
class MyWorkSerializer(serializers.Serializer):
    kinds = WorkKindSerializer(many=True)


def _relative(blocks: list[WorkBlock]) -> list[dict[str, Any]]:
    """Plain lists and dicts (what the cache keeps)."""
    return [
        {**kind, "items": [dict(item) for item in kind["items"]]}
        for kind in WorkKindSerializer(blocks, many=True).data
    ]


def _absolute(request: Request, data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for kind in data:
        kind["list_url"] = absolute_uri(request, kind["list_url"])
        for item in kind["items"]:
            item["web_url"] = absolute_uri(request, item["web_url"])
            if item["url"]:
                item["url"] = absolute_uri(request, item["url"])
    return data


class MyWorkViewSet(ApiViewMixin, viewsets.ViewSet):
    """What waits for the caller (the home page's blocks, in the same order)."""

    @extend_schema(responses={200: MyWorkSerializer})
    def list(self, request: Request) -> Response:
        return Response({"kinds": _absolute(request, my_work(signed_in_user(request)))})


def my_work(user: User) -> list[dict[str, Any]]:
    """The caller's blocks as the API reads them (URLs relative), kept until the data
    next changes (``opf.core.freshness``, as the menu's counts): building and running
    a query per kind is most of the answer's cost, and it is asked for again and
    again. Kept per person, day, language (the kinds' names) and roles."""
    today = timezone.localdate()
    roles = ",".join(role.slug for role in roles_of(user))
    key = ("my-work", user.pk, today.isoformat(), get_language(), roles)
    return cached(key, lambda: _relative(worklist(user, today)))
