"""REST endpoints of the steering area and the dashboard (``/api/v1/``):
``committee-memberships``, ``meetings`` (+ ``briefing``), ``decisions``,
``follow-ups``, ``program-documents`` and ``dashboard``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.permissions import signed_in_user
from opf.core.rest.approval import SubmitRequestSerializer
from opf.core.rest.permissions import set_required_action
from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import DetailSerializer, step
from opf.core.rest.viewsets import ApiViewMixin, ObjectViewSet
from opf.steering import filters, forms, services
from opf.steering.models import (
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)
from opf.steering.my_work_api import MyWorkViewSet


class CommitteeMembershipSerializer(ObjectSerializer):
    class Meta:
        model = CommitteeMembership
        fields = [*ObjectSerializer.Meta.fields, *forms.CommitteeMembershipForm.Meta.fields]


class SteeringMeetingSerializer(ObjectSerializer):
    briefing_as_of = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = SteeringMeeting
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.SteeringMeetingForm.Meta.fields,
            "state",
            "briefing_as_of",
        ]
        read_only_fields = ["state"]


class DecisionSerializer(ObjectSerializer):
    class Meta:
        model = Decision
        fields = [*ObjectSerializer.Meta.fields, *forms.DecisionForm.Meta.fields]


class FollowUpSerializer(ObjectSerializer):
    class Meta:
        model = FollowUp
        fields = [*ObjectSerializer.Meta.fields, *forms.FollowUpForm.Meta.fields, "status"]
        read_only_fields = ["status"]


class ProgramDocumentSerializer(ObjectSerializer):
    class Meta:
        model = ProgramDocument
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.ProgramDocumentForm.Meta.fields,
            "revision",
            "state",
            "approved_by",
            "approved_at",
            "submitted_by",
            "approver",
        ]
        read_only_fields = [
            "revision",
            "state",
            "approved_by",
            "approved_at",
            "submitted_by",
            "approver",
        ]


class BriefingSerializer(serializers.Serializer):
    document = serializers.IntegerField(help_text="The queued briefing document (see documents).")
    briefing_as_of = serializers.DateTimeField()
    figures = serializers.JSONField(help_text="The frozen dashboard figures, by panel.")


class CommitteeMembershipViewSet(ObjectViewSet):
    queryset = CommitteeMembership.objects.select_related("user")
    serializer_class = CommitteeMembershipSerializer
    filterset_class = filters.CommitteeMembershipFilterSet
    ordering_fields = ["start", "body"]
    ordering = ["body", "-start"]


class SteeringMeetingViewSet(ObjectViewSet):
    queryset = SteeringMeeting.objects.select_related("chair").prefetch_related("attendees")
    serializer_class = SteeringMeetingSerializer
    filterset_class = filters.SteeringMeetingFilterSet
    ordering_fields = ["scheduled_at", "title"]
    ordering = ["-scheduled_at"]

    @step(SteeringMeetingSerializer)
    def hold(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.meeting_hold)

    @step(SteeringMeetingSerializer)
    def cancel(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.meeting_cancel)

    @step(SteeringMeetingSerializer)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.meeting_reopen)

    @extend_schema(
        request=None,
        responses={
            202: BriefingSerializer,
            409: OpenApiResponse(DetailSerializer, description="Held or cancelled meeting."),
        },
    )
    @action(detail=True, methods=["post"])
    def briefing(self, request: Request, pk: Any = None) -> Response:
        """Freeze the dashboard's figures for the meeting (again, while it is planned)
        and queue the briefing PDF."""
        meeting = self.get_object()
        user = signed_in_user(request)
        with self.unchanged_since_read(request, meeting):
            meeting = services.freeze_briefing(meeting, actor=user)
            document = services.briefing_document(meeting, actor=user)
        return Response(
            {
                "document": document.pk,
                "briefing_as_of": meeting.briefing_as_of,
                "figures": meeting.briefing_figures,
            },
            status=status.HTTP_202_ACCEPTED,
        )

    set_required_action(briefing, "change")


class DecisionViewSet(ObjectViewSet):
    queryset = Decision.objects.select_related("meeting").prefetch_related("process_areas")
    serializer_class = DecisionSerializer
    filterset_class = filters.DecisionFilterSet
    ordering_fields = ["pk"]
    ordering = ["pk"]


class FollowUpViewSet(ObjectViewSet):
    queryset = FollowUp.objects.select_related("meeting", "owner")
    serializer_class = FollowUpSerializer
    filterset_class = filters.FollowUpFilterSet
    ordering_fields = ["due", "pk"]
    ordering = ["due", "pk"]

    @step(FollowUpSerializer)
    def complete(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.follow_up_complete)

    @step(FollowUpSerializer)
    def drop(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.follow_up_drop)

    @step(FollowUpSerializer)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.follow_up_reopen)


class ProgramDocumentViewSet(ObjectViewSet):
    queryset = ProgramDocument.objects.select_related("approved_by")
    serializer_class = ProgramDocumentSerializer
    filterset_class = filters.ProgramDocumentFilterSet
    ordering_fields = ["kind", "revision"]
    ordering = ["kind", "-revision"]

    @step(
        ProgramDocumentSerializer,
        "Submit the draft for approval by the named executive (approver) or any executive.",
        request=SubmitRequestSerializer,
    )
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.program_document_submit)

    @step(ProgramDocumentSerializer, "Send the submitted draft back; a comment is required.")
    def send_back(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.program_document_send_back)

    @step(
        ProgramDocumentSerializer,
        "Approve the revision; the approved revision of its kind is superseded.",
    )
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.program_document_approve)


@extend_schema_serializer(many=False)  # one object, though served by the list route
class DashboardSerializer(serializers.Serializer):
    org_unit = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    panels = serializers.DictField(
        child=serializers.JSONField(), help_text="Each panel's figures, by panel slug."
    )


class DashboardViewSet(ApiViewMixin, viewsets.ViewSet):
    """Every dashboard panel's figures (the same numbers as the page)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("org_unit", int, description="Org unit (and below)."),
            OpenApiParameter("start", str, description="First day, YYYY-MM-DD."),
            OpenApiParameter("end", str, description="Last day, YYYY-MM-DD."),
        ],
        responses={200: DashboardSerializer, 400: OpenApiResponse(description="Bad filter.")},
    )
    def list(self, request: Request) -> Response:
        from opf.core.dashboard import figures
        from opf.steering.dashboard.access import dashboard_filter

        try:
            f, form = dashboard_filter(request.user, request.query_params)
        except PermissionDenied as denied:
            raise ApiPermissionDenied from denied
        if form.is_bound and form.errors:
            raise DjangoValidationError(form.errors.as_data())  # 400, by parameter
        data = {
            "org_unit": f.org_unit.pk if f.org_unit else None,
            "start": f.start,
            "end": f.end,
            "panels": figures(f),
        }
        return Response(DashboardSerializer(data).data)


class ProgramEventUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgramEventSerializer(serializers.Serializer):
    uid = serializers.CharField(help_text="Stable across calls and feeds, e.g. appraisal-7.")
    kind = serializers.CharField(help_text="The kind of event (see the kind parameter).")
    kind_label = serializers.CharField()
    title = serializers.CharField()
    start = serializers.DateField(help_text="First day.")
    end = serializers.DateField(help_text="Last day (the same as start for a one-day event).")
    at = serializers.DateTimeField(
        allow_null=True, help_text="When a timed event (a meeting) starts; null: all day."
    )
    web_url = serializers.CharField(help_text="The record's page.")
    org_units = ProgramEventUnitSerializer(
        many=True, help_text="The org units it concerns; empty: the whole program."
    )
    description = serializers.CharField(allow_blank=True)


@extend_schema_serializer(many=False)  # one object, though served by the list route
class ProgramCalendarSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    org_unit = serializers.IntegerField(allow_null=True)
    kinds = serializers.ListField(
        child=serializers.CharField(), help_text="The kinds asked for; empty: every kind."
    )
    events = ProgramEventSerializer(many=True)


class ProgramCalendarViewSet(ApiViewMixin, viewsets.ViewSet):
    """The program calendar's events (the same as its page): appraisals, compliance
    audits, pilots, deployment windows, steering meetings, approvals due and plan
    milestones, for the process group and the executives."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start", str, description="First day, YYYY-MM-DD (default: this month's)."
            ),
            OpenApiParameter(
                "end",
                str,
                description="Last day, YYYY-MM-DD, at most 366 days from the start "
                "(default: the end of the start's month).",
            ),
            OpenApiParameter(
                "org_unit", int, description="Org unit: its events and those below it."
            ),
            OpenApiParameter(
                "kind",
                str,
                many=True,
                explode=True,
                description="Kinds of event, as the events' kind (appraisal, audit, pilot, "
                "milestone, deployment, approval, meeting); repeat the parameter; none: every "
                "kind.",
            ),
        ],
        responses={
            200: ProgramCalendarSerializer,
            400: OpenApiResponse(description="A bad date, kind or org unit, or too long."),
        },
    )
    def list(self, request: Request) -> Response:
        from opf.core.calendar import program_events, program_kinds
        from opf.steering.program_calendar import (
            CalendarRangeForm,
            check_may_see,
            range_window,
        )

        try:
            check_may_see(request.user)
        except PermissionDenied as denied:
            raise ApiPermissionDenied from denied
        form = CalendarRangeForm(request.query_params, user=signed_in_user(request))
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())  # 400, by parameter
        window = range_window(form)
        labels = {slug: str(kind.label) for slug, kind in program_kinds().items()}
        unit = form.cleaned_data.get("org_unit")
        data = {
            "start": window.start,
            "end": window.end,
            "org_unit": unit.pk if unit is not None else None,
            "kinds": sorted(window.kinds),
            "events": [
                {
                    "uid": e.uid,
                    "kind": e.kind,
                    "kind_label": labels.get(e.kind, e.kind),
                    "title": e.title,
                    "start": e.start,
                    "end": e.end,
                    "at": e.at,
                    "web_url": e.url,
                    "org_units": [{"id": u.pk, "name": u.name} for u in e.units],
                    "description": e.description,
                }
                for e in program_events(window)
            ],
        }
        return Response(ProgramCalendarSerializer(data).data)


def register(router: Any) -> None:
    router.register(
        "committee-memberships", CommitteeMembershipViewSet, basename="committee-membership"
    )
    router.register("meetings", SteeringMeetingViewSet, basename="meeting")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("follow-ups", FollowUpViewSet, basename="follow-up")
    router.register("program-documents", ProgramDocumentViewSet, basename="program-document")
    router.register("dashboard", DashboardViewSet, basename="dashboard")
    router.register("program-calendar", ProgramCalendarViewSet, basename="program-calendar")
    router.register("my-work", MyWorkViewSet, basename="my-work")
