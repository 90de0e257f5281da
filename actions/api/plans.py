"""REST endpoints of process action plans (SP 2.1, SP 2.2, ``/api/v1/``): plans and
their team, reviews, milestones, action items, commitments, issues and meetings.
Each step is a method of its viewset calling ``actions.services``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions import filters, forms, services
from actions.models import (
    ActionItem,
    Commitment,
    Improvement,
    Milestone,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PlanTeamMember,
    ProcessActionPlan,
)
from opf.core.permissions import can, check_step_permission, signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import DetailSerializer, TransitionRequestSerializer, step
from opf.core.rest.viewsets import ObjectViewSet

REFUSED = OpenApiResponse(DetailSerializer, description="Not allowed now; `detail` says why.")


def form_fields(form: Any, *extra: str) -> list[str]:
    """A serializer's fields: the record's, what ``form`` edits, then ``extra``."""
    return [*ObjectSerializer.Meta.fields, *form.Meta.fields, *extra]


class ProcessActionPlanSerializer(ObjectSerializer):
    class Meta:
        model = ProcessActionPlan
        fields = form_fields(forms.ProcessActionPlanForm, "state", "cancel_reason", "approved_at")
        read_only_fields = ["state", "cancel_reason", "approved_at"]

    def validate_improvements(self, value: list[Improvement]) -> list[Improvement]:
        try:
            return services.check_improvements(self.instance, value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["improvements"]) from error


class PlanTeamMemberSerializer(ObjectSerializer):
    class Meta:
        model = PlanTeamMember
        fields = form_fields(forms.PlanTeamMemberForm)


class PlanReviewSerializer(ObjectSerializer):
    class Meta:
        model = PlanReview
        fields = form_fields(forms.PlanReviewForm, "decision", "comments", "decided_at")
        read_only_fields = ["decision", "comments", "decided_at"]


class MilestoneSerializer(ObjectSerializer):
    class Meta:
        model = Milestone
        fields = form_fields(forms.MilestoneForm)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Plan an action item",
            request_only=True,
            value={
                "plan": 6,
                "milestone": 2,
                "title": "Write the estimate review checklist",
                "assignee": 5,
                "due": "2026-10-30",
                "planned_effort": "16.0",
            },
        ),
        OpenApiExample(
            "An action item",
            response_only=True,
            value={
                "id": 77,
                "url": "https://opf.example.org/api/v1/action-items/77/",
                "web_url": "https://opf.example.org/action-items/77/",
                "display": "Write the estimate review checklist",
                "plan": 6,
                "plan_ref": {
                    "id": 6,
                    "url": "https://opf.example.org/api/v1/action-plans/6/",
                    "display": "Peer reviews for every estimate",
                },
                "title": "Write the estimate review checklist",
                "status": "doing",
                "late": False,
                "version": 4,
            },
        ),
    ]
)
class ActionItemSerializer(ObjectSerializer):
    late = serializers.SerializerMethodField()
    # Plain text here: the enum is documented once, on ``move``.
    status = serializers.CharField(read_only=True, help_text="todo, doing, blocked or done.")

    class Meta:
        model = ActionItem
        fields = form_fields(
            forms.ActionItemForm, "status", "meeting", "late", "carried_to", "carry_reason"
        )
        read_only_fields = ["status", "meeting", "carried_to", "carry_reason"]

    @extend_schema_field(serializers.BooleanField())
    def get_late(self, item: ActionItem) -> bool:
        from django.utils import timezone

        return item.is_late(timezone.localdate())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if self.instance is not None and not can(user, "add", ActionItem):
            moved = [
                name
                for name, value in attrs.items()
                if name not in forms.ASSIGNEE_FIELDS
                and name != "version"
                and value != getattr(self.instance, name)
            ]
            if moved:
                raise serializers.ValidationError(
                    {n: [_("Only the process group changes this.")] for n in moved}
                )
        return super().validate(attrs)


class CommitmentSerializer(ObjectSerializer):
    class Meta:
        model = Commitment
        fields = form_fields(forms.CommitmentForm, "status", "carried_to", "carry_reason")
        read_only_fields = ["status", "carried_to", "carry_reason"]


class PlanIssueSerializer(ObjectSerializer):
    class Meta:
        model = PlanIssue
        fields = form_fields(
            forms.PlanIssueForm, "status", "resolution", "carried_to", "carry_reason"
        )
        read_only_fields = ["status", "resolution", "carried_to", "carry_reason"]


class PlanMeetingSerializer(ObjectSerializer):
    class Meta:
        model = PlanMeeting
        fields = form_fields(forms.PlanMeetingForm)


class ObjectiveOutcomeSerializer(serializers.Serializer):
    improvement = serializers.PrimaryKeyRelatedField(queryset=Improvement.objects.all())
    reached = serializers.ChoiceField(choices=["yes", "partly", "no"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CompleteRequestSerializer(TransitionRequestSerializer):
    outcomes = ObjectiveOutcomeSerializer(
        many=True,
        required=False,
        default=list,
        help_text="Per improvement in action: was its objective reached (yes, partly, no), "
        "with a note unless yes. Only yes marks it implemented.",
    )


class CarryOverRequestSerializer(TransitionRequestSerializer):
    to_plan = serializers.PrimaryKeyRelatedField(
        queryset=ProcessActionPlan.objects.all(), help_text="Another open plan."
    )


CARRY_OVER = (
    "Carry the open record over to another open plan (to_plan) with a reason (required): "
    "a copy opens there and this one no longer keeps its plan from completing."
)


class MoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)


class ProcessActionPlanViewSet(ObjectViewSet):
    """Plans go draft → in review → approved (an executive, once every review
    approves) → in progress → completed, or cancelled with a reason."""

    queryset = ProcessActionPlan.objects.select_related("owner", "sponsor").prefetch_related(
        "improvements"
    )
    serializer_class = ProcessActionPlanSerializer
    filterset_class = filters.ProcessActionPlanFilterSet
    ordering_fields = ["title", "state", "pk"]
    ordering = ["-pk"]

    @step(ProcessActionPlanSerializer, "Draft → in review; at least one reviewer must be named.")
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.plan_submit)

    @step(
        ProcessActionPlanSerializer,
        "In review → approved: executives only, once every review approves.",
    )
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.plan_approve)

    @step(
        ProcessActionPlanSerializer,
        "In review → draft with comments (reason): a named reviewer or an executive.",
    )
    def request_changes(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.plan_request_changes)

    @step(
        ProcessActionPlanSerializer,
        "Approved → in progress; its selected improvements move to in action.",
    )
    def start(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.plan_start)

    @step(
        ProcessActionPlanSerializer,
        "In progress → completed, once every item, issue and commitment is closed or carried "
        "over (409 lists what is open); each improvement in action says whether its objective "
        "was reached (outcomes): only a reached one becomes implemented.",
        request=CompleteRequestSerializer,
    )
    def complete(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.plan_complete)

    @step(ProcessActionPlanSerializer, "Cancel the plan; the reason is required.")
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.plan_cancel)


class PlanTeamMemberViewSet(ObjectViewSet):
    queryset = PlanTeamMember.objects.select_related("plan", "user")
    serializer_class = PlanTeamMemberSerializer
    filterset_class = filters.PlanTeamMemberFilterSet
    ordering = ["plan", "pk"]


class PlanReviewViewSet(ObjectViewSet):
    """Named reviewers record their own decision with ``approve`` or ``request-changes``."""

    queryset = PlanReview.objects.select_related("plan", "reviewer")
    serializer_class = PlanReviewSerializer
    filterset_class = filters.PlanReviewFilterSet
    ordering = ["plan", "pk"]

    @step(PlanReviewSerializer, "The reviewer approves the plan (optional comments in reason).")
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.review_approve)

    @step(
        PlanReviewSerializer,
        "The reviewer requests changes (comments in reason, required): "
        "the plan goes back to draft.",
    )
    def request_changes(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.review_request_changes)


class MilestoneViewSet(ObjectViewSet):
    queryset = Milestone.objects.select_related("plan")
    serializer_class = MilestoneSerializer
    filterset_class = filters.MilestoneFilterSet
    ordering_fields = ["due", "pk"]
    ordering = ["due", "pk"]


class ActionItemViewSet(ObjectViewSet):
    """Assignees update their own items (spent effort) and move them (``move``);
    the process group plans them."""

    queryset = ActionItem.objects.select_related("plan", "assignee", "milestone")
    serializer_class = ActionItemSerializer
    filterset_class = filters.ActionItemFilterSet
    ordering_fields = ["due", "status", "pk"]
    ordering = ["due", "pk"]

    @extend_schema(
        request=MoveSerializer,
        responses={200: ActionItemSerializer, 409: REFUSED},
        description="Move the item to another status (the board's move).",
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        user = signed_in_user(request)
        with self.unchanged_since_read(request, item):
            payload = MoveSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            check_step_permission(user, item, payload.validated_data["status"])
            services.action_item_move(item, status=payload.validated_data["status"], actor=user)
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)

    set_required_action(move, "view")  # the service checks the (own) change permission

    @step(ActionItemSerializer, CARRY_OVER, request=CarryOverRequestSerializer, if_match=True)
    def carry_over(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.carry_over)


class CommitmentViewSet(ObjectViewSet):
    queryset = Commitment.objects.select_related("plan", "owner")
    serializer_class = CommitmentSerializer
    filterset_class = filters.CommitmentFilterSet
    ordering_fields = ["due", "pk"]
    ordering = ["due", "pk"]

    @step(CommitmentSerializer)
    def agree(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.commitment_agree)

    @step(CommitmentSerializer, "Renegotiate (reason required); edit what/due and agree again.")
    def revise(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.commitment_revise)

    @step(CommitmentSerializer)
    def keep(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.commitment_keep)

    @step(CommitmentSerializer, "The commitment was not kept (reason required).")
    def mark_broken(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.commitment_break)

    @step(CommitmentSerializer, CARRY_OVER, request=CarryOverRequestSerializer, if_match=True)
    def carry_over(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.carry_over)


class PlanIssueViewSet(ObjectViewSet):
    queryset = PlanIssue.objects.select_related("plan", "owner")
    serializer_class = PlanIssueSerializer
    filterset_class = filters.PlanIssueFilterSet
    ordering = ["-pk"]

    @step(PlanIssueSerializer)
    def work(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.issue_work)

    @step(PlanIssueSerializer, "Close the issue: the reason is its resolution (required).")
    def close(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.issue_close)

    @step(PlanIssueSerializer)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.issue_reopen)

    @step(PlanIssueSerializer, CARRY_OVER, request=CarryOverRequestSerializer, if_match=True)
    def carry_over(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.carry_over)


class PlanMeetingViewSet(ObjectViewSet):
    queryset = PlanMeeting.objects.select_related("plan").prefetch_related("attendees")
    serializer_class = PlanMeetingSerializer
    filterset_class = filters.PlanMeetingFilterSet
    ordering = ["-date", "-pk"]
