"""Pages of needs and appraisals: the generic pages (``ObjectViews``) plus the
appraisal's own work pages (characterization grid, ratings, import, report)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appraisals import filters, forms, method, queries, services, tables
from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    GoalRating,
    LeadAppraiserQualification,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
    Recommendation,
)
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, perm_name, restrict, scope, signed_in_user
from opf.core.registry import page_context
from opf.core.roles import ALL, OWN
from opf.core.services import save_object
from opf.core.ui.htmx import wants_partial
from opf.core.ui.reading import ObjectDetailView, ObjectListView
from opf.core.ui.views import ObjectViews
from opf.core.ui.writing import ObjectFormView
from opf.reference.models import Practice, ProcessArea

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

# --- generic pages, adapted ---------------------------------------------------


class TeamRecordFormView(ObjectFormView):
    """Adding a team record: someone whose grant reaches only their own team's rows
    must name an appraisal they are on (``?appraisal=<pk>``, as the appraisal page does)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if (
            "pk" not in kwargs
            and user.is_authenticated
            and scope(user, perm_name(self.model, "add")) == OWN
        ):
            raw = request.POST.get("appraisal") or request.GET.get("appraisal") or ""
            appraisal = Appraisal.objects.filter(pk=raw).first() if raw.isdigit() else None
            if appraisal is None or not appraisal.is_owned_by(user):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.request.GET.get("appraisal", "").isdigit():
            initial["appraisal"] = self.request.GET["appraisal"]
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        appraisal_id = self.request.GET.get("appraisal", "")
        if self.object is None and appraisal_id.isdigit():
            context["cancel_url"] = reverse("appraisals:appraisal_detail", args=[appraisal_id])
        return context


class TeamRecordListView(ObjectListView):
    """ "New" is offered on the list to those who may add to any appraisal; team
    members add from their appraisal's page."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if scope(self.request.user, perm_name(self.model, "add")) != ALL:
            context["can_add"] = False
            context.pop("add_url", None)
        return context


class TeamRecordViews(ObjectViews):
    list_view = TeamRecordListView
    form_view: ClassVar[type[ObjectFormView]] = TeamRecordFormView


class ProcessNeedDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The improvements it led to (from ``actions``).
        context.update(page_context("appraisals.processneed_detail", self.request.user, context))
        return context


class ProcessNeedViews(TeamRecordViews):
    """Needs are revised (history) and retired, never deleted."""

    path_prefix = "process-needs"
    model = ProcessNeed
    queryset = ProcessNeed.objects.select_related("owner")
    table = tables.ProcessNeedTable
    filterset = filters.ProcessNeedFilterSet
    form = forms.ProcessNeedForm
    list_view = ObjectListView
    form_view = ObjectFormView
    deletable = False
    detail_view = ProcessNeedDetailView
    inline_fields = ("priority", "owner", "target")
    transitions = {"retire": services.need_retire, "reactivate": services.need_reactivate}


def may_record(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """Findings, evidence and characterizations: the team (or the process group), in progress."""
    return appraisal.conducting and can(user, "add", Finding(appraisal=appraisal))


FINDINGS_SHOWN = 100  # per view of the appraisal page; narrow by area or kind for more


def findings_context(
    appraisal: Appraisal,
    user: User,
    form: forms.InlineFindingForm | None = None,
    narrow: Any = None,
    areas: list[ProcessArea] | None = None,
) -> dict[str, Any]:
    """The appraisal page's findings section: the table (fixed queries, at most
    ``FINDINGS_SHOWN`` rows, narrowed by ``?area=`` and ``?kind=``), the picker
    that turns weaknesses into improvements (``actions`` adds each finding's
    improvements and ``can_improve``: ``opf.core.registry.page_context``), and the inline
    form to record one. ``areas``: the appraisal's process areas, when already read."""
    narrow = narrow or {}
    selected = appraisal.findings.filter(archived_at__isnull=True)  # archived: kept, not shown
    area, kind = str(narrow.get("area", "")), str(narrow.get("kind", ""))
    if area.isdigit():
        selected = selected.filter(process_area_id=int(area))
    if kind in Finding.Kind.values:
        selected = selected.filter(kind=kind)
    counts = dict(selected.values_list("kind").annotate(n=Count("pk")).order_by())
    findings = queries.findings_with_places(
        selected.select_related("process_area", "practice").order_by(
            "process_area__order", "process_area__abbreviation", "kind", "pk"
        ),
        limit=FINDINGS_SHOWN,
    )
    can_record = may_record(user, appraisal)
    if can_record and form is None:
        form = forms.InlineFindingForm(appraisal=appraisal, user=user)
    context = {
        "object": appraisal,
        "findings": findings,
        "finding_total": sum(counts.values()),
        "finding_filter": {"area": area, "kind": kind},
        "finding_kinds": Finding.Kind.choices,
        "finding_areas": list(appraisal.process_areas.only("pk", "abbreviation"))
        if areas is None
        else areas,
        "weakness_count": counts.get(Finding.Kind.WEAKNESS, 0),
        "can_record": can_record,
        "finding_form": form if can_record else None,
    }
    context.update(page_context("appraisals.appraisal_findings", user, context))
    return context


APPRAISAL_RELATED = ("reference_model", "lead_appraiser", "sponsor", "previous")


class AppraisalDetailView(ObjectDetailView):
    def get_queryset(self) -> Any:
        # Not the list's queryset: its finding count joins every finding to the row
        # (this page counts them by kind, findings_context).
        appraisals = Appraisal.objects.select_related(*APPRAISAL_RELATED)
        return restrict(appraisals, self.request.user, "view").prefetch_related("team")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        appraisal: Appraisal = self.object
        user = signed_in_user(self.request)
        on_team = appraisal.is_owned_by(user)
        areas = list(appraisal.process_areas.all())
        context.update(
            scope_units=list(appraisal.org_units.all()),
            scope_projects=list(appraisal.projects.all()),
            scope_areas=areas,
            team=list(appraisal.team.all()),
            **findings_context(appraisal, user, narrow=self.request.GET, areas=areas),
            **_ratings_context(appraisal, user),
            recommendations=appraisal.recommendations.select_related("process_area"),
            evidence_count=appraisal.evidence.count(),
            **_validation_context(appraisal),
            can_recommend=on_team or scope(user, perm_name(Recommendation, "add")) == ALL,
            can_copy=can(user, "add", Appraisal),
        )
        return context


def _validation_context(appraisal: Appraisal) -> dict[str, Any]:
    """The preliminary findings validation section (SCAMPI A v1.2, 2.5); who may record
    is who may record findings (``can_record``)."""
    feedback = list(
        FindingFeedback.objects.filter(appraisal=appraisal).select_related("finding", "participant")
    )
    return {
        "validations": list(
            FindingsValidation.objects.filter(appraisal=appraisal).order_by("held_on", "pk")
        ),
        "feedback": feedback,
        "validation_rule": method.VALIDATION_RULE,
        "validation_refusal": services.validation_refusal(appraisal, feedback),
    }


def _ratings_context(appraisal: Appraisal, user: User) -> dict[str, Any]:
    """The ratings section: hidden behind the class rule for a class that does not rate."""
    rates = method.rates(appraisal.method)
    ratings = list(queries.ratings_of(appraisal)) if rates else []  # the table and maturity
    return {
        "rates": rates,
        "rules": queries.rules(),
        "ratings": ratings,
        "goal_ratings": queries.goal_ratings_of(appraisal) if rates else [],
        "profile": [] if rates else queries.indicative_profile(appraisal),
        "maturity": queries.maturity_by_unit(appraisal, ratings),
        "expires": method.ratings_expire(appraisal.actual_end) if rates else None,
        "can_confirm": appraisal.state
        in (Appraisal.State.IN_PROGRESS, Appraisal.State.FINDINGS_DELIVERED)
        and services.may_confirm(user, appraisal),
        "rating_choices": Rating.Value.choices,
    }


class AppraisalViews(ObjectViews):
    path_prefix = "appraisals"
    model = Appraisal
    queryset = Appraisal.objects.select_related(*APPRAISAL_RELATED).annotate(
        finding_count=Count("findings")
    )
    table = tables.AppraisalTable
    filterset = filters.AppraisalFilterSet
    form = forms.AppraisalForm
    detail_view = AppraisalDetailView
    inline_fields = ("planned_start", "planned_end", "sponsor", "lead_appraiser")
    transitions = {
        "schedule": services.appraisal_schedule,
        "start": services.appraisal_start,
        "deliver": services.appraisal_deliver,
        "close": services.appraisal_close,
        "cancel": services.appraisal_cancel,
        "reopen": services.appraisal_reopen,
    }


class FindingDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["improvements"] = self.object.improvements.all()
        return context


class FindingViews(TeamRecordViews):
    path_prefix = "findings"
    model = Finding
    queryset = Finding.objects.select_related(
        "appraisal", "process_area", "practice", "org_unit", "project"
    )
    table = tables.FindingTable
    filterset = filters.FindingFilterSet
    form = forms.FindingForm
    detail_view = FindingDetailView
    inline_fields = ("severity",)


class EvidenceViews(TeamRecordViews):
    path_prefix = "evidence"
    model = Evidence
    queryset = Evidence.objects.select_related("appraisal", "org_unit", "project")
    table = tables.EvidenceTable
    filterset = filters.EvidenceFilterSet
    form = forms.EvidenceForm


class RecommendationViews(TeamRecordViews):
    path_prefix = "recommendations"
    model = Recommendation
    queryset = Recommendation.objects.select_related("appraisal", "process_area")
    table = tables.RecommendationTable
    filterset = filters.RecommendationFilterSet
    form = forms.RecommendationForm


class FindingsValidationViews(TeamRecordViews):
    path_prefix = "findings-validations"
    model = FindingsValidation
    queryset = FindingsValidation.objects.select_related("appraisal")
    table = tables.FindingsValidationTable
    filterset = filters.FindingsValidationFilterSet
    form = forms.FindingsValidationForm


class FindingFeedbackViews(TeamRecordViews):
    path_prefix = "finding-feedback"
    model = FindingFeedback
    queryset = FindingFeedback.objects.select_related(
        "appraisal", "validation", "finding", "participant"
    )
    table = tables.FindingFeedbackTable
    filterset = filters.FindingFeedbackFilterSet
    form = forms.FindingFeedbackForm


class LeadAppraiserQualificationViews(ObjectViews):
    """The process group records who is a qualified lead appraiser, and until when."""

    path_prefix = "lead-appraisers"
    model = LeadAppraiserQualification
    queryset = LeadAppraiserQualification.objects.select_related("person")
    table = tables.LeadAppraiserQualificationTable
    filterset = filters.LeadAppraiserQualificationFilterSet
    form = forms.LeadAppraiserQualificationForm


class RatingViews(ObjectViews):
    """Read here; confirmed on the appraisal's page (``rating_confirm``)."""

    path_prefix = "ratings"
    model = Rating
    queryset = Rating.objects.select_related(
        "appraisal", "process_area", "org_unit", "confirmed_by"
    )
    table = tables.RatingTable
    filterset = filters.RatingFilterSet


# --- the appraisal's work pages -------------------------------------------------


def _appraisal(request: HttpRequest, pk: int) -> Appraisal:
    if not can(request.user, "view", Appraisal):
        raise PermissionDenied
    return get_object_or_404(
        Appraisal.objects.restrict(request.user, "view").select_related("reference_model"), pk=pk
    )


def may_characterize(user: User | AnonymousUser, appraisal: Appraisal) -> bool:
    return appraisal.conducting and can(user, "add", Characterization(appraisal=appraisal))


@require_POST
def finding_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraisal page's inline form: record a finding; HTMX swaps the findings section."""
    appraisal = _appraisal(request, pk)
    if not may_record(request.user, appraisal):
        raise PermissionDenied
    form = forms.InlineFindingForm(request.POST, appraisal=appraisal, user=signed_in_user(request))
    if form.is_valid():
        try:
            save_object(form.instance, actor=signed_in_user(request))
        except ValidationError as error:
            form.add_error(None, error)
    if not wants_partial(request):
        if form.errors:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        else:
            messages.success(request, _("Recorded the finding."))
        return HttpResponseRedirect(f"{appraisal.get_absolute_url()}#findings")
    saved = not form.errors
    context = findings_context(appraisal, signed_in_user(request), None if saved else form)
    context["recorded"] = saved
    return render(
        request,
        "appraisals/appraisal_detail.html#findings",
        context,
        status=200 if saved else 400,
    )


@require_GET
def appraisal_grid(request: HttpRequest, pk: int) -> HttpResponse:
    """The characterization grid: in-scope practices by places, with evidence coverage."""
    appraisal = _appraisal(request, pk)
    columns, rows = queries.characterization_grid(appraisal)
    context = {
        "appraisal": appraisal,
        "columns": columns,
        "rows": rows,
        "coverage": queries.grid_coverage(rows),
        "carried_count": sum(1 for row in rows for c in row.cells if c.carried_over),
        "rules": queries.rules(),
        "rates": method.rates(appraisal.method),
        "values": Characterization.Value.choices,
        "can_edit": may_characterize(request.user, appraisal),
        "error": "",  # a cell's, after a click (grid_cell); named here, not looked up per cell
        "warning": "",
    }
    return render(request, "appraisals/appraisal_grid.html", context)


@require_POST
def grid_cell(request: HttpRequest, pk: int, practice: int, place: str) -> HttpResponse:
    """POST one value to one cell; HTMX swaps only that cell."""
    appraisal = _appraisal(request, pk)
    practice_obj = get_object_or_404(Practice, pk=practice)
    if not may_characterize(request.user, appraisal):
        raise PermissionDenied
    status, error, warning = 200, "", ""
    try:
        saved = services.characterize(
            appraisal=appraisal,
            practice=practice_obj,
            instance=place,
            value=request.POST.get("value", ""),
            actor=signed_in_user(request),
        )
    except ValidationError as exc:
        status, error = 400, " ".join(exc.messages)
    except TransitionRefused as refused:
        status, error = 409, refused.message
    else:
        warning = queries.coverage_warning(saved)
    if not wants_partial(request):
        if error:
            messages.error(request, error)
        elif warning:
            messages.warning(request, warning)
        return HttpResponseRedirect(
            f"{reverse('appraisals:appraisal_grid', args=[pk])}#c-{practice}-{place}"
        )
    column = next((c for c in queries.scope_columns(appraisal) if c.key == place), None)
    if column is None:
        raise PermissionDenied
    context = {
        "appraisal": appraisal,
        "cell": queries.cell(appraisal, practice_obj, column),
        "values": Characterization.Value.choices,
        "can_edit": True,
        "error": error,
        "warning": warning,
    }
    return render(request, "appraisals/appraisal_grid.html#cell", context, status=status)


@require_POST
def appraisal_copy(request: HttpRequest, pk: int) -> HttpResponse:
    previous = _appraisal(request, pk)
    copy = services.appraisal_copy(previous, actor=signed_in_user(request))
    messages.success(
        request, _("Created %(title)s with the same scope and team.") % {"title": copy}
    )
    return HttpResponseRedirect(copy.get_absolute_url())


@require_POST
def ratings_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal(request, pk)
    try:
        services.ratings_propose(appraisal, actor=signed_in_user(request))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(f"{appraisal.get_absolute_url()}#ratings")
    messages.success(request, _("Rating proposals recomputed from the characterizations."))
    return HttpResponseRedirect(f"{appraisal.get_absolute_url()}#ratings")


@require_POST
def rating_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    rating = get_object_or_404(
        Rating.objects.restrict(request.user, "view").select_related("appraisal"), pk=pk
    )
    _confirm(
        request,
        forms.RatingConfirmForm(request.POST),
        rating,
        services.rating_confirm,
        invalid=_("Choose a valid rating."),
    )
    return HttpResponseRedirect(f"{rating.appraisal.get_absolute_url()}#ratings")


def _confirm(
    request: HttpRequest, form: Any, record: Any, confirm: Any, *, invalid: str, done: str = ""
) -> None:
    """A lead's or team's confirmation (value and reason) through its service, told as a
    message: the rule's refusal in plain words, the form's in ``invalid``, success in
    ``done`` (by default "Confirmed <record>")."""
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        confirm(
            record,
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            actor=signed_in_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done or _("Confirmed %(record)s.") % {"record": record})


@require_http_methods(["GET", "POST"])
def findings_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview a CSV of findings row by row; import all of it or nothing."""
    appraisal = _appraisal(request, pk)
    if not (appraisal.conducting and can(request.user, "add", Finding(appraisal=appraisal))):
        raise PermissionDenied
    form = forms.FindingsImportForm(request.POST or None, request.FILES or None)
    preview = None
    status = 200
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        if request.POST.get("action") == "import":
            try:
                saved = services.import_findings_csv(
                    appraisal, content, actor=signed_in_user(request)
                )
            except services.ImportFailed as failure:
                preview, status = failure.preview, 400
            else:
                messages.success(request, _("Imported %(count)d findings.") % {"count": len(saved)})
                return HttpResponseRedirect(appraisal.get_absolute_url())
        else:
            preview = services.preview_findings_csv(appraisal, content)
            status = 200 if preview.ok else 400
    elif request.method == "POST":
        status = 400
    context = {
        "appraisal": appraisal,
        "form": form,
        "preview": preview,
        "content": form.cleaned_data.get("content", "")
        if form.is_bound and form.is_valid()
        else "",
        "columns": services.IMPORT_COLUMNS,
    }
    return render(request, "appraisals/findings_import.html", context, status=status)


@require_GET
def maturity(request: HttpRequest) -> HttpResponse:
    """Maturity level of each org unit over time, from the closed appraisals' ratings."""
    if not can(request.user, "view", Rating):
        raise PermissionDenied
    appraisals, rows = queries.maturity_over_time()
    return render(
        request,
        "appraisals/maturity.html",
        {
            "appraisals": appraisals,
            "rows": rows,
            "title": _("Maturity by org unit"),
            "expiry_rule": method.EXPIRY_RULE,
        },
    )


@require_GET
def appraisal_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Strengths and weaknesses by process area, ratings, recommendations, changes."""
    appraisal = _appraisal(request, pk)
    # Hundreds of findings: the template draws what they share (kind, severity,
    # practice, place) once per variant ({% memo %}).
    return render(request, "appraisals/appraisal_report.html", queries.report(appraisal))


# --- organizational-unit characterizations ---------------------------------------


@require_GET
def unit_characterizations(request: HttpRequest, pk: int) -> HttpResponse:
    """Each practice's unit-level value: the aggregation's proposal, the team's
    confirmation and its reason when it departs (SCAMPI A v1.2, 2.4.2)."""
    appraisal = _appraisal(request, pk)
    user = signed_in_user(request)
    rows = list(queries.practice_characterizations_of(appraisal))
    context = {
        "appraisal": appraisal,
        "rows": rows,
        "unconfirmed": sum(1 for r in rows if not r.value),
        "rules": queries.rules(),
        "choices": PracticeCharacterization.Value.choices,
        "can_confirm": services.may_characterize_units(user, appraisal),
    }
    return render(request, "appraisals/unit_characterizations.html", context)


@require_POST
def unit_characterizations_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal(request, pk)
    try:
        services.unit_characterizations_propose(appraisal, actor=signed_in_user(request))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Proposals recomputed from the instance characterizations."))
    return HttpResponseRedirect(reverse("appraisals:unit_characterizations", args=[pk]))


@require_POST
def unit_characterization_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        PracticeCharacterization.objects.restrict(request.user, "view").select_related(
            "appraisal", "practice", "org_unit"
        ),
        pk=pk,
    )
    _confirm(
        request,
        forms.UnitCharacterizationForm(request.POST),
        row,
        services.unit_characterization_confirm,
        invalid=_("Choose FI, LI, PI or NI."),
    )
    return HttpResponseRedirect(row.get_absolute_url())


# --- goal ratings: the team's judgment per goal -------------------------------------


@require_GET
def goal_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """Each goal's proposal, what its practices allow and the team's judgment
    (SCAMPI A v1.2, 2.6.1); a Class A appraisal only."""
    appraisal = _appraisal(request, pk)
    user = signed_in_user(request)
    rows = list(queries.goal_ratings_of(appraisal)) if method.rates(appraisal.method) else []
    context = {
        "appraisal": appraisal,
        "rows": rows,
        "unjudged": sum(1 for r in rows if method.judgment_applies(r.allowed) and not r.judged),
        "rules": queries.rules(),
        "rates": method.rates(appraisal.method),
        "choices": forms.GoalJudgmentForm.choices(),
        "can_judge": services.may_judge_goals(user, appraisal),
    }
    return render(request, "appraisals/goal_ratings.html", context)


@require_POST
def goal_judge(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        GoalRating.objects.restrict(request.user, "view").select_related(
            "appraisal", "goal", "goal__process_area", "org_unit"
        ),
        pk=pk,
    )
    _confirm(
        request,
        forms.GoalJudgmentForm(request.POST),
        row,
        services.goal_judge,
        invalid=_("Judge the goal Satisfied or Not satisfied."),
        done=_("Recorded the team's judgment of %(goal)s at %(unit)s.")
        % {"goal": f"{row.goal.process_area.abbreviation} {row.goal.code}", "unit": row.org_unit},
    )
    return HttpResponseRedirect(row.get_absolute_url())
