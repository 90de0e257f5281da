"""REST endpoints of needs and appraisals (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from appraisals import filters, forms, services
from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    ProcessNeed,
    Rating,
    Recommendation,
)
from opf.core.permissions import signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import DetailSerializer, step
from opf.core.rest.viewsets import ObjectViewSet, ReadOnlyObjectViewSet


class ProcessNeedSerializer(ObjectSerializer):
    class Meta:
        model = ProcessNeed
        fields = [*ObjectSerializer.Meta.fields, *forms.ProcessNeedForm.Meta.fields, "state"]
        read_only_fields = ["state"]


class AppraisalSerializer(ObjectSerializer):
    class Meta:
        model = Appraisal
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.AppraisalForm.Meta.fields,
            "state",
            "actual_start",
            "actual_end",
            "previous",
            "archived_at",
            "archived_by",
        ]
        read_only_fields = ["state", "actual_start", "actual_end", "previous"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        return {**attrs, **services.check_scope_and_team(self.instance, attrs)}


class AppraisalSummarySerializer(AppraisalSerializer):
    """The list: scope and team are read on one appraisal (``/appraisals/{id}/``)."""

    # Plain text here: the enum is documented once, on ``Appraisal``.
    state = serializers.CharField(read_only=True, help_text="See Appraisal.state.")

    class Meta(AppraisalSerializer.Meta):
        fields = [
            f
            for f in AppraisalSerializer.Meta.fields
            if f not in ("org_units", "projects", "process_areas", "team")
        ]


class FindingSerializer(ObjectSerializer):
    class Meta:
        model = Finding
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.FindingForm.Meta.fields,
            "archived_at",
            "archived_by",
        ]


class EvidenceSerializer(ObjectSerializer):
    class Meta:
        model = Evidence
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.EvidenceForm.Meta.fields,
            "archived_at",
            "archived_by",
        ]


class CharacterizationSerializer(ObjectSerializer):
    class Meta:
        model = Characterization
        fields = [
            *ObjectSerializer.Meta.fields,
            "appraisal",
            "practice",
            "org_unit",
            "project",
            "value",
            "note",
        ]


RATING_VALUES = ", ".join(Rating.Value.values)


class RatingSerializer(ObjectSerializer):
    confirmed = serializers.BooleanField(read_only=True)
    # Plain text: the choice set is documented once, on the confirm request.
    proposed = serializers.CharField(read_only=True, help_text=f"One of {RATING_VALUES}.")
    value = serializers.CharField(
        read_only=True, help_text=f"The confirmed rating (one of {RATING_VALUES}), or empty."
    )

    class Meta:
        model = Rating
        fields = [
            *ObjectSerializer.Meta.fields,
            "appraisal",
            "process_area",
            "org_unit",
            "proposed",
            "value",
            "confirmed",
            "confirmed_by",
            "override_reason",
        ]
        read_only_fields = fields


class RecommendationSerializer(ObjectSerializer):
    class Meta:
        model = Recommendation
        fields = [*ObjectSerializer.Meta.fields, *forms.RecommendationForm.Meta.fields]


class RatingConfirmSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=Rating.Value.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ProcessNeedViewSet(ObjectViewSet):
    """Needs are retired (``POST {id}/retire/``), never deleted."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = ProcessNeed.objects.select_related("owner")
    serializer_class = ProcessNeedSerializer
    filterset_class = filters.ProcessNeedFilterSet
    ordering_fields = ["priority", "kind", "pk"]
    ordering = ["priority", "pk"]

    @step(ProcessNeedSerializer)
    def retire(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.need_retire)

    @step(ProcessNeedSerializer)
    def reactivate(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.need_reactivate)


class AppraisalViewSet(ObjectViewSet):
    queryset = Appraisal.objects.select_related("reference_model", "sponsor", "lead_appraiser")
    serializer_class = AppraisalSerializer
    filterset_class = filters.AppraisalFilterSet
    ordering_fields = ["planned_start", "title", "state"]
    ordering = ["-planned_start", "-pk"]

    def get_serializer_class(self) -> type[AppraisalSerializer]:
        return AppraisalSummarySerializer if self.action == "list" else AppraisalSerializer

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related("org_units", "projects", "process_areas", "team")

    @step(AppraisalSerializer)
    def schedule(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.appraisal_schedule)

    @step(AppraisalSerializer)
    def start(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.appraisal_start)

    @step(AppraisalSerializer)
    def deliver(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.appraisal_deliver)

    @step(AppraisalSerializer)
    def close(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.appraisal_close)

    @step(AppraisalSerializer)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.appraisal_cancel)

    @step(
        AppraisalSerializer,
        "Reopen a closed appraisal (the lead appraiser or the process group; reason required).",
    )
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.appraisal_reopen)

    @extend_schema(request=None, responses={201: AppraisalSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: Any = None) -> Response:
        """A new planned appraisal with this one's scope and team."""
        copy = services.appraisal_copy(self.get_object(), actor=signed_in_user(request))
        return Response(self.get_serializer(copy).data, status=201)

    set_required_action(copy, "add")


class FindingViewSet(ObjectViewSet):
    queryset = Finding.objects.select_related("appraisal")
    serializer_class = FindingSerializer
    filterset_class = filters.FindingFilterSet
    ordering_fields = ["pk", "severity", "kind"]
    ordering = ["appraisal", "pk"]


class EvidenceViewSet(ObjectViewSet):
    queryset = Evidence.objects.select_related("appraisal").prefetch_related("practices")
    serializer_class = EvidenceSerializer
    filterset_class = filters.EvidenceFilterSet
    ordering_fields = ["pk", "title"]
    ordering = ["appraisal", "pk"]


class CharacterizationViewSet(ObjectViewSet):
    queryset = Characterization.objects.select_related(
        "appraisal", "practice", "org_unit", "project"
    )
    serializer_class = CharacterizationSerializer
    filterset_class = filters.CharacterizationFilterSet
    ordering_fields = ["pk"]
    ordering = ["appraisal", "practice", "pk"]


class RecommendationViewSet(ObjectViewSet):
    queryset = Recommendation.objects.select_related("appraisal")
    serializer_class = RecommendationSerializer
    filterset_class = filters.RecommendationFilterSet
    ordering_fields = ["pk", "priority"]
    ordering = ["appraisal", "priority", "pk"]


class RatingViewSet(ReadOnlyObjectViewSet):
    """Proposed from the characterizations; the lead appraiser confirms or overrides."""

    queryset = Rating.objects.select_related("appraisal", "process_area", "org_unit")
    serializer_class = RatingSerializer
    filterset_class = filters.RatingFilterSet
    ordering_fields = ["pk"]
    ordering = ["appraisal", "org_unit", "process_area"]

    @extend_schema(
        request=RatingConfirmSerializer,
        responses={
            200: RatingSerializer,
            415: OpenApiResponse(DetailSerializer, description="Unsupported body type."),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """Confirm the proposed rating, or override it (a reason is required)."""
        payload = RatingConfirmSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        rating = self.get_object()
        services.rating_confirm(rating, actor=signed_in_user(request), **payload.validated_data)
        rating.refresh_from_db()
        return Response(self.get_serializer(rating).data)

    set_required_action(confirm, "change")


def register(router: Any) -> None:
    router.register("process-needs", ProcessNeedViewSet, basename="process-need")
    router.register("appraisals", AppraisalViewSet, basename="appraisal")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("evidence", EvidenceViewSet, basename="evidence")
    router.register("characterizations", CharacterizationViewSet, basename="characterization")
    router.register("ratings", RatingViewSet, basename="rating")
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
