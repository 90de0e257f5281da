"""REST endpoints of pilots (SP 2.3, ``/api/v1/``): planned → running → evaluated →
decided, their success criteria and the results recorded against them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions import evaluation, filters, forms, services
from actions.api.plans import REFUSED, form_fields
from actions.models import Pilot, SuccessCriterion
from opf.core.permissions import can, check_step_permission, signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import step
from opf.core.rest.viewsets import ObjectViewSet

OUTCOME = serializers.ChoiceField(
    choices=[(o.value, str(o.label)) for o in evaluation.Outcome],
    help_text="met, not_met or not_measured (no result yet).",
)


class SuccessCriterionSerializer(ObjectSerializer):
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = SuccessCriterion
        fields = form_fields(forms.SuccessCriterionForm, "result", "outcome")
        read_only_fields = ["result"]

    @extend_schema_field(OUTCOME)
    def get_outcome(self, criterion: SuccessCriterion) -> str:
        outcome = evaluation.evaluate_criterion(
            criterion.comparator, criterion.target, criterion.result
        )
        return outcome.value


class PilotSerializer(ObjectSerializer):
    outcome = serializers.SerializerMethodField()
    # Plain text here: the enum is documented once, on ``decide``.
    decision = serializers.CharField(
        read_only=True, help_text="adopt, adapt or abandon; empty until decided."
    )

    class Meta:
        model = Pilot
        fields = form_fields(
            forms.PilotForm,
            "state",
            "decision",
            "rationale",
            "decided_at",
            "changes",
            "override_reason",
            "outcome",
        )
        read_only_fields = [
            "state",
            "decision",
            "rationale",
            "decided_at",
            "changes",
            "override_reason",
        ]

    @extend_schema_field(OUTCOME)
    def get_outcome(self, pilot: Pilot) -> str:
        """Met when every criterion is met (see success-criteria)."""
        return evaluation.evaluate(pilot.criteria.all())[1].value


class ResultSerializer(serializers.Serializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=SuccessCriterion.objects.all())
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class RecordResultsSerializer(serializers.Serializer):
    results = ResultSerializer(many=True, allow_empty=False)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Pilot.Decision.choices)
    rationale = serializers.CharField(max_length=4000)
    changes = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to adapt: what changes before the rollout.",
    )
    override_reason = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Executives only: adopt although not every criterion is measured and met.",
    )


class PilotViewSet(ObjectViewSet):
    """planned → running → evaluated → decided (adopt / adapt / abandon)."""

    queryset = Pilot.objects.select_related("action_plan").prefetch_related("projects", "criteria")
    serializer_class = PilotSerializer
    filterset_class = filters.PilotFilterSet
    ordering = ["-pk"]

    @step(PilotSerializer)
    def start(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.pilot_start)

    @step(PilotSerializer)
    def evaluate(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.pilot_evaluate)

    @extend_schema(
        request=RecordResultsSerializer,
        responses={200: PilotSerializer, 409: REFUSED},
        description="Record a result per success criterion: [{criterion, value}].",
    )
    @action(detail=True, methods=["post"], url_path="record-results", url_name="record_results")
    def record_results(self, request: Request, pk: Any = None) -> Response:
        pilot = self.get_object()
        if not can(request.user, "change", pilot):
            raise PermissionDenied
        with self.unchanged_since_read(request, pilot):
            payload = RecordResultsSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            results = [(r["criterion"], r["value"]) for r in payload.validated_data["results"]]
            user = signed_in_user(request)
            services.pilot_record_results(pilot, results=results, actor=user)
        return Response(self.get_serializer(self.get_object()).data)

    set_required_action(record_results, "view")

    @extend_schema(
        request=DecideSerializer,
        responses={200: PilotSerializer, 409: REFUSED},
        description="Decide an evaluated pilot: adopt, adapt or abandon, with the rationale. "
        "Adopt needs every success criterion measured and met (else 409), or an executive's "
        "override_reason; adapt needs changes.",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        pilot = self.get_object()
        user = signed_in_user(request)
        check_step_permission(user, pilot, "decide")  # executives: adopt-override
        with self.unchanged_since_read(request, pilot):
            payload = DecideSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            services.pilot_decide(
                pilot,
                decision=data["decision"],
                rationale=data["rationale"],
                changes=data["changes"],
                override_reason=data["override_reason"],
                actor=user,
            )
        return Response(self.get_serializer(self.get_object()).data)

    set_required_action(decide, "view")

    @step(
        PilotSerializer,
        "Executives: adopt an evaluated pilot although not every criterion is measured and "
        "met; the reason (required) is the override's. Same as decide with override_reason.",
    )
    def adopt_override(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.pilot_adopt_override)


class SuccessCriterionViewSet(ObjectViewSet):
    queryset = SuccessCriterion.objects.select_related("pilot")
    serializer_class = SuccessCriterionSerializer
    filterset_class = filters.SuccessCriterionFilterSet
    ordering = ["pilot", "pk"]
