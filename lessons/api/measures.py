"""REST endpoints of the measurement repository (``/api/v1/``): measures with their
XmR control chart, measurements (and their CSV import) and quantitative objectives."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import baseline_queries, filters, forms, queries
from lessons.models import Measure, Measurement, QuantitativeObjective
from lessons.services import measures as measure_services
from opf.core import spc
from opf.core.permissions import signed_in_user
from opf.core.rest.exceptions import import_refused
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.viewsets import ObjectViewSet
from opf.core.uploads import ImportValidator, read_text
from opf.organization.models import Project


class MeasureSerializer(ObjectSerializer):
    class Meta:
        model = Measure
        fields = [*ObjectSerializer.Meta.fields, *forms.MeasureForm.Meta.fields]


class MeasurementSerializer(ObjectSerializer):
    class Meta:
        model = Measurement
        fields = [*ObjectSerializer.Meta.fields, *forms.MeasurementForm.Meta.fields]


class QuantitativeObjectiveSerializer(ObjectSerializer):
    class Meta:
        model = QuantitativeObjective
        fields = [*ObjectSerializer.Meta.fields, *forms.QuantitativeObjectiveForm.Meta.fields]


class MeasurementImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A UTF-8 CSV file: measure, project, period, value, note.",
        validators=[ImportValidator(["csv"])],
    )


class ControlPointSerializer(serializers.Serializer):
    period = serializers.DateField()
    value = serializers.FloatField()
    moving_range = serializers.FloatField(allow_null=True)
    signals = serializers.ListField(child=serializers.CharField())


class ControlChartSerializer(serializers.Serializer):
    measure = serializers.IntegerField()
    project = serializers.IntegerField(allow_null=True)
    centre = serializers.FloatField(allow_null=True)
    upper_limit = serializers.FloatField(allow_null=True, help_text="Upper natural process limit.")
    lower_limit = serializers.FloatField(allow_null=True, help_text="Lower natural process limit.")
    mean_moving_range = serializers.FloatField(allow_null=True)
    points = ControlPointSerializer(many=True)
    error = serializers.CharField(help_text="Why there are no limits (too few values), or empty.")


class ControlChartQuerySerializer(serializers.Serializer):
    project = serializers.IntegerField(required=False, min_value=1)
    baseline = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A frozen process-performance baseline of this measure: its project "
        "mix's points, with the limits frozen in it; the points after it judged.",
    )


def control_chart_data(chart: queries.ControlChart) -> dict[str, Any]:
    xmr = chart.chart
    labels = (
        {p.index: [str(spc.SIGNAL_LABELS[s]) for s in p.signals] for p in xmr.points} if xmr else {}
    )
    return {
        "measure": chart.measure.pk,
        "project": chart.project.pk if chart.project else None,
        "centre": xmr.centre if xmr else None,
        "upper_limit": xmr.ucl if xmr else None,
        "lower_limit": xmr.lcl if xmr else None,
        "mean_moving_range": xmr.mr_bar if xmr else None,
        "points": [
            {
                "period": period,
                "value": value,
                "moving_range": xmr.points[i].moving_range if xmr else None,
                "signals": labels.get(i, []),
            }
            for i, (period, value) in enumerate(zip(chart.periods, chart.values, strict=True))
        ],
        "error": chart.error,
    }


class MeasureViewSet(ObjectViewSet):
    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    filterset_class = filters.MeasureFilterSet
    ordering_fields = ["name", "pk"]
    ordering = ["name"]

    @extend_schema(
        parameters=[ControlChartQuerySerializer],
        responses={200: ControlChartSerializer},
        description="The measure's XmR control chart (GP 4.2): monthly values of one "
        "project (``project``) or the mean over projects, natural process limits "
        "(centre ± 2.66 × mean moving range) and the out-of-control signals; with "
        "``baseline``, a frozen baseline's mix and its frozen limits, the points after it "
        "judged against them.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="control-chart",
        url_name="control_chart",
        filter_backends=[],
        pagination_class=None,
    )
    def control_chart(self, request: Request, pk: Any = None) -> Response:
        measure = self.get_object()
        query = ControlChartQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        project = None
        if "project" in query.validated_data:
            project = (
                Project.objects.restrict(request.user, "view")
                .filter(pk=query.validated_data["project"])
                .first()
            )
            if project is None:
                raise ApiValidationError({"project": ["No such project, or you cannot see it."]})
        if "baseline" in query.validated_data:
            baseline = (
                baseline_queries.frozen_baselines(measure.pk, request.user)
                .filter(pk=query.validated_data["baseline"])
                .first()
            )
            if baseline is None:
                raise ApiValidationError(
                    {"baseline": ["No frozen baseline of this measure with this id."]}
                )
            if project is not None:
                raise ApiValidationError({"project": ["Choose a project or a baseline, not both."]})
            chart = baseline_queries.baseline_control_chart(baseline)
        else:
            chart = queries.control_chart(measure, project)
        return Response(ControlChartSerializer(control_chart_data(chart)).data)


class MeasurementViewSet(ObjectViewSet):
    queryset = Measurement.objects.select_related("measure", "project")
    serializer_class = MeasurementSerializer
    filterset_class = filters.MeasurementFilterSet
    ordering_fields = ["period", "value", "pk"]
    # The unique constraint's index order (a measure's values per project by month):
    # ordered by the measure's and project's names PostgreSQL sorted every value of
    # the first measure for a page, 27-33 ms at scale 10 against 2-4 at scale 1 (#24).
    ordering = ["measure_id", "project_id", "period"]

    @extend_schema(
        request={"multipart/form-data": MeasurementImportSerializer},
        responses={
            201: MeasurementSerializer(many=True),
            400: OpenApiResponse(
                description="The file's and each bad row's errors; nothing saved."
            ),
        },
        description="Import a CSV of measurements: every row is saved, or none.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser],
        pagination_class=None,  # every row saved, a plain list
    )
    def import_csv(self, request: Request) -> Response:
        payload = MeasurementImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        content = read_text(payload.validated_data["file"])  # checked by the serializer
        try:
            saved = measure_services.import_measurements_csv(content, actor=signed_in_user(request))
        except measure_services.ImportFailed as failure:
            raise import_refused(failure.preview) from failure
        data = MeasurementSerializer(saved, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    set_required_action(import_csv, "add")

    @extend_schema(
        request=MeasurementSerializer(many=True),
        responses={
            200: MeasurementSerializer(many=True),
            400: OpenApiResponse(
                description="Every failing item's errors, each with its `index`; nothing saved."
            ),
            403: OpenApiResponse(
                description="Items you may not write, each with its `index`; nothing saved."
            ),
        },
        description="Record many measurements at once (an integration's monthly feed): a "
        "JSON array whose items create a measurement, or change the measurement `id` "
        "(the fields sent; its `version` checked like If-Match). Each item is checked as "
        "one create or change would be; all are saved in one transaction, or none.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        url_name="bulk",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk(self, request: Request) -> Response:
        return self.write_items(request)

    set_required_action(bulk, "add")


class QuantitativeObjectiveViewSet(ObjectViewSet):
    queryset = QuantitativeObjective.objects.select_related("measure", "owner")
    serializer_class = QuantitativeObjectiveSerializer
    filterset_class = filters.QuantitativeObjectiveFilterSet
    ordering = ["measure", "name"]
