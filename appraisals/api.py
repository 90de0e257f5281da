"""REST endpoints of needs and appraisals (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from appraisals import filters, forms, method, queries, services
from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    GoalRating,
    LeadAppraiserQualification,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
    Recommendation,
)
from opf.core.permissions import signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import DetailSerializer, step
from opf.core.rest.viewsets import ObjectViewSet, ReadOnlyObjectViewSet
from opf.core.versioning import ensure_parent_mutable


class ProcessNeedSerializer(ObjectSerializer):
    class Meta:
        model = ProcessNeed
        fields = [*ObjectSerializer.Meta.fields, *forms.ProcessNeedForm.Meta.fields, "state"]
        read_only_fields = ["state"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Plan a SCAMPI A appraisal",
            request_only=True,
            value={
                "title": "Payments division, maturity level 3",
                "method": "scampi_a",
                "reference_model": 1,
                "process_areas": [3, 7, 11],
                "org_units": [2],
                "sponsor": 4,
                "lead_appraiser": 9,
                "team": [9, 10],
                "planned_start": "2026-09-07",
                "planned_end": "2026-09-18",
            },
        ),
        OpenApiExample(
            "An appraisal",
            response_only=True,
            value={
                "id": 8,
                "url": "https://opf.example.org/api/v1/appraisals/8/",
                "web_url": "https://opf.example.org/appraisals/8/",
                "display": "Payments division, maturity level 3",
                "title": "Payments division, maturity level 3",
                "method": "scampi_a",
                "state": "planned",
                "planned_start": "2026-09-07",
                "planned_end": "2026-09-18",
                "version": 1,
            },
        ),
    ]
)
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


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Record a weakness",
            request_only=True,
            value={
                "appraisal": 8,
                "process_area": 7,
                "practice": 31,
                "project": 14,
                "kind": "weakness",
                "severity": "high",
                "statement": "Estimates are not reviewed before the project commits to them.",
                "evidence": "Three of four sampled plans lack a review record.",
            },
        ),
        OpenApiExample(
            "A finding",
            response_only=True,
            value={
                "id": 42,
                "url": "https://opf.example.org/api/v1/findings/42/",
                "web_url": "https://opf.example.org/findings/42/",
                "display": "Estimates are not reviewed before the project commits to them.",
                "appraisal": 8,
                "appraisal_ref": {
                    "id": 8,
                    "url": "https://opf.example.org/api/v1/appraisals/8/",
                    "display": "Payments division, maturity level 3",
                },
                "kind": "weakness",
                "severity": "high",
                "version": 2,
            },
        ),
    ]
)
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
            "carried_over",
            "archived_at",
            "archived_by",
        ]
        read_only_fields = ["carried_over"]


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
            "carried_over",
        ]
        read_only_fields = ["carried_over"]


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


class GoalRatingSerializer(ObjectSerializer):
    """A goal's rating for one org unit: proposed by the goal rule, judged by the team
    (``POST {id}/judge/``); ``effective`` is the value its process area uses."""

    proposed = serializers.CharField(
        read_only=True, help_text="satisfied, not_satisfied or not_rated (the goal rule)."
    )
    allowed = serializers.CharField(
        read_only=True,
        help_text="What the goal's practices allow: satisfied only when all are FI or LI.",
    )
    value = serializers.CharField(
        read_only=True, help_text="The team's judgment (satisfied or not_satisfied), or empty."
    )
    judged = serializers.BooleanField(read_only=True)
    departs = serializers.BooleanField(read_only=True)
    effective = serializers.CharField(
        read_only=True, help_text="The judgment where it applies, else the proposal."
    )

    class Meta:
        model = GoalRating
        fields = [
            *ObjectSerializer.Meta.fields,
            "appraisal",
            "goal",
            "org_unit",
            "proposed",
            "allowed",
            "value",
            "judged",
            "departs",
            "effective",
            "reason",
            "judged_by",
        ]
        read_only_fields = fields


class GoalJudgmentSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[(v, v) for v in (method.SATISFIED, method.NOT_SATISFIED)]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class UnitValueSerializer(serializers.Serializer):
    """One practice's organizational-unit characterization (the aggregation rule)."""

    practice = serializers.IntegerField()
    org_unit = serializers.IntegerField()
    value = serializers.CharField(allow_null=True, help_text="FI, LI, PI, NI, or null.")


class ProfileRowSerializer(serializers.Serializer):
    """One process area at one org unit in an indicative profile (not a rating)."""

    org_unit = serializers.IntegerField(source="org_unit.pk")
    process_area = serializers.IntegerField(source="process_area.pk")
    fi = serializers.IntegerField(help_text="Practices FI at unit level.")
    li = serializers.IntegerField(help_text="Practices LI at unit level.")
    pi = serializers.IntegerField(help_text="Practices PI at unit level.")
    ni = serializers.IntegerField(help_text="Practices NI at unit level.")
    undetermined = serializers.IntegerField(help_text="Practices with no unit value yet.")
    indication = serializers.ChoiceField(
        choices=[(k, str(v)) for k, v in method.INDICATIONS.items()],
        help_text="no_gap (all FI or LI), gaps (a PI or NI), incomplete (otherwise).",
    )


UNIT_VALUES = ", ".join(PracticeCharacterization.Value.values)


class PracticeCharacterizationSerializer(ObjectSerializer):
    """A practice's organizational-unit characterization: proposed by the aggregation
    rule, confirmed by the team (``POST {id}/confirm/``)."""

    confirmed = serializers.BooleanField(read_only=True)
    departs = serializers.BooleanField(read_only=True)
    proposed = serializers.CharField(
        read_only=True, help_text=f"One of {UNIT_VALUES}, or empty: not determined."
    )
    value = serializers.CharField(
        read_only=True, help_text=f"The team's confirmed value (one of {UNIT_VALUES}), or empty."
    )

    class Meta:
        model = PracticeCharacterization
        fields = [
            *ObjectSerializer.Meta.fields,
            "appraisal",
            "practice",
            "org_unit",
            "proposed",
            "value",
            "confirmed",
            "departs",
            "reason",
            "confirmed_by",
        ]
        read_only_fields = fields


class UnitCharacterizationConfirmSerializer(serializers.Serializer):
    value = serializers.ChoiceField(choices=PracticeCharacterization.Value.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class FindingsValidationSerializer(ObjectSerializer):
    class Meta:
        model = FindingsValidation
        fields = [*ObjectSerializer.Meta.fields, *forms.FindingsValidationForm.Meta.fields]


class FindingFeedbackSerializer(ObjectSerializer):
    class Meta:
        model = FindingFeedback
        fields = [*ObjectSerializer.Meta.fields, *forms.FindingFeedbackForm.Meta.fields]


class LeadAppraiserQualificationSerializer(ObjectSerializer):
    class Meta:
        model = LeadAppraiserQualification
        fields = [*ObjectSerializer.Meta.fields, *forms.LeadAppraiserQualificationForm.Meta.fields]


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
        """A new planned appraisal with this one's scope and team (as you read it:
        If-Match or ``version``)."""
        appraisal = self.get_object()
        with self.unchanged_since_read(request, appraisal):
            copy = services.appraisal_copy(appraisal, actor=signed_in_user(request))
        return Response(self.get_serializer(copy).data, status=201)

    set_required_action(copy, "add")

    @extend_schema(responses=UnitValueSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="practice-characterizations",
        pagination_class=None,
        filter_backends=[],
    )
    def practice_characterizations(self, request: Request, pk: Any = None) -> Response:
        """Each in-scope practice's organizational-unit characterization, aggregated from
        its instances by the method's rule (NY instances left out)."""
        proposals = queries.rating_proposals_in_full(self.get_object())
        rows = [
            {"practice": practice, "org_unit": unit, "value": value}
            for (practice, unit), value in sorted(proposals.practices.items())
        ]
        return Response(UnitValueSerializer(rows, many=True).data)

    @extend_schema(responses=ProfileRowSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="indicative-profile",
        pagination_class=None,
        filter_backends=[],
    )
    def indicative_profile(self, request: Request, pk: Any = None) -> Response:
        """A Class B or C appraisal's (gap analysis', self-assessment's) indicative
        profile: per org unit and process area, its staged practices counted by their
        unit-level characterization, and an indication (no_gap, gaps, incomplete). Not
        a rating; empty for a Class A appraisal, which rates instead."""
        rows = queries.indicative_profile(self.get_object())
        return Response(ProfileRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: PracticeCharacterizationSerializer(many=True)})
    @action(
        detail=True,
        methods=["post"],
        url_path="refresh-unit-characterizations",
        pagination_class=None,  # every row at once, a plain list
    )
    def refresh_unit_characterizations(self, request: Request, pk: Any = None) -> Response:
        """The team recomputes the proposed unit characterizations (the aggregation
        rule, NY instances left out); confirmations that departed with a reason stay."""
        appraisal = self.get_object()
        with self.unchanged_since_read(request, appraisal):
            rows = services.unit_characterizations_propose(appraisal, actor=signed_in_user(request))
        return Response(
            PracticeCharacterizationSerializer(rows, many=True, context={"request": request}).data
        )

    set_required_action(refresh_unit_characterizations, "view")

    @extend_schema(
        request=None,
        responses={
            200: RatingSerializer(many=True),
            409: OpenApiResponse(DetailSerializer, description=str(method.CLASS_RULE)),
        },
    )
    @action(detail=True, methods=["post"], url_path="refresh-ratings", pagination_class=None)
    def refresh_ratings(self, request: Request, pk: Any = None) -> Response:
        """The lead appraiser recomputes the goal and area proposals (Class A only)."""
        appraisal = self.get_object()
        with self.unchanged_since_read(request, appraisal):
            ratings = services.ratings_propose(appraisal, actor=signed_in_user(request))
        return Response(RatingSerializer(ratings, many=True, context={"request": request}).data)

    set_required_action(refresh_ratings, "view")


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
        """The appraisal's lead appraiser confirms the proposed rating, or overrides it
        (a reason is required). 409 for a class that does not rate (only Class A rates)."""
        rating = self.get_object()
        with self.unchanged_since_read(request, rating):
            payload = RatingConfirmSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.rating_confirm(rating, actor=signed_in_user(request), **payload.validated_data)
        rating.refresh_from_db()
        return Response(self.get_serializer(rating).data)

    set_required_action(confirm, "change")


class GoalRatingViewSet(ReadOnlyObjectViewSet):
    """Goal ratings proposed from the unit-level characterizations and the weaknesses,
    judged by the appraisal team (SCAMPI A v1.2, 2.6.1)."""

    queryset = GoalRating.objects.select_related("appraisal", "goal", "org_unit")
    serializer_class = GoalRatingSerializer
    filterset_class = filters.GoalRatingFilterSet
    ordering_fields = ["pk"]
    ordering = ["appraisal", "org_unit", "goal"]

    @extend_schema(
        request=GoalJudgmentSerializer,
        responses={
            200: GoalRatingSerializer,
            415: OpenApiResponse(DetailSerializer, description="Unsupported body type."),
        },
    )
    @action(detail=True, methods=["post"])
    def judge(self, request: Request, pk: Any = None) -> Response:
        """A team member records the team's judgment of the goal: satisfied only where
        every practice is FI or LI, a reason when departing from the proposal (400
        otherwise); 409 for a class that does not rate or once the appraisal is closed."""
        row = self.get_object()
        ensure_parent_mutable(row)  # a closed appraisal refuses (409) before validation
        with self.unchanged_since_read(request, row):
            payload = GoalJudgmentSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.goal_judge(row, actor=signed_in_user(request), **payload.validated_data)
        row.refresh_from_db()
        return Response(self.get_serializer(row).data)

    set_required_action(judge, "change")


class PracticeCharacterizationViewSet(ReadOnlyObjectViewSet):
    """Unit-level characterizations (SCAMPI A v1.2, 2.4.2): proposed by the
    aggregation rule, confirmed by the appraisal team."""

    queryset = PracticeCharacterization.objects.select_related("appraisal", "practice", "org_unit")
    serializer_class = PracticeCharacterizationSerializer
    filterset_class = filters.PracticeCharacterizationFilterSet
    ordering_fields = ["pk"]
    ordering = ["appraisal", "org_unit", "practice"]

    @extend_schema(
        request=UnitCharacterizationConfirmSerializer,
        responses={
            200: PracticeCharacterizationSerializer,
            415: OpenApiResponse(DetailSerializer, description="Unsupported body type."),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """A team member confirms the proposed value, or another with a reason
        (400 without one); 409 once the appraisal is closed."""
        row = self.get_object()
        ensure_parent_mutable(row)  # a closed appraisal refuses (409) before validation
        with self.unchanged_since_read(request, row):
            payload = UnitCharacterizationConfirmSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.unit_characterization_confirm(
                row, actor=signed_in_user(request), **payload.validated_data
            )
        row.refresh_from_db()
        return Response(self.get_serializer(row).data)

    set_required_action(confirm, "change")


class FindingsValidationViewSet(ObjectViewSet):
    """Sessions where the preliminary findings were presented (SCAMPI A v1.2, 2.5)."""

    queryset = FindingsValidation.objects.select_related("appraisal").prefetch_related(
        "participants"
    )
    serializer_class = FindingsValidationSerializer
    filterset_class = filters.FindingsValidationFilterSet
    ordering_fields = ["pk", "held_on"]
    ordering = ["appraisal", "held_on", "pk"]


class FindingFeedbackViewSet(ObjectViewSet):
    """Participants' feedback per preliminary finding; a Class A appraisal delivers its
    final findings once there is feedback and every disagreement is resolved."""

    queryset = FindingFeedback.objects.select_related(
        "appraisal", "validation", "finding", "participant"
    )
    serializer_class = FindingFeedbackSerializer
    filterset_class = filters.FindingFeedbackFilterSet
    ordering_fields = ["pk"]
    ordering = ["appraisal", "validation", "finding", "pk"]


class LeadAppraiserQualificationViewSet(ObjectViewSet):
    """Who is a qualified lead appraiser (certificate and expiry): an appraisal's lead
    must hold one valid on its planned dates."""

    queryset = LeadAppraiserQualification.objects.select_related("person")
    serializer_class = LeadAppraiserQualificationSerializer
    filterset_class = filters.LeadAppraiserQualificationFilterSet
    ordering_fields = ["pk", "expires_on"]
    ordering = ["pk"]


def register(router: Any) -> None:
    router.register("process-needs", ProcessNeedViewSet, basename="process-need")
    router.register("appraisals", AppraisalViewSet, basename="appraisal")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("evidence", EvidenceViewSet, basename="evidence")
    router.register("characterizations", CharacterizationViewSet, basename="characterization")
    router.register("ratings", RatingViewSet, basename="rating")
    router.register("goal-ratings", GoalRatingViewSet, basename="goal-rating")
    router.register(
        "practice-characterizations",
        PracticeCharacterizationViewSet,
        basename="practice-characterization",
    )
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
    router.register(
        "findings-validations", FindingsValidationViewSet, basename="findings-validation"
    )
    router.register("finding-feedback", FindingFeedbackViewSet, basename="finding-feedback")
    router.register(
        "lead-appraiser-qualifications",
        LeadAppraiserQualificationViewSet,
        basename="lead-appraiser-qualification",
    )
