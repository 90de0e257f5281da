"""REST endpoint of an improvement's measured effect
(``GET /api/v1/improvements/{id}/effect/``; the rule: ``lessons.measured_effect``)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions.models import Improvement
from lessons import effect_queries
from lessons import measured_effect as rule
from opf.core.permissions import restrict
from opf.core.rest.steps import DetailSerializer
from opf.core.rest.viewsets import ApiViewMixin

VERDICT_CHOICES = [(key, str(label)) for key, label in rule.VERDICTS.items()]


class EffectPointSerializer(serializers.Serializer):
    period = serializers.DateField(help_text="The month (its first day).")
    value = serializers.FloatField()
    signal = serializers.ChoiceField(
        choices=[("better", "better"), ("worse", "worse")],
        allow_null=True,
        help_text="A signal of a shift in the better or worse direction (after points only).",
    )


class JudgementSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    reason = serializers.CharField()
    centre = serializers.FloatField(allow_null=True, help_text="The baseline's mean.")
    mean_moving_range = serializers.FloatField(allow_null=True)
    upper_limit = serializers.FloatField(allow_null=True)
    lower_limit = serializers.FloatField(allow_null=True)
    after_mean = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True, help_text="After mean - baseline mean.")
    baseline = EffectPointSerializer(many=True)
    after = EffectPointSerializer(many=True)


class ProjectEffectSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    project_name = serializers.CharField()
    in_use_since = serializers.DateField()
    judgement = JudgementSerializer()


class EffectSerializer(serializers.Serializer):
    improvement = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=VERDICT_CHOICES)
    reason = serializers.CharField()
    rule = serializers.CharField(help_text="The rule, in words, with the settings in force.")
    measure = serializers.IntegerField(allow_null=True)
    lower_is_better = serializers.BooleanField()
    case_baseline = serializers.FloatField(allow_null=True)
    case_target = serializers.FloatField(allow_null=True)
    share_of_planned = serializers.FloatField(
        allow_null=True, help_text="The measured change as a % of the business case's."
    )
    target_reached = serializers.BooleanField(allow_null=True)
    first_deployed = serializers.DateField(allow_null=True)
    baseline_start = serializers.DateField(allow_null=True)
    baseline_end = serializers.DateField(allow_null=True, help_text="The first month after it.")
    across = JudgementSerializer(allow_null=True, help_text="The monthly means of the projects.")
    projects = ProjectEffectSerializer(many=True)


def _points(points: list[Any], better: list[int], worse: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "period": period,
            "value": value,
            "signal": "better" if i in better else "worse" if i in worse else None,
        }
        for i, (period, value) in enumerate(points)
    ]


def judgement_data(j: rule.Judgement) -> dict[str, Any]:
    return {
        "verdict": j.verdict,
        "reason": j.reason,
        "centre": j.centre,
        "mean_moving_range": j.mr_bar,
        "upper_limit": j.ucl,
        "lower_limit": j.lcl,
        "after_mean": j.after_mean,
        "change": j.change,
        "baseline": _points(j.baseline, [], []),
        "after": _points(j.after, j.better, j.worse),
    }


def effect_data(effect: effect_queries.Effect) -> dict[str, Any]:
    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    return {
        "improvement": effect.improvement_id,
        "verdict": effect.verdict,
        "reason": effect.explanation,
        "rule": effect_queries.rule_text(),
        "measure": effect.measure.pk if effect.measure else None,
        "lower_is_better": effect.lower_is_better,
        "case_baseline": number(effect.case_baseline),
        "case_target": number(effect.case_target),
        "share_of_planned": effect.share_of_planned,
        "target_reached": effect.target_reached,
        "first_deployed": effect.first_deployed,
        "baseline_start": effect.baseline_start,
        "baseline_end": effect.baseline_end,
        "across": judgement_data(effect.across) if effect.across else None,
        "projects": [
            {
                "project": p.project_id,
                "project_name": p.name,
                "in_use_since": p.in_use_since,
                "judgement": judgement_data(p.judgement),
            }
            for p in effect.projects
        ],
    }


class ImprovementEffectViewSet(ApiViewMixin, viewsets.ViewSet):
    """An improvement's measured effect: its benefit measure before and after deployment."""

    @extend_schema(
        operation_id="improvements_effect_retrieve",
        summary="The measured effect of an improvement",
        description="The improvement's benefit measure (from its business case) in the "
        "baseline months before its first deployment and after each project's deployment "
        "went into use, per project and as the projects' monthly means: the baseline's "
        "XmR limits, the signals of a shift and the verdict (effective, not yet shown, "
        "not effective) with its reason. ``rule`` states the rule.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: EffectSerializer, 404: OpenApiResponse(DetailSerializer)},
    )
    @action(detail=False, methods=["get"], url_path="effect", url_name="effect")
    def effect(self, request: Request, id: str) -> Response:
        improvement = get_object_or_404(
            restrict(Improvement._default_manager.all(), request.user, "view"), pk=int(id)
        )
        return Response(EffectSerializer(effect_data(effect_queries.effect_of(improvement))).data)
