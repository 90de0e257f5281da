"""REST endpoints of SP 1.3 (``/api/v1/``): the prioritization criteria and the ranked
improvements, with their steps (select, defer, reject, reconsider)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from actions import filters, forms, services
from actions.models import (
    RANKING,
    CostRate,
    Improvement,
    ImprovementScore,
    PrioritizationCriterion,
)
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import step
from opf.core.rest.viewsets import ObjectViewSet


class PrioritizationCriterionSerializer(ObjectSerializer):
    class Meta:
        model = PrioritizationCriterion
        fields = [*ObjectSerializer.Meta.fields, *forms.PrioritizationCriterionForm.Meta.fields]


class CostRateSerializer(ObjectSerializer):
    class Meta:
        model = CostRate
        fields = [*ObjectSerializer.Meta.fields, *forms.CostRateForm.Meta.fields]


class BusinessCaseSerializer(serializers.Serializer):
    """Computed from the improvement's inputs at the current hourly rate."""

    hourly_rate = serializers.DecimalField(max_digits=8, decimal_places=2, source="rate")
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="estimated_hours x hourly_rate + other_cost"
    )
    annual_benefit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        help_text="benefit_money_per_year + benefit_hours_per_year x hourly_rate",
    )
    expected_return = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="annual_benefit - cost"
    )
    payback_months = serializers.DecimalField(
        max_digits=10, decimal_places=1, allow_null=True, help_text="cost / (annual_benefit / 12)"
    )
    ratio = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="annual_benefit / cost"
    )
    ratio_score = serializers.IntegerField(
        allow_null=True, help_text="The ratio as a 1-5 score (computed criteria)."
    )
    spent_hours = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    actual_cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Spent hours of the plans' items x hourly_rate; null before any plan.",
    )


class ImprovementScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImprovementScore
        fields = ["criterion", "value"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Propose an improvement from a weakness",
            request_only=True,
            value={
                "title": "Peer reviews for every estimate",
                "description": "Estimates are reviewed by a second engineer before commitment.",
                "process_areas": [7],
                "findings": [42],
                "owner": 5,
                "estimated_hours": "120.0",
                "benefit_money_per_year": "48000.00",
            },
        ),
        OpenApiExample(
            "An improvement",
            response_only=True,
            value={
                "id": 12,
                "url": "https://opf.example.org/api/v1/improvements/12/",
                "web_url": "https://opf.example.org/improvements/12/",
                "display": "Peer reviews for every estimate",
                "title": "Peer reviews for every estimate",
                "state": "candidate",
                "priority": 78,
                "findings": [42],
                "findings_refs": [
                    {
                        "id": 42,
                        "url": "https://opf.example.org/api/v1/findings/42/",
                        "display": "Estimates are not reviewed before commitment.",
                    }
                ],
                "owner": 5,
                "owner_ref": {
                    "id": 5,
                    "url": "https://opf.example.org/api/v1/users/5/",
                    "display": "Ann Lee",
                },
                "version": 3,
            },
        ),
    ]
)
class ImprovementSerializer(ObjectSerializer):
    priority = serializers.IntegerField(
        read_only=True, help_text="Derived from the scores and the business case; never written."
    )
    scores = ImprovementScoreSerializer(many=True, read_only=True)
    business_case = serializers.SerializerMethodField()
    objective_reached = serializers.ChoiceField(
        choices=Improvement._meta.get_field("objective_reached").choices,
        allow_blank=True,
        read_only=True,
        help_text="Answered when its plan completes; empty until then.",
    )

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
            "business_case",
            "objective_reached",
            "objective_note",
        ]
        read_only_fields = [
            "state",
            "rank_override",
            "rank_reason",
            "objective_reached",
            "objective_note",
        ]

    @extend_schema_field(BusinessCaseSerializer)
    def get_business_case(self, improvement: Improvement) -> dict[str, Any]:
        case = services.business_case_of(improvement)  # the viewset annotates rate and hours
        return dict(self._business_case.to_representation(case))

    @cached_property
    def _business_case(self) -> BusinessCaseSerializer:
        """One serializer for every row's case: building one (its fields) per row was
        a quarter of a page of 50."""
        return BusinessCaseSerializer()


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


class CostRateViewSet(ObjectViewSet):
    queryset = CostRate.objects.all()
    serializer_class = CostRateSerializer
    filterset_class = filters.CostRateFilterSet
    ordering = ["pk"]


class ImprovementViewSet(ObjectViewSet):
    """Ranked: manual ranks first, then by the weighted priority (``?ordering=-priority``)."""

    queryset = Improvement.objects.prefetch_related("process_areas", "scores").with_spent_hours()
    serializer_class = ImprovementSerializer
    filterset_class = filters.ImprovementFilterSet
    ordering_fields = ["priority", "rank_override", "title", "pk"]
    ordering = list(RANKING)  # the stored priority, through the index ``improvement_ranked``

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
