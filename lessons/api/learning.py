"""REST endpoints of lessons, process improvement proposals and effectiveness
reviews (SP 3.4, ``/api/v1/``): anyone signed in submits a lesson or a proposal;
the process group publishes, accepts or rejects them through ``lessons.services.learning``."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lessons import filters, forms
from lessons.models import EffectivenessReview, ImprovementProposal, Lesson
from lessons.services import learning as learning_services
from opf.core.permissions import signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import step
from opf.core.rest.viewsets import ObjectViewSet


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


def submitted(request: Request, serializer: type[ObjectSerializer], service: Any) -> Response:
    """``POST .../submit/``: anyone with the submit permission creates one through
    ``service`` (a lesson's or a proposal's ``*_submit``); 201 with the record."""
    data = serializer(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    model: type[Model] = serializer.Meta.model
    fields = {
        k: v for k, v in data.validated_data.items() if not model._meta.get_field(k).many_to_many
    }
    obj = service(model(**fields), actor=signed_in_user(request))
    return Response(
        serializer(obj, context={"request": request}).data, status=status.HTTP_201_CREATED
    )


class LessonViewSet(ObjectViewSet):
    queryset = Lesson.objects.select_related("project", "asset", "submitted_by")
    serializer_class = LessonSerializer
    filterset_class = filters.LessonFilterSet
    ordering_fields = ["submitted_on", "published_on", "title", "pk"]
    ordering = ["-submitted_on", "-pk"]

    @extend_schema(
        request=LessonSubmitSerializer,
        responses={201: LessonSubmitSerializer},
        description="Submit a lesson (any signed-in member).",
    )
    @action(detail=False, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request: Request) -> Response:
        return submitted(request, LessonSubmitSerializer, learning_services.lesson_submit)

    set_required_action(submit, "submit")

    @step(LessonSerializer)
    def publish(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, learning_services.lesson_publish)

    @step(LessonSerializer)
    def archive(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, learning_services.lesson_archive)


class ImprovementProposalViewSet(ObjectViewSet):
    queryset = ImprovementProposal.objects.select_related(
        "asset", "process_area", "submitted_by"
    ).prefetch_related("non_compliances")
    serializer_class = ImprovementProposalSerializer
    filterset_class = filters.ImprovementProposalFilterSet
    ordering_fields = ["submitted_on", "decided_on", "title", "pk"]
    ordering = ["-submitted_on", "-pk"]

    @extend_schema(
        request=ProposalSubmitSerializer,
        responses={201: ProposalSubmitSerializer},
        description="Submit a process improvement proposal (any signed-in member).",
    )
    @action(detail=False, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request: Request) -> Response:
        return submitted(request, ProposalSubmitSerializer, learning_services.proposal_submit)

    set_required_action(submit, "submit")

    @step(
        ImprovementProposalSerializer,
        "Accept: creates the linked improvement and tells the submitter.",
    )
    def accept(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, learning_services.proposal_accept)

    @step(ImprovementProposalSerializer, "Reject with a reason; the submitter is told.")
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, learning_services.proposal_reject)


class EffectivenessReviewViewSet(ObjectViewSet):
    queryset = EffectivenessReview.objects.select_related("standard_set").prefetch_related(
        "reviewers", "proposals"
    )
    serializer_class = EffectivenessReviewSerializer
    filterset_class = filters.EffectivenessReviewFilterSet
    ordering_fields = ["review_date", "next_review_due", "pk"]
    ordering = ["-review_date", "-pk"]
