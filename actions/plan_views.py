"""Pages of SG 2: action plans (with progress, timeline and board), their team,
reviews, milestones, items, commitments, issues and meetings; pilots; "My work"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from actions import evaluation, filters, forms, queries, services, tables
from actions.models import (
    ActionItem,
    Commitment,
    Milestone,
    Pilot,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PlanTeamMember,
    ProcessActionPlan,
    SuccessCriterion,
)
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, check_step_permission, restrict, signed_in_user
from opf.core.registry import page_context
from opf.core.ui.choices import offer_all_choices
from opf.core.ui.htmx import wants_partial
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews

if TYPE_CHECKING:
    from opf.core.accounts import User


class DeclaredStepsDetailView(ObjectDetailView):
    """Shows only the lifecycle steps that have a page action (``steps``); the
    others (e.g. a pilot's decision) have their own form on the page."""

    steps: ClassVar[tuple[str, ...] | None] = None

    def transition_links(self, obj: Model) -> list[tuple[Any, str]]:
        links = super().transition_links(obj)
        if self.steps is None:
            return links
        return [(t, url) for t, url in links if t.name in self.steps]


# --- action plans ----------------------------------------------------------------------


class ProcessActionPlanDetailView(ObjectDetailView):
    def transition_links(self, obj: Model) -> list[tuple[Any, str]]:
        user = self.request.user
        return [
            (t, url)
            for t, url in super().transition_links(obj)
            if t.name != "complete"  # its own form asks for each objective
            and (
                t.name != "request_changes"
                or (isinstance(obj, ProcessActionPlan) and services.may_request_changes(obj, user))
            )
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan: ProcessActionPlan = self.object
        user = self.request.user
        context.update(queries.plan_page(plan, timezone.localdate()))
        context.update(
            can_plan=can(user, "add", ActionItem),
            board_url=reverse("actions:processactionplan_board", args=[plan.pk]),
            document_slug="process_action_plan",
        )
        if plan.state == ProcessActionPlan.State.IN_PROGRESS:
            context.update(_closing_context(plan, self.request))
        return context


def _closing_context(plan: ProcessActionPlan, request: HttpRequest) -> dict[str, Any]:
    """What still keeps the plan open (with one carry-over form for all of it; its
    plans are searched on demand when many), and the completion form asking for each
    improvement's objective."""
    user = request.user
    records = services.open_work(plan).records()
    may_complete = can(user, "change", plan)
    open_rows = [
        {"obj": obj, "key": forms.record_key(obj), "label": obj._meta.verbose_name}
        for obj in records
    ]
    improvements = list(plan.improvements.filter(state="in_action"))
    carry_form = None
    if records and can(user, "add", ActionItem):
        # the plan and the reason; the records are ticked in the list itself
        carry_form = forms.CarryOverForm(plan=plan, auto_id="id_carry_%s")
        offer_all_choices(carry_form, request)  # many plans: every one without JavaScript
    return {
        "open_work": open_rows,
        "carry_form": carry_form,
        "complete_form": forms.CompletePlanForm(improvements=improvements)
        if may_complete
        else None,
    }


@require_POST
def plan_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete the plan with each improvement's objective (reached, partly, not)."""
    plan = get_object_or_404(restrict(ProcessActionPlan.objects.all(), request.user), pk=pk)
    user = signed_in_user(request)
    check_step_permission(user, plan, "complete")
    improvements = list(plan.improvements.filter(state="in_action"))
    form = forms.CompletePlanForm(request.POST, improvements=improvements)
    back = HttpResponseRedirect(plan.get_absolute_url())
    if not form.is_valid():
        messages.error(request, _("Choose reached, partly or not reached for each improvement."))
        return back
    try:
        services.plan_complete(
            plan, actor=user, reason=form.cleaned_data["reason"], outcomes=form.outcomes()
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan is completed."))
    return back


@require_POST
def plan_carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry the ticked open items, issues and commitments over to another open plan."""
    plan = get_object_or_404(restrict(ProcessActionPlan.objects.all(), request.user), pk=pk)
    if not can(request.user, "add", ActionItem):
        raise PermissionDenied
    back = HttpResponseRedirect(plan.get_absolute_url())
    records = services.open_work(plan).records()
    form = forms.CarryOverManyForm(request.POST, plan=plan, open_records=records)
    if not form.is_valid():
        messages.error(request, _("Tick what to carry over, choose another open plan and say why."))
        return back
    try:
        copies = services.carry_over_many(
            form.chosen(),
            to_plan=form.cleaned_data["to_plan"],
            reason=form.cleaned_data["reason"],
            actor=signed_in_user(request),
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "Carried %(n)s record over to %(plan)s.",
                "Carried %(n)s records over to %(plan)s.",
                len(copies),
            )
            % {"n": len(copies), "plan": form.cleaned_data["to_plan"]},
        )
    return back


class ProcessActionPlanViews(ObjectViews):
    path_prefix = "action-plans"
    model = ProcessActionPlan
    queryset = ProcessActionPlan.objects.select_related("owner", "sponsor")
    table = tables.ProcessActionPlanTable
    filterset = filters.ProcessActionPlanFilterSet
    form = forms.ProcessActionPlanForm
    detail_view = ProcessActionPlanDetailView
    detail_template = "actions/processactionplan_detail.html"
    inline_fields = ("owner",)
    list_links = ()
    transitions = {
        "submit": services.plan_submit,
        "approve": services.plan_approve,
        "request_changes": services.plan_request_changes,
        "start": services.plan_start,
        "complete": services.plan_complete,
        "cancel": services.plan_cancel,
    }


def _board_context(request: HttpRequest, plan: ProcessActionPlan) -> dict[str, Any]:
    columns = queries.board(plan, timezone.localdate())
    user = request.user
    for column in columns:
        for item in column.items:
            item.movable = can(user, "change", item)
    return {
        "plan": plan,
        "columns": columns,
        "statuses": ActionItem.Status.choices,
        "board_url": reverse("actions:processactionplan_board", args=[plan.pk]),
    }


@require_GET
def plan_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's items by status; each card moves with a button (HTMX or a plain post)."""
    if not can(request.user, "view", ActionItem):
        raise PermissionDenied
    plan = get_object_or_404(restrict(ProcessActionPlan.objects.all(), request.user), pk=pk)
    template = "actions/board.html"
    if wants_partial(request):
        template += "#board"
    return render(request, template, _board_context(request, plan))


@require_POST
def action_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one item to another status; HTMX swaps the board, without JS the page reloads."""
    item = get_object_or_404(
        restrict(ActionItem.objects.select_related("plan", "assignee"), request.user), pk=pk
    )
    if not can(request.user, "change", item):
        raise PermissionDenied
    form = forms.MoveForm(request.POST)
    status, error = 200, ""
    if not form.is_valid():
        status, error = 400, _("Choose a status of the board.")
    else:
        try:
            services.action_item_move(
                item, status=form.cleaned_data["status"], actor=signed_in_user(request)
            )
        except TransitionRefused as refused:
            status, error = 409, refused.message
    if not wants_partial(request):
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Moved %(item)s.") % {"item": item})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = reverse("actions:processactionplan_board", args=[item.plan_id])
        return HttpResponseRedirect(target)
    context = {**_board_context(request, item.plan), "error": error}
    return render(request, "actions/board.html#board", context, status=status)


# --- plan parts --------------------------------------------------------------------------


class PlanTeamMemberViews(ObjectViews):
    path_prefix = "plan-team-members"
    model = PlanTeamMember
    queryset = PlanTeamMember.objects.select_related("plan", "user")
    table = tables.PlanTeamMemberTable
    filterset = filters.PlanTeamMemberFilterSet
    form = forms.PlanTeamMemberForm


class PlanReviewViews(ObjectViews):
    path_prefix = "plan-reviews"
    model = PlanReview
    queryset = PlanReview.objects.select_related("plan", "reviewer")
    table = tables.PlanReviewTable
    filterset = filters.PlanReviewFilterSet
    form = forms.PlanReviewForm
    transitions = {
        "approve": services.review_approve,
        "request_changes": services.review_request_changes,
    }


class MilestoneViews(ObjectViews):
    path_prefix = "milestones"
    model = Milestone
    queryset = Milestone.objects.select_related("plan")
    table = tables.MilestoneTable
    filterset = filters.MilestoneFilterSet
    form = forms.MilestoneForm
    inline_fields = ("done", "due")


def _move_service(status: str) -> Any:
    def move(item: ActionItem, *, actor: User, reason: str = "") -> ActionItem:
        return services.action_item_move(item, status=status, actor=actor, reason=reason)

    return move


class ActionItemViews(ObjectViews):
    path_prefix = "action-items"
    model = ActionItem
    queryset = ActionItem.objects.select_related("plan", "assignee", "milestone")
    table = tables.ActionItemTable
    filterset = filters.ActionItemFilterSet
    form = forms.ActionItemForm
    inline_fields = ("spent_effort",)
    transitions = {value: _move_service(value) for value in ActionItem.Status.values}


class CommitmentViews(ObjectViews):
    path_prefix = "commitments"
    model = Commitment
    queryset = Commitment.objects.select_related("plan", "owner")
    table = tables.CommitmentTable
    filterset = filters.CommitmentFilterSet
    form = forms.CommitmentForm
    transitions = {
        "agree": services.commitment_agree,
        "revise": services.commitment_revise,
        "keep": services.commitment_keep,
        "mark_broken": services.commitment_break,
    }


class PlanIssueViews(ObjectViews):
    path_prefix = "plan-issues"
    model = PlanIssue
    queryset = PlanIssue.objects.select_related("plan", "owner")
    table = tables.PlanIssueTable
    filterset = filters.PlanIssueFilterSet
    form = forms.PlanIssueForm
    inline_fields = ("owner", "root_cause")
    transitions = {
        "work": services.issue_work,
        "close": services.issue_close,
        "reopen": services.issue_reopen,
    }


class PlanMeetingDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting: PlanMeeting = self.object
        context["attendees"] = list(meeting.attendees.all())
        context["follow_ups"] = list(meeting.follow_ups.select_related("assignee"))
        if can(self.request.user, "change", meeting):
            context["follow_up_form"] = forms.FollowUpForm()
        return context


class PlanMeetingViews(ObjectViews):
    path_prefix = "plan-meetings"
    model = PlanMeeting
    queryset = PlanMeeting.objects.select_related("plan")
    table = tables.PlanMeetingTable
    filterset = filters.PlanMeetingFilterSet
    form = forms.PlanMeetingForm
    detail_view = PlanMeetingDetailView
    detail_template = "actions/planmeeting_detail.html"


@require_POST
def meeting_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        restrict(PlanMeeting.objects.select_related("plan"), request.user), pk=pk
    )
    if not can(request.user, "change", meeting):
        raise PermissionDenied
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A follow-up needs a title (and a valid date, if any)."))
    else:
        try:
            item = services.meeting_add_follow_up(
                meeting,
                title=form.cleaned_data["title"],
                assignee=form.cleaned_data["assignee"],
                due=form.cleaned_data["due"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Added the follow-up %(item)s.") % {"item": item})
    return HttpResponseRedirect(meeting.get_absolute_url())


# --- pilots ----------------------------------------------------------------------------------


class PilotDetailView(DeclaredStepsDetailView):
    steps = ("start", "evaluate")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pilot: Pilot = self.object
        criteria = list(pilot.criteria.all())
        rows, outcome = evaluation.evaluate(criteria)
        may_change = can(self.request.user, "change", pilot)
        context.update(
            criteria_rows=rows,
            outcome=outcome,
            projects=list(pilot.projects.all()),
            results_form=forms.ResultsForm(criteria=criteria)
            if may_change and pilot.state in (Pilot.State.RUNNING, Pilot.State.EVALUATED)
            else None,
            decide_form=forms.DecideForm()
            if (may_change or can(self.request.user, "override", pilot))
            and pilot.state == Pilot.State.EVALUATED
            else None,
            adopt_refusal=services.adopt_refusal(pilot)
            if pilot.state == Pilot.State.EVALUATED
            else None,
        )
        # The versions released from it and ``can_release`` (from ``deployment``).
        context.update(page_context("actions.pilot_detail", self.request.user, context))
        return context


class PilotViews(ObjectViews):
    path_prefix = "pilots"
    model = Pilot
    queryset = Pilot.objects.select_related("action_plan")
    table = tables.PilotTable
    filterset = filters.PilotFilterSet
    form = forms.PilotForm
    detail_view = PilotDetailView
    detail_template = "actions/pilot_detail.html"
    transitions = {"start": services.pilot_start, "evaluate": services.pilot_evaluate}


def _pilot_for_change(request: HttpRequest, pk: int) -> Pilot:
    pilot = get_object_or_404(restrict(Pilot.objects.all(), request.user), pk=pk)
    if not can(request.user, "change", pilot):
        raise PermissionDenied
    return pilot


@require_POST
def pilot_results(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_for_change(request, pk)
    form = forms.ResultsForm(request.POST, criteria=list(pilot.criteria.all()))
    if not form.is_valid():
        messages.error(request, _("Results are numbers, e.g. 12.5."))
        return HttpResponseRedirect(pilot.get_absolute_url())
    try:
        services.pilot_record_results(pilot, results=form.results(), actor=signed_in_user(request))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Results recorded."))
    return HttpResponseRedirect(pilot.get_absolute_url())


@require_POST
def pilot_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The process group decides; an executive may adopt by override (the service says)."""
    pilot = get_object_or_404(restrict(Pilot.objects.all(), request.user), pk=pk)
    if not (can(request.user, "change", pilot) or can(request.user, "override", pilot)):
        raise PermissionDenied
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give its rationale."))
        return HttpResponseRedirect(pilot.get_absolute_url())
    try:
        services.pilot_decide(
            pilot,
            decision=form.cleaned_data["decision"],
            rationale=form.cleaned_data["rationale"],
            changes=form.cleaned_data["changes"],
            override_reason=form.cleaned_data["override_reason"],
            actor=signed_in_user(request),
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Decision recorded: %(d)s.") % {"d": pilot.get_decision_display()}
        )
    return HttpResponseRedirect(pilot.get_absolute_url())


class SuccessCriterionViews(ObjectViews):
    path_prefix = "success-criteria"
    model = SuccessCriterion
    queryset = SuccessCriterion.objects.select_related("pilot")
    table = tables.SuccessCriterionTable
    filterset = filters.SuccessCriterionFilterSet
    form = forms.SuccessCriterionForm
