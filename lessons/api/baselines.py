"""REST endpoints of process-performance baselines (GP 4.1): ``baselines`` with the
steps freeze and revise and the judgement of the points after a frozen baseline, and
``baseline-exclusions``, the excluded points with their reasons."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import baseline_queries, filters, forms
from lessons import process_performance as rule
from lessons.models import BaselineExclusion, ProcessPerformanceBaseline
from lessons.services import baselines as baseline_services
from opf.core import spc
from opf.core.permissions import signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.preconditions import etag_for
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import REFUSED, TransitionRequestSerializer, step
from opf.core.rest.viewsets import ObjectViewSet
from opf.organization.models import Project

FIGURES = [
    "revision",
    "revised_from",
    "state",
    "frozen_at",
    "frozen_by",
    "centre",
    "mr_bar",
    "sigma",
    "upper_limit",
    "lower_limit",
    "point_count",
    "excluded_count",
]


def _choices(values: Any, what: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=values),
        required=False,
        help_text=f"The {what} of the mix; an empty list: any.",
    )


class StoredPointSerializer(serializers.Serializer):
    period = serializers.DateField()
    value = serializers.FloatField()
    projects = serializers.IntegerField(help_text="How many projects the month's mean is over.")


class ProcessPerformanceBaselineSerializer(ObjectSerializer):
    project_types = _choices(Project.ProjectType.choices, "project types")
    size_classes = _choices(Project.SizeClass.choices, "size classes")
    phases = _choices(Project.Phase.choices, "lifecycle phases (the projects' current one)")
    points = StoredPointSerializer(
        many=True, read_only=True, help_text="The points stored at freezing (empty in a draft)."
    )

    class Meta:
        model = ProcessPerformanceBaseline
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ProcessPerformanceBaselineForm.Meta.fields,
            *FIGURES,
            "points",
        ]
        read_only_fields = FIGURES


class BaselineExclusionSerializer(ObjectSerializer):
    class Meta:
        model = BaselineExclusion
        fields = [*ObjectSerializer.Meta.fields, *forms.BaselineExclusionForm.Meta.fields]


class BaselineJudgedPointSerializer(serializers.Serializer):
    period = serializers.DateField()
    value = serializers.FloatField()
    projects = serializers.IntegerField()
    part = serializers.ChoiceField(choices=["baseline", "after"])
    signals = serializers.ListField(child=serializers.CharField())


class CapabilitySerializer(serializers.Serializer):
    objective = serializers.IntegerField()
    lower_limit = serializers.FloatField(allow_null=True)
    upper_limit = serializers.FloatField(allow_null=True)
    points = serializers.IntegerField()
    within = serializers.IntegerField(help_text="Points within the specification limits.")
    share_within = serializers.FloatField(allow_null=True, help_text="within / points, 0 to 1.")
    cpk = serializers.FloatField(allow_null=True, help_text="Null where the data do not allow.")
    note = serializers.CharField(help_text="Why there is no Cpk, or empty.")


class BaselineJudgementSerializer(serializers.Serializer):
    baseline = serializers.IntegerField()
    frozen = serializers.BooleanField()
    centre = serializers.FloatField(allow_null=True)
    upper_limit = serializers.FloatField(allow_null=True)
    lower_limit = serializers.FloatField(allow_null=True)
    mean_moving_range = serializers.FloatField(allow_null=True)
    sigma = serializers.FloatField(allow_null=True)
    points = BaselineJudgedPointSerializer(many=True)
    capability = CapabilitySerializer(many=True)
    rule = serializers.CharField()
    error = serializers.CharField()


def judgement_data(baseline: ProcessPerformanceBaseline) -> dict[str, Any]:
    control = baseline_queries.baseline_control(baseline)
    xmr = control.chart
    rows = []
    for i, point in enumerate(control.points):
        signals = xmr.points[i].signals if xmr else []
        rows.append(
            {
                "period": point.period,
                "value": point.value,
                "projects": point.projects,
                "part": "baseline" if i < control.baseline_count else "after",
                "signals": [str(spc.SIGNAL_LABELS[s]) for s in signals],
            }
        )
    capability = []
    for row in baseline_queries.capabilities(baseline):
        found = row.capability
        if found is None:
            continue
        capability.append(
            {
                "objective": row.objective.pk,
                "lower_limit": found.lower,
                "upper_limit": found.upper,
                "points": found.points,
                "within": found.within,
                "share_within": found.share,
                "cpk": found.cpk,
                "note": found.note,
            }
        )
    return {
        "baseline": baseline.pk,
        "frozen": baseline.is_frozen,
        "centre": xmr.centre if xmr else None,
        "upper_limit": xmr.ucl if xmr else None,
        "lower_limit": xmr.lcl if xmr else None,
        "mean_moving_range": xmr.mr_bar if xmr else None,
        "sigma": xmr.sigma if xmr else None,
        "points": rows,
        "capability": capability,
        "rule": rule.rule_text(),
        "error": control.error,
    }


class ProcessPerformanceBaselineViewSet(ObjectViewSet):
    queryset = ProcessPerformanceBaseline.objects.select_related("measure", "org_unit")
    serializer_class = ProcessPerformanceBaselineSerializer
    filterset_class = filters.ProcessPerformanceBaselineFilterSet
    ordering_fields = ["name", "revision", "period_start", "pk"]
    ordering = ["measure__name", "name", "-revision"]

    @step(
        ProcessPerformanceBaselineSerializer,
        "Freeze the draft: its points and figures (centre, natural process limits, mean "
        "moving range, sigma) are computed from today's data and stored, and it is locked; "
        f"at least {rule.MIN_POINTS} points are needed. The revision it was made from is "
        "superseded.",
    )
    def freeze(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, baseline_services.baseline_freeze)

    @extend_schema(
        request=TransitionRequestSerializer,
        responses={201: ProcessPerformanceBaselineSerializer, 409: REFUSED},
        description="A new draft revision of a frozen baseline (the latest revision only), "
        "with its selection, period and excluded points; answered with the new revision.",
    )
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: Any = None) -> Response:
        baseline = self.get_object()
        with self.unchanged_since_read(request, baseline):
            payload = TransitionRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            revision = baseline_services.baseline_revise(
                baseline, actor=signed_in_user(request), reason=payload.validated_data["reason"]
            )
        response = Response(self.get_serializer(revision).data, status=201)
        response["ETag"] = etag_for(revision)
        return response

    set_required_action(revise, "add")

    @extend_schema(
        responses={
            200: BaselineJudgementSerializer,
            404: OpenApiResponse(description="No such baseline."),
        },
        description="The baseline's points (a frozen one's stored points, a draft's from "
        "today's data) and, for a frozen one, the mix's points after its period judged "
        "against its limits (beyond a limit, a run of eight on one side), with capability "
        "against each of the measure's objectives.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def judgement(self, request: Request, pk: Any = None) -> Response:
        return Response(BaselineJudgementSerializer(judgement_data(self.get_object())).data)


class BaselineExclusionViewSet(ObjectViewSet):
    queryset = BaselineExclusion.objects.select_related("baseline", "project")
    serializer_class = BaselineExclusionSerializer
    filterset_class = filters.BaselineExclusionFilterSet
    ordering_fields = ["period", "pk"]
    ordering = ["baseline", "period", "pk"]
