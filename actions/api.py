"""REST endpoints of the improvement pipeline (``/api/v1/``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from actions import evaluation, filters, forms, services
from actions.models import (
    ActionItem,
    Commitment,
    Improvement,
    ImprovementScore,
    Milestone,
    Pilot,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PlanTeamMember,
    PrioritizationCriterion,
    ProcessActionPlan,
    SuccessCriterion,
)
from opf.core.permissions import can, check_step_permission, signed_in_user
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import DetailSerializer, step
from opf.core.rest.viewsets import ObjectViewSet


class PrioritizationCriterionSerializer(ObjectSerializer):
    class Meta:
        model = PrioritizationCriterion
        fields = [*ObjectSerializer.Meta.fields, *forms.PrioritizationCriterionForm.Meta.fields]


class ImprovementScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImprovementScore
        fields = ["criterion", "value"]


class ImprovementSerializer(ObjectSerializer):
    priority = serializers.IntegerField(read_only=True, default=0)
    scores = ImprovementScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Improvement
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ImprovementForm.Meta.fields,
            "state",
            "priority",
            "rank_override",
            "rank_reason",
            "scores",
        ]
        read_only_fields = ["state", "rank_override", "rank_reason"]


class ImprovementSummarySerializer(ImprovementSerializer):
    """The ranked list: sources are read on one improvement (``/improvements/{id}/``)."""

    # Plain text here: the enum is documented once, on ``Improvement``.
    state = serializers.CharField(read_only=True, help_text="See Improvement.state.")

    class Meta(ImprovementSerializer.Meta):
        fields = [f for f in ImprovementSerializer.Meta.fields if f not in ("findings", "needs")]


class PrioritizationCriterionViewSet(ObjectViewSet):
    queryset = PrioritizationCriterion.objects.all()
    serializer_class = PrioritizationCriterionSerializer
    filterset_class = filters.PrioritizationCriterionFilterSet
    ordering_fields = ["order", "name", "weight"]
    ordering = ["order", "name"]


class ImprovementViewSet(ObjectViewSet):
    """Ranked: manual ranks first, then by the weighted priority (``?ordering=-priority``)."""

    queryset = Improvement.objects.prefetch_related("process_areas", "scores").with_priority()
    serializer_class = ImprovementSerializer
    filterset_class = filters.ImprovementFilterSet
    ordering_fields = ["priority", "rank_override", "title", "pk"]
    ordering = ["pinned", "rank_override", "-priority", "pk"]

    def get_serializer_class(self) -> type[ImprovementSerializer]:
        return ImprovementSummarySerializer if self.action == "list" else ImprovementSerializer

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related("findings", "needs")

    @step(ImprovementSerializer)
    def select(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_select)

    @step(ImprovementSerializer)
    def defer(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_defer)

    @step(ImprovementSerializer)
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_reject)

    @step(ImprovementSerializer)
    def reconsider(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.improvement_reconsider)


# --- SG 2 ------------------------------------------------------------------------------

REFUSED = OpenApiResponse(DetailSerializer, description="Not allowed now; `detail` says why.")


OUTCOME = serializers.ChoiceField(
    choices=[(o.value, str(o.label)) for o in evaluation.Outcome],
    help_text="met, not_met or not_measured (no result yet).",
)


def _fields(form: Any, *extra: str) -> list[str]:
    return [*ObjectSerializer.Meta.fields, *form.Meta.fields, *extra]


class ProcessActionPlanSerializer(ObjectSerializer):
    class Meta:
        model = ProcessActionPlan
        fields = _fields(forms.ProcessActionPlanForm, "state", "cancel_reason", "approved_at")
        read_only_fields = ["state", "cancel_reason", "approved_at"]

    def validate_improvements(self, value: list[Improvement]) -> list[Improvement]:
        try:
            return services.check_improvements(self.instance, value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict["improvements"]) from error


class PlanTeamMemberSerializer(ObjectSerializer):
    class Meta:
        model = PlanTeamMember
        fields = _fields(forms.PlanTeamMemberForm)


class PlanReviewSerializer(ObjectSerializer):
    class Meta:
        model = PlanReview
        fields = _fields(forms.PlanReviewForm, "decision", "comments", "decided_at")
        read_only_fields = ["decision", "comments", "decided_at"]


class MilestoneSerializer(ObjectSerializer):
    class Meta:
        model = Milestone
        fields = _fields(forms.MilestoneForm)


class ActionItemSerializer(ObjectSerializer):
    late = serializers.SerializerMethodField()
    # Plain text here: the enum is documented once, on ``move``.
    status = serializers.CharField(read_only=True, help_text="todo, doing, blocked or done.")

    class Meta:
        model = ActionItem
        fields = _fields(forms.ActionItemForm, "status", "meeting", "late")
        read_only_fields = ["status", "meeting"]

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
        fields = _fields(forms.CommitmentForm, "status")
        read_only_fields = ["status"]


class PlanIssueSerializer(ObjectSerializer):
    class Meta:
        model = PlanIssue
        fields = _fields(forms.PlanIssueForm, "status", "resolution")
        read_only_fields = ["status", "resolution"]


class PlanMeetingSerializer(ObjectSerializer):
    class Meta:
        model = PlanMeeting
        fields = _fields(forms.PlanMeetingForm)


class SuccessCriterionSerializer(ObjectSerializer):
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = SuccessCriterion
        fields = _fields(forms.SuccessCriterionForm, "result", "outcome")
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
        fields = _fields(forms.PilotForm, "state", "decision", "rationale", "decided_at", "outcome")
        read_only_fields = ["state", "decision", "rationale", "decided_at"]

    @extend_schema_field(OUTCOME)
    def get_outcome(self, pilot: Pilot) -> str:
        """Met when every criterion is met (see success-criteria)."""
        return evaluation.evaluate(pilot.criteria.all())[1].value


class MoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionItem.Status.choices)


class ResultSerializer(serializers.Serializer):
    criterion = serializers.PrimaryKeyRelatedField(queryset=SuccessCriterion.objects.all())
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class RecordResultsSerializer(serializers.Serializer):
    results = ResultSerializer(many=True, allow_empty=False)


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Pilot.Decision.choices)
    rationale = serializers.CharField(max_length=4000)


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
        ProcessActionPlanSerializer, "In progress → completed; its improvements become implemented."
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
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = self.get_object()
        user = signed_in_user(request)
        check_step_permission(user, item, payload.validated_data["status"])
        services.action_item_move(item, status=payload.validated_data["status"], actor=user)
        item.refresh_from_db()
        return Response(self.get_serializer(item).data)

    set_required_action(move, "view")  # the service checks the (own) change permission


class CommitmentViewSet(ObjectViewSet):
    queryset = Commitment.objects.select_related("plan")
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


class PlanMeetingViewSet(ObjectViewSet):
    queryset = PlanMeeting.objects.select_related("plan").prefetch_related("attendees")
    serializer_class = PlanMeetingSerializer
    filterset_class = filters.PlanMeetingFilterSet
    ordering = ["-date", "-pk"]


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
        description="Decide an evaluated pilot: adopt, adapt or abandon, with the rationale.",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        pilot = self.get_object()
        user = signed_in_user(request)
        check_step_permission(user, pilot, "decide")
        payload = DecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.pilot_decide(
            pilot, decision=data["decision"], rationale=data["rationale"], actor=user
        )
        return Response(self.get_serializer(self.get_object()).data)

    set_required_action(decide, "view")


class SuccessCriterionViewSet(ObjectViewSet):
    queryset = SuccessCriterion.objects.select_related("pilot")
    serializer_class = SuccessCriterionSerializer
    filterset_class = filters.SuccessCriterionFilterSet
    ordering = ["pilot", "pk"]


def register(router: Any) -> None:
    for prefix, viewset, basename in (
        ("action-plans", ProcessActionPlanViewSet, "action-plan"),
        ("plan-team-members", PlanTeamMemberViewSet, "plan-team-member"),
        ("plan-reviews", PlanReviewViewSet, "plan-review"),
        ("milestones", MilestoneViewSet, "milestone"),
        ("action-items", ActionItemViewSet, "action-item"),
        ("commitments", CommitmentViewSet, "commitment"),
        ("plan-issues", PlanIssueViewSet, "plan-issue"),
        ("plan-meetings", PlanMeetingViewSet, "plan-meeting"),
        ("pilots", PilotViewSet, "pilot"),
        ("success-criteria", SuccessCriterionViewSet, "success-criterion"),
    ):
        router.register(prefix, viewset, basename=basename)
    router.register("improvements", ImprovementViewSet, basename="improvement")
    router.register(
        "prioritization-criteria",
        PrioritizationCriterionViewSet,
        basename="prioritization-criterion",
    )
