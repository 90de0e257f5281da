"""REST endpoints of audits and lessons (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import filters, forms, queries, trace
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    QuantitativeObjective,
    RecurrenceRule,
)
from lessons.services import audits as audit_services
from lessons.services import learning as learning_services
from lessons.services import measures as measure_services
from opf.core import spc
from opf.core.permissions import can, restrict, signed_in_user
from opf.core.rest.exceptions import validation_detail
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.viewsets import ApiViewMixin, DetailSerializer, ObjectViewSet, transition_action
from opf.core.uploads import ImportValidator, read_text
from opf.organization.models import Project

# --- serializers -------------------------------------------------------------


class ComplianceAuditSerializer(ObjectSerializer):
    class Meta:
        model = ComplianceAudit
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ComplianceAuditForm.Meta.fields,
            "state",
            "performed_date",
            "score",
            "archived_at",
            "archived_by",
        ]
        read_only_fields = ["state", "performed_date", "score"]


class AuditItemSerializer(ObjectSerializer):
    non_compliance: serializers.PrimaryKeyRelatedField[NonCompliance] = (
        serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    )

    class Meta:
        model = AuditItem
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.AuditItemForm.Meta.fields,
            "deployment",
            "non_compliance",
        ]
        read_only_fields = ["deployment"]


class NonComplianceSerializer(ObjectSerializer):
    overdue = serializers.BooleanField(read_only=True)
    age_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = NonCompliance
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.NonComplianceForm.Meta.fields,
            "item",
            "state",
            "verification_note",
            "opened_on",
            "closed_on",
            "overdue",
            "age_days",
            "archived_at",
            "archived_by",
        ]
        read_only_fields = ["item", "state", "verification_note", "opened_on", "closed_on"]


class RecurrenceRuleSerializer(ObjectSerializer):
    class Meta:
        model = RecurrenceRule
        fields = [*ObjectSerializer.Meta.fields, *forms.RecurrenceRuleForm.Meta.fields]


class LessonSerializer(ObjectSerializer):
    class Meta:
        model = Lesson
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.LessonForm.Meta.fields,
            "state",
            "submitted_by",
            "submitted_on",
            "published_on",
        ]
        read_only_fields = ["state", "submitted_by", "submitted_on", "published_on"]


class LessonSubmitSerializer(LessonSerializer):
    # Plain text here: the enum is documented once, on ``Lesson``.
    state = serializers.CharField(read_only=True, help_text="See Lesson.state.")

    class Meta(LessonSerializer.Meta):
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.LessonSubmitForm.Meta.fields,
            "state",
            "submitted_by",
            "submitted_on",
        ]


class ImprovementProposalSerializer(ObjectSerializer):
    class Meta:
        model = ImprovementProposal
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ImprovementProposalForm.Meta.fields,
            "source",
            "state",
            "submitted_by",
            "submitted_on",
            "decision_reason",
            "decided_on",
            "improvement",
        ]
        read_only_fields = [
            "source",
            "state",
            "submitted_by",
            "submitted_on",
            "decision_reason",
            "decided_on",
            "improvement",
        ]


class ProposalSubmitSerializer(ImprovementProposalSerializer):
    state = serializers.CharField(read_only=True, help_text="See ImprovementProposal.state.")

    class Meta(ImprovementProposalSerializer.Meta):
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ProposalSubmitForm.Meta.fields,
            "state",
            "submitted_by",
            "submitted_on",
        ]


class EffectivenessReviewSerializer(ObjectSerializer):
    class Meta:
        model = EffectivenessReview
        fields = [*ObjectSerializer.Meta.fields, *forms.EffectivenessReviewForm.Meta.fields]


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


class ChecklistRequestSerializer(serializers.Serializer):
    work_products = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list, max_length=200
    )


class ItemResultRequestSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=AuditItem.Result.choices)
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    raise_non_compliance = serializers.BooleanField(required=False, default=False)
    non_compliance_severity = serializers.CharField(
        required=False,
        default=NonCompliance.Severity.MINOR,
        max_length=10,
        help_text="minor, major or critical: the severity of the non-compliance raised.",
    )


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A UTF-8 CSV file: measure, project, period, value, note.",
        validators=[ImportValidator(["csv"])],
    )


ImportErrorSerializer = inline_serializer(
    "MeasurementImportErrors",
    fields={
        "detail": serializers.CharField(required=False),
        "file": serializers.ListField(child=serializers.CharField(), required=False),
        "errors": serializers.ListField(child=serializers.CharField(), required=False),
        "rows": serializers.ListField(
            child=serializers.DictField(), required=False, help_text="{line, errors} per bad row."
        ),
    },
)


# --- viewsets ----------------------------------------------------------------


def _refused(error: Exception) -> Exception:
    """A service's Django errors, in the API's words."""
    if isinstance(error, DjangoValidationError):
        return ApiValidationError(validation_detail(error))
    if isinstance(error, DjangoPermissionDenied):
        return ApiPermissionDenied(str(error))
    return error


class ComplianceAuditViewSet(ObjectViewSet):
    queryset = ComplianceAudit.objects.select_related("project", "auditor")
    serializer_class = ComplianceAuditSerializer
    filterset_class = filters.ComplianceAuditFilterSet
    ordering_fields = ["planned_date", "score", "pk"]
    ordering = ["-planned_date", "-pk"]

    start = transition_action("start", audit_services.audit_start, ComplianceAuditSerializer)
    complete = transition_action(
        "complete", audit_services.audit_complete, ComplianceAuditSerializer
    )
    cancel = transition_action("cancel", audit_services.audit_cancel, ComplianceAuditSerializer)

    @extend_schema(
        request=ChecklistRequestSerializer,
        responses={
            200: AuditItemSerializer(many=True),
            409: OpenApiResponse(DetailSerializer, description="The audit is finished."),
        },
        description="Add one item per deployed asset version (minus waived deployments and "
        "approved tailoring) and one per work product named; returns the items added.",
    )
    @action(detail=True, methods=["post"], url_path="build-checklist", url_name="build_checklist")
    def build_checklist(self, request: Request, pk: Any = None) -> Response:
        payload = ChecklistRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        audit = self.get_object()
        try:
            created = audit_services.audit_build_checklist(
                audit,
                actor=signed_in_user(request),
                work_products=payload.validated_data["work_products"],
            )
        except (DjangoValidationError, DjangoPermissionDenied) as error:
            raise _refused(error) from error
        return Response(AuditItemSerializer(created, many=True, context={"request": request}).data)

    set_required_action(build_checklist, "change")


class AuditItemViewSet(ObjectViewSet):
    queryset = AuditItem.objects.select_related(
        "audit__project", "asset_version__asset", "non_compliance"
    )
    serializer_class = AuditItemSerializer
    filterset_class = filters.AuditItemFilterSet
    ordering_fields = ["pk"]
    ordering = ["audit", "pk"]

    @extend_schema(
        request=ItemResultRequestSerializer,
        responses={
            200: AuditItemSerializer,
            409: OpenApiResponse(DetailSerializer, description="The audit is not in progress."),
        },
        description="Record the item's result and evidence; a non-compliant item may raise "
        "its non-compliance in the same call.",
    )
    @action(detail=True, methods=["post"], url_path="record", url_name="record")
    def record(self, request: Request, pk: Any = None) -> Response:
        payload = ItemResultRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = self.get_object()
        data = payload.validated_data
        try:
            audit_services.audit_item_record(
                item,
                result=data["result"],
                evidence=data["evidence"],
                raise_non_compliance=data["raise_non_compliance"],
                severity=data["non_compliance_severity"],
                actor=signed_in_user(request),
            )
        except (DjangoValidationError, DjangoPermissionDenied) as error:
            raise _refused(error) from error
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data)

    set_required_action(record, "change")


class NonComplianceViewSet(ObjectViewSet):
    queryset = NonCompliance.objects.select_related("project", "asset", "owner")
    serializer_class = NonComplianceSerializer
    filterset_class = filters.NonComplianceFilterSet
    ordering_fields = ["opened_on", "due_date", "severity", "pk"]
    ordering = ["-opened_on", "-pk"]

    start_correction = transition_action(
        "start_correction", audit_services.non_compliance_start_correction, NonComplianceSerializer
    )
    verify = transition_action(
        "verify",
        audit_services.non_compliance_verify,
        NonComplianceSerializer,
        description="Verify the correction; the reason is the verification note.",
    )
    close = transition_action("close", audit_services.non_compliance_close, NonComplianceSerializer)
    reopen = transition_action(
        "reopen", audit_services.non_compliance_reopen, NonComplianceSerializer
    )


class RecurrenceRuleViewSet(ObjectViewSet):
    queryset = RecurrenceRule.objects.all()
    serializer_class = RecurrenceRuleSerializer
    filterset_class = filters.RecurrenceRuleFilterSet
    ordering = ["pk"]


def submit_action(service: Any, serializer: type[serializers.ModelSerializer], what: str) -> Any:
    """``POST .../submit/``: anyone with the submit permission creates one."""

    def submit(self: Any, request: Request) -> Response:
        data = serializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        model: type[Model] = serializer.Meta.model
        fields = {
            k: v
            for k, v in data.validated_data.items()
            if not model._meta.get_field(k).many_to_many
        }
        try:
            obj = service(model(**fields), actor=signed_in_user(request))
        except (DjangoValidationError, DjangoPermissionDenied) as error:
            raise _refused(error) from error
        return Response(
            serializer(obj, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    submit = action(detail=False, methods=["post"], url_path="submit", url_name="submit")(submit)
    submit = extend_schema(
        request=serializer,
        responses={201: serializer},
        description=f"Submit a {what} (any signed-in member).",
    )(submit)
    set_required_action(submit, "submit")
    return submit


class LessonViewSet(ObjectViewSet):
    queryset = Lesson.objects.select_related("project", "asset", "submitted_by")
    serializer_class = LessonSerializer
    filterset_class = filters.LessonFilterSet
    ordering_fields = ["submitted_on", "published_on", "title", "pk"]
    ordering = ["-submitted_on", "-pk"]

    submit = submit_action(learning_services.lesson_submit, LessonSubmitSerializer, "lesson")
    publish = transition_action("publish", learning_services.lesson_publish, LessonSerializer)
    archive = transition_action("archive", learning_services.lesson_archive, LessonSerializer)


class ImprovementProposalViewSet(ObjectViewSet):
    queryset = ImprovementProposal.objects.select_related(
        "asset", "process_area", "submitted_by"
    ).prefetch_related("non_compliances")
    serializer_class = ImprovementProposalSerializer
    filterset_class = filters.ImprovementProposalFilterSet
    ordering_fields = ["submitted_on", "decided_on", "title", "pk"]
    ordering = ["-submitted_on", "-pk"]

    submit = submit_action(
        learning_services.proposal_submit, ProposalSubmitSerializer, "process improvement proposal"
    )
    accept = transition_action(
        "accept",
        learning_services.proposal_accept,
        ImprovementProposalSerializer,
        description="Accept: creates the linked improvement and tells the submitter.",
    )
    reject = transition_action(
        "reject",
        learning_services.proposal_reject,
        ImprovementProposalSerializer,
        description="Reject with a reason; the submitter is told.",
    )


class EffectivenessReviewViewSet(ObjectViewSet):
    queryset = EffectivenessReview.objects.select_related("standard_set").prefetch_related(
        "reviewers", "proposals"
    )
    serializer_class = EffectivenessReviewSerializer
    filterset_class = filters.EffectivenessReviewFilterSet
    ordering_fields = ["review_date", "next_review_due", "pk"]
    ordering = ["-review_date", "-pk"]


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
        "(centre ± 2.66 × mean moving range) and the out-of-control signals.",
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
        chart = queries.control_chart(measure, project)
        return Response(ControlChartSerializer(control_chart_data(chart)).data)


class MeasurementViewSet(ObjectViewSet):
    queryset = Measurement.objects.select_related("measure", "project")
    serializer_class = MeasurementSerializer
    filterset_class = filters.MeasurementFilterSet
    ordering_fields = ["period", "value", "pk"]
    ordering = ["measure", "project", "period"]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            201: MeasurementSerializer(many=True),
            400: OpenApiResponse(ImportErrorSerializer, description="Row errors; nothing saved."),
        },
        description="Import a CSV of measurements: every row is saved, or none.",
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_csv(self, request: Request) -> Response:
        payload = ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        content = read_text(payload.validated_data["file"])  # checked by the serializer
        try:
            saved = measure_services.import_measurements_csv(content, actor=signed_in_user(request))
        except measure_services.ImportFailed as failure:
            return Response(
                {"detail": "Nothing was saved.", **failure.preview.as_dict()},
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = MeasurementSerializer(saved, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    set_required_action(import_csv, "add")


class QuantitativeObjectiveViewSet(ObjectViewSet):
    queryset = QuantitativeObjective.objects.select_related("measure", "owner")
    serializer_class = QuantitativeObjectiveSerializer
    filterset_class = filters.QuantitativeObjectiveFilterSet
    ordering = ["measure", "name"]


# --- trace -------------------------------------------------------------------


class TraceNodeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    type = serializers.CharField()
    id = serializers.IntegerField()
    # DRF's metaclass moves declared fields out of the class, so this name does not
    # replace Field.label; the type checker cannot know.
    label = serializers.CharField()  # type: ignore[assignment]
    url = serializers.CharField()
    level = serializers.IntegerField(help_text="< 0 came from, 0 the record, > 0 led to.")


class TraceRefSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()


class TraceLinkSerializer(serializers.Serializer):
    source = TraceRefSerializer()  # type: ignore[assignment]  # a declared field, as label above
    target = TraceRefSerializer()

    def to_representation(self, instance: Any) -> Any:
        return {"from": instance["from"], "to": instance["to"]}


class TraceSerializer(serializers.Serializer):
    root = TraceNodeSerializer()
    nodes = TraceNodeSerializer(many=True)
    links = serializers.ListField(child=serializers.DictField(), help_text="{from, to} pairs.")


class TraceViewSet(ApiViewMixin, viewsets.ViewSet):
    """Where a record came from and what it led to, along the improvement loop."""

    @extend_schema(
        responses={200: TraceSerializer, 404: OpenApiResponse(DetailSerializer)},
        description="Kinds: " + ", ".join(sorted(trace.traceable_kinds())),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"(?P<kind>[a-z]+)/(?P<object_id>[0-9]+)",
        url_name="of",
    )
    def of(self, request: Request, kind: str, object_id: str) -> Response:
        model = trace.traceable_kinds().get(kind)
        if model is None or not can(request.user, "view", model):
            raise NotFound()
        obj = get_object_or_404(
            restrict(model._default_manager.all(), request.user, "view"), pk=int(object_id)
        )
        return Response(trace.trace(obj, request.user).as_dict())


def register(router: Any) -> None:
    router.register("compliance-audits", ComplianceAuditViewSet, basename="compliance-audit")
    router.register("audit-items", AuditItemViewSet, basename="audit-item")
    router.register("non-compliances", NonComplianceViewSet, basename="non-compliance")
    router.register("recurrence-rules", RecurrenceRuleViewSet, basename="recurrence-rule")
    router.register("lessons", LessonViewSet, basename="lesson")
    router.register("proposals", ImprovementProposalViewSet, basename="proposal")
    router.register(
        "effectiveness-reviews", EffectivenessReviewViewSet, basename="effectiveness-review"
    )
    router.register("measures", MeasureViewSet, basename="measure")
    router.register("measurements", MeasurementViewSet, basename="measurement")
    router.register(
        "quantitative-objectives", QuantitativeObjectiveViewSet, basename="quantitative-objective"
    )
    router.register("trace", TraceViewSet, basename="trace")
