"""REST endpoints of SP 1.3 (``/api/v1/``): the prioritization criteria and the ranked
improvements, with their steps (select, defer, reject, reconsider)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from actions import filters, forms, services
from actions.models import Improvement, ImprovementScore, PrioritizationCriterion
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import step
from opf.core.rest.viewsets import ObjectViewSet


class PrioritizationCriterionSerializer(ObjectSerializer):
    class Meta:
        model = PrioritizationCriterion
        fields = [*ObjectSerializer.Meta.fields, *forms.PrioritizationCriterionForm.Meta.fields]


class ImprovementScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImprovementScore
        fields = ["criterion", "value"]


class ImprovementSerializer(ObjectSerializer):
    priority = serializers.IntegerField(read_only=True, default=0)
    scores = ImprovementScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Improvement
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ImprovementForm.Meta.fields,
            "state",
            "priority",
            "rank_override",
            "rank_reason",
            "scores",
        ]
        read_only_fields = ["state", "rank_override", "rank_reason"]


class ImprovementSummarySerializer(ImprovementSerializer):
    """The ranked list: sources are read on one improvement (``/improvements/{id}/``)."""

    # Plain text here: the enum is documented once, on ``Improvement``.
    state = serializers.CharField(read_only=True, help_text="See Improvement.state.")

    class Meta(ImprovementSerializer.Meta):
        fields = [f for f in ImprovementSerializer.Meta.fields if f not in ("findings", "needs")]


class PrioritizationCriterionViewSet(ObjectViewSet):
    queryset = PrioritizationCriterion.objects.all()
    serializer_class = PrioritizationCriterionSerializer
    filterset_class = filters.PrioritizationCriterionFilterSet
    ordering_fields = ["order", "name", "weight"]
    ordering = ["order", "name"]


class ImprovementViewSet(ObjectViewSet):
    """Ranked: manual ranks first, then by the weighted priority (``?ordering=-priority``)."""

    queryset = Improvement.objects.prefetch_related("process_areas", "scores").with_priority()
    serializer_class = ImprovementSerializer
    filterset_class = filters.ImprovementFilterSet
    ordering_fields = ["priority", "rank_override", "title", "pk"]
    ordering = ["pinned", "rank_override", "-priority", "pk"]

    def get_serializer_class(self) -> type[ImprovementSerializer]:
        return ImprovementSummarySerializer if self.action == "list" else ImprovementSerializer

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related("findings", "needs")

    @step(ImprovementSerializer)
    def select(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_select)

    @step(ImprovementSerializer)
    def defer(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_defer)

    @step(ImprovementSerializer)
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_reject)

    @step(ImprovementSerializer)
    def reconsider(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_reconsider)
