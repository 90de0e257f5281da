"""The API side of ``opf.core.approval``: the body of a "submit for approval" step."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opf.core.approval import executives
from opf.core.rest.steps import TransitionRequestSerializer


@extend_schema_field(OpenApiTypes.INT)
class ExecutiveField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> Any:
        return executives()


class SubmitRequestSerializer(TransitionRequestSerializer):
    approver = ExecutiveField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the active executive who decides; empty: any executive.",
        error_messages={"does_not_exist": "Choose an active executive as approver."},
    )
