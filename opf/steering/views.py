"""Pages of the steering committee and process group: memberships (GP 2.4),
meetings with decisions and follow-ups (GP 2.10), policy and plan (GP 2.1, 2.2)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opf.core.errors import TransitionRefused
from opf.core.permissions import can, signed_in_user
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.documents.models import Document
from opf.documents.views import QUEUE_DOWN
from opf.steering import filters, forms, services, tables
from opf.steering.models import (
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)

BRIEFING_KIND = "steering_briefing"


class CommitteeMembershipViews(ObjectViews):
    path_prefix = "committee-memberships"
    model = CommitteeMembership
    queryset = CommitteeMembership.objects.select_related("user")
    table = tables.CommitteeMembershipTable
    filterset = filters.CommitteeMembershipFilterSet
    form = forms.CommitteeMembershipForm


class SteeringMeetingDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = self.object
        user = self.request.user
        context["attendees"] = meeting.attendees.all()
        context["decisions"] = meeting.decisions.prefetch_related("process_areas")
        context["follow_ups"] = meeting.follow_ups.select_related("owner", "decision")
        context["briefings"] = Document.objects.filter(
            kind=BRIEFING_KIND, subject_id=meeting.pk
        ).order_by("-created_at")[:5]
        context["can_brief"] = can(user, "change", meeting) and can(user, "view", Document)
        context["can_add_decision"] = can(user, "add", Decision)
        context["can_add_follow_up"] = can(user, "add", FollowUp)
        return context


class SteeringMeetingViews(ObjectViews):
    path_prefix = "steering-meetings"
    model = SteeringMeeting
    queryset = SteeringMeeting.objects.select_related("chair", "briefing_unit").annotate(
        decision_count=Count("decisions", distinct=True),
        open_follow_ups=Count(
            "follow_ups", filter=Q(follow_ups__status=FollowUp.Status.OPEN), distinct=True
        ),
    )
    table = tables.SteeringMeetingTable
    filterset = filters.SteeringMeetingFilterSet
    form = forms.SteeringMeetingForm
    detail_view = SteeringMeetingDetailView
    detail_template = "opf/steering/meeting_detail.html"
    transitions = {
        "hold": services.meeting_hold,
        "cancel": services.meeting_cancel,
        "reopen": services.meeting_reopen,
    }


class DecisionViews(ObjectViews):
    path_prefix = "decisions"
    model = Decision
    queryset = Decision.objects.select_related("meeting")
    table = tables.DecisionTable
    filterset = filters.DecisionFilterSet
    form = forms.DecisionForm


class FollowUpViews(ObjectViews):
    path_prefix = "follow-ups"
    model = FollowUp
    queryset = FollowUp.objects.select_related("meeting", "owner", "decision")
    table = tables.FollowUpTable
    filterset = filters.FollowUpFilterSet
    form = forms.FollowUpForm
    inline_fields = ("owner", "due")
    transitions = {
        "complete": services.follow_up_complete,
        "drop": services.follow_up_drop,
        "reopen": services.follow_up_reopen,
    }


class ProgramDocumentViews(ObjectViews):
    path_prefix = "program-documents"
    model = ProgramDocument
    queryset = ProgramDocument.objects.select_related("approved_by")
    table = tables.ProgramDocumentTable
    filterset = filters.ProgramDocumentFilterSet
    form = forms.ProgramDocumentForm
    detail_template = "opf/steering/programdocument_detail.html"
    transitions = {
        "submit": services.program_document_submit,
        "send_back": services.program_document_send_back,
        "approve": services.program_document_approve,
    }


@require_POST
def meeting_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    """Freeze the dashboard's figures for the meeting (``refreeze`` to take them again
    before the meeting) and queue the briefing PDF."""
    meeting = get_object_or_404(SteeringMeeting.objects.restrict(request.user, "view"), pk=pk)
    if not can(request.user, "change", meeting):
        raise PermissionDenied
    user = signed_in_user(request)
    try:
        if request.POST.get("refreeze"):
            meeting = services.freeze_briefing(meeting, actor=user)
        document = services.briefing_document(meeting, actor=user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(meeting.get_absolute_url())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(meeting.get_absolute_url())
    if document.enqueued_at is None:
        messages.warning(request, QUEUE_DOWN)
    else:
        messages.success(request, _("The briefing is being prepared."))
    return HttpResponseRedirect(document.get_absolute_url())
