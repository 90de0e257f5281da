"""REST endpoints of the improvement pipeline (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from opf.rest.serializers import ObjectSerializer
from opf.rest.viewsets import ObjectViewSet, transition_action

from . import filters, forms, services
from .models import Improvement, ImprovementScore, PrioritizationCriterion


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

    select = transition_action("select", services.improvement_select, ImprovementSerializer)
    defer = transition_action("defer", services.improvement_defer, ImprovementSerializer)
    reject = transition_action("reject", services.improvement_reject, ImprovementSerializer)
    reconsider = transition_action(
        "reconsider", services.improvement_reconsider, ImprovementSerializer
    )


def register(router: Any) -> None:
    router.register("improvements", ImprovementViewSet, basename="improvement")
    router.register(
        "prioritization-criteria",
        PrioritizationCriterionViewSet,
        basename="prioritization-criterion",
    )
