"""REST endpoints of the asset library and deployments (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from deployment import filters, forms, services
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from deployment.services import choices
from opf.core.permissions import check_step_permission, signed_in_user
from opf.core.rest.approval import SubmitRequestSerializer
from opf.core.rest.bulk import not_found, write_all
from opf.core.rest.permissions import set_required_action
from opf.core.rest.preconditions import etag_for
from opf.core.rest.serializers import ObjectSerializer, type_problem
from opf.core.rest.steps import REFUSED, DetailSerializer, step
from opf.core.rest.viewsets import ObjectViewSet
from opf.core.services import check
from opf.core.versioning import ensure_mutable

# --- serializers ---------------------------------------------------------------


class ProcessAssetSerializer(ObjectSerializer):
    current_version = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The id of the current release, if any."
    )

    class Meta:
        model = ProcessAsset
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ProcessAssetForm.Meta.fields,
            "current_version",
        ]


class VersionFileField(serializers.FileField):
    """A version's file: uploaded as any file, read as the address of the signed-in
    download page (``deployment:assetversion_file``); media is never served."""

    def to_representation(self, value: File) -> str | None:
        if not isinstance(value, FieldFile) or not value:
            return None
        url = reverse("deployment:assetversion_file", args=[value.instance.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class AssetVersionSerializer(ObjectSerializer):
    serializer_field_mapping = {
        **ObjectSerializer.serializer_field_mapping,
        models.FileField: VersionFileField,
    }

    class Meta:
        model = AssetVersion
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.AssetVersionForm.Meta.fields,
            "state",
            "released_at",
            "submitted_by",
            "approver",
        ]
        # The file is uploaded on its own (POST {id}/file/, multipart); read, it is
        # the address of the signed-in download.
        read_only_fields = ["file", "state", "released_at", "submitted_by", "approver"]


class AssetVersionUploadSerializer(AssetVersionSerializer):
    """A new version with its file, in one multipart body (``POST upload/``); a
    version with a link only is created with JSON like any record."""

    class Meta(AssetVersionSerializer.Meta):
        read_only_fields = ["state", "released_at", "submitted_by", "approver"]
        extra_kwargs = {"file": {"required": True, "allow_null": False}}


class AssetVersionFileSerializer(serializers.Serializer):
    """A draft version's new file (multipart, ``POST {id}/file/``)."""

    file = serializers.FileField(help_text=AssetVersion._meta.get_field("file").help_text)
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The version you read (or send If-Match)."
    )


class StandardProcessSetSerializer(ObjectSerializer):
    class Meta:
        model = StandardProcessSet
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.StandardProcessSetForm.Meta.fields,
            "state",
            "published_at",
            "submitted_by",
            "approver",
        ]
        read_only_fields = ["state", "published_at", "submitted_by", "approver"]

    def validate_asset_versions(self, value: list[AssetVersion]) -> list[AssetVersion]:
        return choices.check_deployable(value)


class DeploymentPlanSerializer(ObjectSerializer):
    class Meta:
        model = DeploymentPlan
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.DeploymentPlanForm.Meta.fields,
            "state",
            "approved_at",
            "submitted_by",
            "approver",
        ]
        read_only_fields = ["state", "approved_at", "submitted_by", "approver"]

    def validate_asset_versions(self, value: list[AssetVersion]) -> list[AssetVersion]:
        return choices.check_deployable(value)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Deploy a released version to a project",
            request_only=True,
            value={"project": 14, "asset_version": 30, "notes": "Rolled out with the Q4 plan."},
        ),
        OpenApiExample(
            "A project deployment",
            response_only=True,
            value={
                "id": 51,
                "url": "https://opf.example.org/api/v1/project-deployments/51/",
                "web_url": "https://opf.example.org/project-deployments/51/",
                "display": "Atlas: Estimation procedure v3",
                "project": 14,
                "project_ref": {
                    "id": 14,
                    "url": "https://opf.example.org/api/v1/projects/14/",
                    "display": "Atlas",
                },
                "asset_version": 30,
                "asset_version_ref": {
                    "id": 30,
                    "url": "https://opf.example.org/api/v1/asset-versions/30/",
                    "display": "Estimation procedure v3",
                },
                "state": "in_use",
                "notes": "Rolled out with the Q4 plan.",
                "version": 5,
            },
        ),
    ]
)
class ProjectDeploymentSerializer(ObjectSerializer):
    class Meta:
        model = ProjectDeployment
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ProjectDeploymentForm.Meta.fields,
            "state",
            "waiver_reason",
            "updated_at",
        ]
        read_only_fields = ["state", "waiver_reason", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            choices.check_placement(self.instance, attrs, user=self.context["request"].user)
        return super().validate(attrs)


class TailoringRecordSerializer(ObjectSerializer):
    class Meta:
        model = TailoringRecord
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.TailoringRecordForm.Meta.fields,
            "state",
            "decided_by",
        ]
        read_only_fields = ["state", "decided_by"]


class TrainingRecordSerializer(ObjectSerializer):
    class Meta:
        model = TrainingRecord
        fields = [*ObjectSerializer.Meta.fields, *forms.TrainingRecordForm.Meta.fields]


class StatusChangeSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The version you read (or send If-Match)."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Report a deployment in use",
            request_only=True,
            value={"id": 51, "transition": "use", "notes": "Team trained.", "version": 4},
        )
    ]
)
class DeploymentStatusItemSerializer(serializers.Serializer):
    """One deployment's status report in a bulk write: what a project manager reports
    on the row of My projects (the step taken, notes, a waiver's reason)."""

    id = serializers.IntegerField(min_value=1, help_text="The project deployment.")
    transition = serializers.ChoiceField(
        choices=list(ProjectDeployment.workflow.transitions),
        required=False,
        allow_blank=True,
        default="",
        help_text="The step to take; empty or left out: the status stays.",
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, help_text="The deployment's notes; left out: unchanged."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=1000,
        help_text="Why (required to waive).",
    )
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The version you read; a stale one fails the item."
    )

    def to_internal_value(self, data: Any) -> Any:
        """Strict like every write: unknown fields and wrong JSON types are errors, all
        reported at once with DRF's own."""
        errors: dict[str, Any] = {}
        for name, value in data.items():
            field = self.fields.get(name)
            if field is None:
                message = _("Unknown field: this endpoint has no such field.")
                errors[name] = [ErrorDetail(message, code="unknown_field")]
            elif problem := type_problem(field, value, json=True):
                errors[name] = [problem]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            for name, messages in dict(error.detail).items():  # type: ignore[arg-type]
                errors.setdefault(name, messages)
        if errors:
            raise serializers.ValidationError(errors)
        return value


# --- viewsets ------------------------------------------------------------------


class ProcessAssetViewSet(ObjectViewSet):
    queryset = (
        ProcessAsset.objects.select_related("owner")
        .prefetch_related("process_areas")
        .annotate(
            current_version=Subquery(
                AssetVersion.objects.filter(
                    asset=OuterRef("pk"), state=AssetVersion.State.RELEASED
                ).values("pk")[:1]
            )
        )
    )
    serializer_class = ProcessAssetSerializer
    filterset_class = filters.ProcessAssetFilterSet
    ordering_fields = ["name", "code", "kind"]
    ordering = ["name"]


class AssetVersionViewSet(ObjectViewSet):
    """Versions; a released (or superseded) version never changes: 409."""

    queryset = AssetVersion.objects.select_related("asset")
    serializer_class = AssetVersionSerializer
    filterset_class = filters.AssetVersionFilterSet
    ordering_fields = ["number", "released_at", "asset__name"]
    ordering = ["asset__name", "-pk"]

    @step(
        AssetVersionSerializer,
        "Submit the draft for approval by the named executive (approver) or any executive.",
        request=SubmitRequestSerializer,
    )
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.asset_version_submit)

    @step(AssetVersionSerializer, "Send the submitted draft back; a comment is required.")
    def send_back(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.asset_version_send_back)

    @step(AssetVersionSerializer)
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.asset_version_approve)

    @extend_schema(
        request={"multipart/form-data": AssetVersionUploadSerializer},
        responses={201: AssetVersionSerializer},
        description="Create a draft version with its file (multipart: the version's "
        "fields and the file). A version with a link only is created with JSON (POST "
        "on the list).",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="upload",
        url_name="upload",
        parser_classes=[MultiPartParser],
    )
    def upload(self, request: Request) -> Response:
        payload = AssetVersionUploadSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        version = payload.save()
        data = AssetVersionSerializer(version, context={"request": request}).data
        response = Response(data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(version)
        return response

    set_required_action(upload, "add")

    @extend_schema(
        request={"multipart/form-data": AssetVersionFileSerializer},
        responses={200: AssetVersionSerializer, 409: REFUSED},
        description="Upload the draft version's file (replacing any earlier one): PDF, "
        "office documents, text, CSV, ZIP or images, up to the upload limit.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="file",
        url_name="file",
        parser_classes=[MultiPartParser],
    )
    def upload_file(self, request: Request, pk: Any = None) -> Response:
        version = self.get_object()
        ensure_mutable(version)  # 409 before the body is read
        with self.unchanged_since_read(request, version) as expected:
            payload = AssetVersionFileSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            services.asset_version_attach_file(
                version,
                file=payload.validated_data["file"],
                actor=signed_in_user(request),
                expected_version=expected,
            )
        version.refresh_from_db()
        response = Response(self.get_serializer(version).data)
        response["ETag"] = etag_for(version)
        return response

    set_required_action(upload_file, "change")

    @step(AssetVersionSerializer, "Release the version; the previous release is superseded.")
    def release(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.asset_version_release)

    @step(AssetVersionSerializer)
    def return_to_draft(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.asset_version_return_to_draft)


class StandardProcessSetViewSet(ObjectViewSet):
    queryset = StandardProcessSet.objects.prefetch_related("asset_versions")
    serializer_class = StandardProcessSetSerializer
    filterset_class = filters.StandardProcessSetFilterSet
    ordering_fields = ["name", "baseline", "published_at"]
    ordering = ["name", "-pk"]

    @step(
        StandardProcessSetSerializer,
        "Submit the draft for approval by the named executive (approver) or any executive.",
        request=SubmitRequestSerializer,
    )
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.standard_set_submit)

    @step(StandardProcessSetSerializer, "Send the submitted draft back; a comment is required.")
    def send_back(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.standard_set_send_back)

    @step(StandardProcessSetSerializer)
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.standard_set_approve)

    @step(StandardProcessSetSerializer)
    def publish(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.standard_set_publish)

    @step(StandardProcessSetSerializer)
    def retire(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.standard_set_retire)


class DeploymentPlanViewSet(ObjectViewSet):
    queryset = DeploymentPlan.objects.all()
    serializer_class = DeploymentPlanSerializer
    filterset_class = filters.DeploymentPlanFilterSet
    ordering_fields = ["name", "start_date"]
    ordering = ["-pk"]

    @step(
        DeploymentPlanSerializer,
        "Submit the draft for approval by the named executive (approver) or any executive.",
        request=SubmitRequestSerializer,
    )
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan_submit)

    @step(DeploymentPlanSerializer, "Send the submitted draft back; a comment is required.")
    def send_back(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan_send_back)

    @step(
        DeploymentPlanSerializer,
        "Approve; creates one project deployment per target project and version.",
    )
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan_approve)

    @step(DeploymentPlanSerializer)
    def refresh(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan_refresh)

    @step(DeploymentPlanSerializer)
    def complete(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan_complete)

    @step(DeploymentPlanSerializer)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan_cancel)


STALE = OpenApiResponse(
    description="The deployment changed since you read it: `detail` and the `current` record."
)


def deployment_step(description: str) -> Any:
    """A deployment's status step: with ``If-Match`` or ``version``, a stale
    version is 412 and changes nothing; a refused step is 409."""
    return step(
        ProjectDeploymentSerializer,
        description,
        request=StatusChangeSerializer,
        if_match=True,
        responses={
            409: OpenApiResponse(DetailSerializer, description="The step is not allowed now."),
            412: STALE,
        },
    )


class ProjectDeploymentViewSet(ObjectViewSet):
    """A project's deployment of one asset version. Reads carry an ETag; writes
    and status steps honour ``If-Match`` (or ``version``): stale → 412."""

    queryset = ProjectDeployment.objects.select_related("project", "asset_version__asset")
    serializer_class = ProjectDeploymentSerializer
    filterset_class = filters.ProjectDeploymentFilterSet
    ordering_fields = ["updated_at", "state"]
    ordering = ["project__name", "asset_version__asset__name"]

    @deployment_step("Run the 'plan' step of the deployment.")
    def plan(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_plan)

    @deployment_step("Run the 'train' step of the deployment.")
    def train(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_train)

    @deployment_step("Run the 'use' step of the deployment.")
    def use(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_use)

    @deployment_step("Run the 'verify' step of the deployment.")
    def verify(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_verify)

    @deployment_step("Run the 'waive' step of the deployment.")
    def waive(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_waive)

    @deployment_step("Run the 'reopen' step of the deployment.")
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.deployment_reopen)

    @extend_schema(
        request=DeploymentStatusItemSerializer(many=True),
        responses={
            200: ProjectDeploymentSerializer(many=True),
            400: OpenApiResponse(
                description="Every failing item's errors, each with its `index` (a refused "
                "step: `refused`, a stale version: `stale`); nothing saved."
            ),
            403: OpenApiResponse(
                description="Items you may not change, each with its `index`; nothing saved."
            ),
        },
        description="Report the status of many deployments at once (an integration's "
        "feed of what project managers report on My projects): per deployment the step "
        "taken and/or its notes. Each item is checked as that step is (who may take it, "
        "training before 'use', a reason to waive, its `version`); all are saved in one "
        "transaction, or none.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-status",
        url_name="bulk_status",
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_status(self, request: Request) -> Response:
        user = signed_in_user(request)
        visible = self.get_queryset()

        def write(index: int, item: dict[str, Any]) -> ProjectDeployment:
            pk = item.get("id")
            found = isinstance(pk, int) and not isinstance(pk, bool)
            deployment = visible.filter(pk=pk).first() if found else None
            if deployment is None:
                raise not_found(_("No such deployment, or you cannot see it."))
            check(user, "change", deployment)  # as the row of My projects: 403 first
            transition = item.get("transition")
            if isinstance(transition, str) and transition:
                check_step_permission(user, deployment, transition)
            payload = DeploymentStatusItemSerializer(data=item)
            payload.is_valid(raise_exception=True)
            values = payload.validated_data
            return services.deployment_update(
                deployment,
                actor=user,
                expected_version=values.get("version"),
                transition=values["transition"],
                notes=values.get("notes"),
                reason=values["reason"],
            )

        saved = write_all(request.data, write)
        rows = {d.pk: d for d in visible.filter(pk__in=[d.pk for d in saved])}
        return Response(self.get_serializer([rows[d.pk] for d in saved], many=True).data)

    set_required_action(bulk_status, "change")


class TailoringRecordViewSet(ObjectViewSet):
    queryset = TailoringRecord.objects.select_related("deployment__project")
    serializer_class = TailoringRecordSerializer
    filterset_class = filters.TailoringRecordFilterSet
    ordering = ["-pk"]

    @step(TailoringRecordSerializer)
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.tailoring_approve)

    @step(TailoringRecordSerializer)
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.tailoring_reject)


class TrainingRecordViewSet(ObjectViewSet):
    queryset = TrainingRecord.objects.select_related("person", "asset_version__asset")
    serializer_class = TrainingRecordSerializer
    filterset_class = filters.TrainingRecordFilterSet
    ordering_fields = ["completed_on", "status"]
    ordering = ["-pk"]


def register(router: Any) -> None:
    router.register("assets", ProcessAssetViewSet, basename="asset")
    router.register("asset-versions", AssetVersionViewSet, basename="asset-version")
    router.register("standard-sets", StandardProcessSetViewSet, basename="standard-set")
    router.register("deployment-plans", DeploymentPlanViewSet, basename="deployment-plan")
    router.register("project-deployments", ProjectDeploymentViewSet, basename="project-deployment")
    router.register("tailoring-records", TailoringRecordViewSet, basename="tailoring-record")
    router.register("training-records", TrainingRecordViewSet, basename="training-record")
