"""REST endpoints of the process architecture (``/api/v1/processes/``,
``/api/v1/handoffs/``). A process reads with its standing against the standard process
set (released definition, deployment reach), computed for the whole page at once."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lessons import filters, forms
from lessons.models import Handoff, Process
from lessons.services import architecture
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.viewsets import ObjectViewSet

LINKS = ("process_areas", "assets", "measures")


class StandingSerializer(serializers.Serializer):
    defined = serializers.BooleanField(help_text="A defining asset has a released version.")
    released = serializers.ListField(
        child=serializers.CharField(), help_text="The released versions that define it."
    )
    projects = serializers.IntegerField(help_text="Projects where it is in use or verified.")
    units = serializers.IntegerField(help_text="The org units of those projects.")


class ProcessSerializer(ObjectSerializer):
    standing = serializers.SerializerMethodField()
    enterprise_wide = serializers.BooleanField(source="is_enterprise_wide", read_only=True)

    class Meta:
        model = Process
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ProcessForm.Meta.fields,
            "enterprise_wide",
            "standing",
        ]

    @extend_schema_field(StandingSerializer)
    def get_standing(self, obj: Process) -> dict[str, Any]:
        standings = self.context.get("standings")
        if standings is None or obj.pk not in standings:
            standings = architecture.standing([obj])
        found = standings[obj.pk]
        return {
            "defined": found.defined,
            "released": found.released,
            "projects": len(found.projects),
            "units": len(found.units),
        }


class ProcessSummarySerializer(ProcessSerializer):
    """A process in the list: without its process areas, assets and measures (read
    them on the record), with its standing."""

    class Meta(ProcessSerializer.Meta):
        fields = [f for f in ProcessSerializer.Meta.fields if f not in LINKS]


class ProcessViewSet(ObjectViewSet):
    queryset = Process.objects.select_related("owner", "owning_unit", "parent")
    serializer_class = ProcessSerializer
    filterset_class = filters.ProcessFilterSet
    ordering_fields = ["path", "name", "code", "kind"]
    ordering = ["path"]

    def get_serializer_class(self) -> type[ProcessSerializer]:
        return ProcessSummarySerializer if self.action == "list" else ProcessSerializer

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        return queryset if self.action == "list" else queryset.prefetch_related(*LINKS)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        rows = args[0] if args else None
        if kwargs.get("many") and rows is not None:
            rows = list(rows)
            args = (rows, *args[1:])
            context = kwargs.setdefault("context", self.get_serializer_context())
            context["standings"] = architecture.standing(rows)
        return super().get_serializer(*args, **kwargs)


class HandoffSerializer(ObjectSerializer):
    class Meta:
        model = Handoff
        fields = [*ObjectSerializer.Meta.fields, *forms.HandoffForm.Meta.fields]


class HandoffViewSet(ObjectViewSet):
    queryset = Handoff.objects.select_related("source", "target")
    serializer_class = HandoffSerializer
    filterset_class = filters.HandoffFilterSet
    ordering_fields = ["work_product"]
    ordering = ["source__path", "target__path", "pk"]
