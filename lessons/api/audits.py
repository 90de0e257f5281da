"""REST endpoints of compliance audits (SP 3.3): audits and their checklist items,
non-compliances and the recurrence rule (``/api/v1/``). An audit's steps and an
item's result call ``lessons.services.audits``; what those refuse is answered by
``opf.core.rest.exceptions``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import filters, forms
from lessons.models import AuditItem, ComplianceAudit, NonCompliance, RecurrenceRule
from lessons.services import audits as audit_services
from opf.core.permissions import signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import DetailSerializer, step
from opf.core.rest.viewsets import ObjectViewSet


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
            "tailoring",
            "checks",
            "non_compliance",
        ]
        read_only_fields = ["deployment", "tailoring", "checks"]


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


class ComplianceAuditViewSet(ObjectViewSet):
    queryset = ComplianceAudit.objects.select_related("project", "auditor").prefetch_related(
        "process_areas"
    )
    serializer_class = ComplianceAuditSerializer
    filterset_class = filters.ComplianceAuditFilterSet
    ordering_fields = ["planned_date", "score", "pk"]
    ordering = ["-planned_date", "-pk"]

    @step(ComplianceAuditSerializer)
    def start(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.audit_start)

    @step(ComplianceAuditSerializer)
    def complete(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.audit_complete)

    @step(ComplianceAuditSerializer)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.audit_cancel)

    @step(ComplianceAuditSerializer, "Reopen a completed audit (process group; reason required).")
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.audit_reopen)

    @extend_schema(
        request=ChecklistRequestSerializer,
        responses={
            200: AuditItemSerializer(many=True),
            409: OpenApiResponse(DetailSerializer, description="The audit is finished."),
        },
        description="Add one item per deployed asset version (minus waived deployments and "
        "approved tailoring) and one per work product named; returns the items added.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="build-checklist",
        url_name="build_checklist",
        pagination_class=None,  # the items made, a plain list
    )
    def build_checklist(self, request: Request, pk: Any = None) -> Response:
        audit = self.get_object()
        with self.unchanged_since_read(request, audit):
            payload = ChecklistRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            created = audit_services.audit_build_checklist(
                audit,
                actor=signed_in_user(request),
                work_products=payload.validated_data["work_products"],
            )
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
        item = self.get_object()
        with self.unchanged_since_read(request, item):
            payload = ItemResultRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            data = payload.validated_data
            audit_services.audit_item_record(
                item,
                result=data["result"],
                evidence=data["evidence"],
                raise_non_compliance=data["raise_non_compliance"],
                severity=data["non_compliance_severity"],
                actor=signed_in_user(request),
            )
        item = self.get_queryset().get(pk=item.pk)
        return Response(self.get_serializer(item).data)

    set_required_action(record, "change")


class NonComplianceViewSet(ObjectViewSet):
    queryset = NonCompliance.objects.select_related("project", "asset", "owner")
    serializer_class = NonComplianceSerializer
    filterset_class = filters.NonComplianceFilterSet
    ordering_fields = ["opened_on", "due_date", "severity", "pk"]
    ordering = ["-opened_on", "-pk"]

    @step(NonComplianceSerializer)
    def start_correction(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.non_compliance_start_correction)

    @step(NonComplianceSerializer, "Verify the correction; the reason is the verification note.")
    def verify(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.non_compliance_verify)

    @step(NonComplianceSerializer)
    def close(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.non_compliance_close)

    @step(NonComplianceSerializer)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, audit_services.non_compliance_reopen)


class RecurrenceRuleViewSet(ObjectViewSet):
    queryset = RecurrenceRule.objects.all()
    serializer_class = RecurrenceRuleSerializer
    filterset_class = filters.RecurrenceRuleFilterSet
    ordering = ["pk"]
