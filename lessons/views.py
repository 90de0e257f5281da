"""Pages of audits and lessons: the generic record pages (``ObjectViews``) plus the
audit checklist, submissions, compliance over time, control charts, the
measurement import and the trace."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deployment.models import ProcessAsset
from lessons import filters, forms, queries, tables, trace
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
from opf.core import charts
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, restrict, signed_in_user
from opf.core.ui.htmx import wants_partial
from opf.core.ui.views import ObjectDetailView, ObjectFormView, ObjectViews
from opf.organization.models import Project

# --- audits ------------------------------------------------------------------


class ComplianceAuditDetailView(ObjectDetailView):
    """The audit with its checklist; each item's result is recorded in place (HTMX)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("project__manager", "auditor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        audit: ComplianceAudit = self.object
        user = self.request.user
        items = list(
            audit.items.select_related("asset_version__asset", "non_compliance").order_by("pk")
        )
        running = audit.state == ComplianceAudit.State.IN_PROGRESS
        may_change = can(user, "change", audit)
        context.update(
            items=items,
            can_record=running and may_change,
            can_build=may_change
            and audit.state in (ComplianceAudit.State.PLANNED, ComplianceAudit.State.IN_PROGRESS),
            checklist_form=forms.ChecklistForm(),
            result_choices=AuditItem.Result.choices,
            severity_choices=NonCompliance.Severity.choices,
            non_compliances=audit.non_compliances.select_related("owner"),
        )
        return context


class ComplianceAuditViews(ObjectViews):
    path_prefix = "audits"
    model = ComplianceAudit
    queryset = ComplianceAudit.objects.select_related("project", "auditor")
    table = tables.ComplianceAuditTable
    filterset = filters.ComplianceAuditFilterSet
    form = forms.ComplianceAuditForm
    detail_view = ComplianceAuditDetailView
    list_links = ((_lazy("Compliance over time"), "lessons:compliance"),)
    transitions = {
        "start": audit_services.audit_start,
        "complete": audit_services.audit_complete,
        "cancel": audit_services.audit_cancel,
    }


class AuditItemViews(ObjectViews):
    path_prefix = "audit-items"
    model = AuditItem
    queryset = AuditItem.objects.select_related("audit__project", "asset_version__asset")
    table = tables.AuditItemTable
    filterset = filters.AuditItemFilterSet
    form = forms.AuditItemForm


def _audit(request: HttpRequest, pk: int) -> ComplianceAudit:
    audit = get_object_or_404(
        ComplianceAudit.objects.restrict(request.user, "view").select_related("project"), pk=pk
    )
    if not can(request.user, "change", audit):
        raise PermissionDenied
    return audit


@require_POST
def audit_build_checklist(request: HttpRequest, pk: int) -> HttpResponse:
    audit = _audit(request, pk)
    form = forms.ChecklistForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(audit.get_absolute_url())
    try:
        created = audit_services.audit_build_checklist(
            audit, actor=signed_in_user(request), work_products=form.lines()
        )
    except (TransitionRefused, ValidationError) as error:
        if isinstance(error, TransitionRefused):
            messages.error(request, error.message)
        else:
            messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)d item(s) added to the checklist.") % {"count": len(created)}
        )
    return HttpResponseRedirect(f"{audit.get_absolute_url()}#checklist")


@require_POST
def audit_item_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one item's result; HTMX swaps the item's row, errors in place."""
    item = get_object_or_404(
        AuditItem.objects.select_related("audit__project", "asset_version__asset"), pk=pk
    )
    if not can(request.user, "view", item.audit) or not can(request.user, "change", item):
        raise PermissionDenied
    form = forms.ItemResultForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            audit_services.audit_item_record(
                item,
                result=form.cleaned_data["result"],
                evidence=form.cleaned_data["evidence"],
                raise_non_compliance=form.cleaned_data["raise_non_compliance"],
                severity=form.cleaned_data["severity"] or NonCompliance.Severity.MINOR,
                actor=signed_in_user(request),
            )
        except TransitionRefused as refused:
            error = refused.message
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
    else:
        error = _("Choose a result.")
    if not wants_partial(request):
        if error:
            messages.error(request, error)
        return HttpResponseRedirect(f"{item.audit.get_absolute_url()}#item-{item.pk}")
    item.refresh_from_db()
    if error:
        item.result = form.data.get("result", item.result)
        item.evidence = form.data.get("evidence", item.evidence)
    context = {
        "item": item,
        "object": item.audit,
        "can_record": True,
        "result_choices": AuditItem.Result.choices,
        "severity_choices": NonCompliance.Severity.choices,
        "item_error": error,
    }
    return render(
        request,
        "lessons/complianceaudit_detail.html#item_row",
        context,
        status=400 if error else 200,
    )


@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    """Compliance by project, org unit and asset per quarter, with the trend chart."""
    if not can(request.user, "view", ComplianceAudit):
        raise PermissionDenied
    trend = queries.compliance_trend()
    chart = None
    if trend:
        chart = charts.line_chart(
            str(_("Compliance over time")),
            [p for p, _v in trend],
            [
                charts.Series(
                    str(_("Compliance %")), [float(v) if v is not None else None for _p, v in trend]
                )
            ],
            x_label=str(_("Quarter")),
            y_label="%",
            y_min=0,
            y_max=100,
        )
    context = {
        "title": _("Compliance over time"),
        "chart": chart,
        "tables": [
            (_("By project"), queries.compliance_over_time("project")),
            (_("By org unit"), queries.compliance_over_time("org_unit")),
            (_("By asset"), queries.compliance_over_time("asset")),
        ],
        "aging": queries.open_nc_aging(),
    }
    return render(request, "lessons/compliance.html", context)


# --- non-compliances ---------------------------------------------------------


class NonComplianceDetailView(ObjectDetailView):
    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("project__manager", "owner", "asset", "audit__project")
        )


class NonComplianceViews(ObjectViews):
    path_prefix = "non-compliances"
    model = NonCompliance
    queryset = NonCompliance.objects.select_related("project", "asset", "owner")
    table = tables.NonComplianceTable
    filterset = filters.NonComplianceFilterSet
    form = forms.NonComplianceForm
    detail_view = NonComplianceDetailView
    list_links = ((_lazy("Recurrence rule"), "lessons:recurrencerule_list"),)
    transitions = {
        "start_correction": audit_services.non_compliance_start_correction,
        "verify": audit_services.non_compliance_verify,
        "close": audit_services.non_compliance_close,
        "reopen": audit_services.non_compliance_reopen,
    }


class RecurrenceRuleViews(ObjectViews):
    path_prefix = "recurrence-rules"
    model = RecurrenceRule
    table = tables.RecurrenceRuleTable
    filterset = filters.RecurrenceRuleFilterSet
    form = forms.RecurrenceRuleForm


# --- lessons and proposals ---------------------------------------------------


class SubmitView(ObjectFormView):
    """Anyone's submission: the "submit" permission, the model's submit service."""

    action = "submit"
    service: Any = None

    def required_action(self) -> str:
        return "submit"

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = type(self).service(
                form.save(commit=False), actor=signed_in_user(self.request)
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        form.save_m2m()
        messages.success(
            self.request, _("Thank you: %(object)s was submitted.") % {"object": self.object}
        )
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Submit a %(model)s") % {"model": self.model._meta.verbose_name}
        return context


class LessonSubmitView(SubmitView):
    model = Lesson
    form_class = forms.LessonSubmitForm
    service = staticmethod(learning_services.lesson_submit)


class ProposalSubmitView(SubmitView):
    model = ImprovementProposal
    form_class = forms.ProposalSubmitForm
    service = staticmethod(learning_services.proposal_submit)


class LessonViews(ObjectViews):
    path_prefix = "lessons"
    model = Lesson
    queryset = Lesson.objects.select_related("project", "asset", "submitted_by")
    table = tables.LessonTable
    filterset = filters.LessonFilterSet
    form = forms.LessonForm
    list_links = (
        (_lazy("Submit a lesson"), "lessons:lesson_submit"),
        (_lazy("Lessons to reuse"), "lessons:my_project_lessons"),
    )
    transitions = {
        "publish": learning_services.lesson_publish,
        "archive": learning_services.lesson_archive,
    }


class ProposalDetailView(ObjectDetailView):
    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("asset", "process_area", "submitted_by", "improvement", "lesson")
            .prefetch_related(
                Prefetch(
                    "non_compliances", queryset=NonCompliance.objects.select_related("project")
                )
            )
        )


class ImprovementProposalViews(ObjectViews):
    path_prefix = "proposals"
    model = ImprovementProposal
    queryset = ImprovementProposal.objects.select_related(
        "asset", "process_area", "submitted_by", "improvement"
    )
    table = tables.ImprovementProposalTable
    filterset = filters.ImprovementProposalFilterSet
    form = forms.ImprovementProposalForm
    detail_view = ProposalDetailView
    list_links = ((_lazy("Submit a proposal"), "lessons:improvementproposal_submit"),)
    transitions = {
        "accept": learning_services.proposal_accept,
        "reject": learning_services.proposal_reject,
    }


class EffectivenessReviewViews(ObjectViews):
    path_prefix = "effectiveness-reviews"
    model = EffectivenessReview
    queryset = EffectivenessReview.objects.select_related("standard_set")
    table = tables.EffectivenessReviewTable
    filterset = filters.EffectivenessReviewFilterSet
    form = forms.EffectivenessReviewForm


LESSON_TARGETS: dict[str, type[Project] | type[ProcessAsset]] = {
    "project": Project,
    "processasset": ProcessAsset,
}


@require_GET
def lessons_for(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """The published lessons of a project or an asset: a partial for their pages
    (``hx-get`` on load), or a page of its own without JavaScript."""
    target_model = LESSON_TARGETS.get(model)
    if target_model is None or not can(request.user, "view", Lesson):
        raise Http404
    target = get_object_or_404(target_model.objects.restrict(request.user, "view"), pk=pk)
    context = {"target": target, "lessons": list(queries.lessons_for(target)[:50])}
    template = "lessons/lessons_for.html"
    return render(request, f"{template}#lessons" if wants_partial(request) else template, context)


@require_GET
def my_project_lessons(request: HttpRequest) -> HttpResponse:
    """Published lessons offered to a project manager for each of their projects."""
    if not can(request.user, "view", Lesson):
        raise PermissionDenied
    context = {
        "title": _("Lessons to reuse"),
        "projects": queries.lessons_for_managed_projects(signed_in_user(request)),
    }
    return render(request, "lessons/my_project_lessons.html", context)


# --- measures ----------------------------------------------------------------


class MeasureDetailView(ObjectDetailView):
    """The measure with its XmR control chart (one project's values, or the mean)."""

    template_name = "lessons/measure_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measure: Measure = self.object
        raw = self.request.GET.get("project", "")
        project = None
        if raw.isdigit():
            project = Project.objects.restrict(self.request.user, "view").filter(pk=raw).first()
        control = queries.control_chart(measure, project)
        chart = None
        if control.chart is not None:
            xmr = control.chart
            chart = charts.line_chart(
                str(_("XmR chart: %(measure)s") % {"measure": measure}),
                [p.strftime("%Y-%m") for p in control.periods],
                [
                    charts.Series(
                        str(project or _("Mean of the projects")),
                        control.values,
                        marked=frozenset(p.index for p in xmr.signals),
                    )
                ],
                x_label=str(_("Month")),
                y_label=measure.unit,
                ref_lines=[
                    charts.RefLine(xmr.ucl, str(_("UNPL"))),
                    charts.RefLine(xmr.centre, str(_("Centre"))),
                    charts.RefLine(xmr.lcl, str(_("LNPL"))),
                ],
            )
        context.update(
            control=control,
            chart=chart,
            projects=Project.objects.restrict(self.request.user, "view")
            .filter(measurements__measure=measure)
            .distinct()
            .order_by("name"),
            selected_project=project,
            objectives=measure.objectives.select_related("owner"),
        )
        return context


class MeasureViews(ObjectViews):
    path_prefix = "measures"
    model = Measure
    queryset = Measure.objects.select_related("asset")
    table = tables.MeasureTable
    filterset = filters.MeasureFilterSet
    form = forms.MeasureForm
    detail_view = MeasureDetailView
    detail_template = "lessons/measure_detail.html"
    list_links = (
        (_lazy("Measurements"), "lessons:measurement_list"),
        (_lazy("Quantitative objectives"), "lessons:quantitativeobjective_list"),
    )


class MeasurementViews(ObjectViews):
    path_prefix = "measurements"
    model = Measurement
    queryset = Measurement.objects.select_related("measure", "project")
    table = tables.MeasurementTable
    filterset = filters.MeasurementFilterSet
    form = forms.MeasurementForm
    list_links = ((_lazy("Import from CSV"), "lessons:measurements_import"),)


class QuantitativeObjectiveViews(ObjectViews):
    path_prefix = "quantitative-objectives"
    model = QuantitativeObjective
    queryset = QuantitativeObjective.objects.select_related("measure", "owner")
    table = tables.QuantitativeObjectiveTable
    filterset = filters.QuantitativeObjectiveFilterSet
    form = forms.QuantitativeObjectiveForm


@require_http_methods(["GET", "POST"])
def measurements_import(request: HttpRequest) -> HttpResponse:
    """Preview a CSV of measurements row by row; import all of it or nothing."""
    if not can(request.user, "add", Measurement):
        raise PermissionDenied
    form = forms.MeasurementsImportForm(request.POST or None, request.FILES or None)
    preview = None
    status = 200
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        if request.POST.get("action") == "import":
            try:
                saved = measure_services.import_measurements_csv(
                    content, actor=signed_in_user(request)
                )
            except measure_services.ImportFailed as failure:
                preview, status = failure.preview, 400
            else:
                messages.success(
                    request, _("Imported %(count)d measurements.") % {"count": len(saved)}
                )
                return HttpResponseRedirect(reverse("lessons:measurement_list"))
        else:
            preview = measure_services.preview_measurements_csv(
                content, actor=signed_in_user(request)
            )
            status = 200 if preview.ok else 400
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "preview": preview,
        "content": form.cleaned_data.get("content", "")
        if form.is_bound and form.is_valid()
        else "",
        "columns": measure_services.IMPORT_COLUMNS,
    }
    return render(request, "lessons/measurements_import.html", context, status=status)


# --- trace -------------------------------------------------------------------


@require_GET
def trace_page(request: HttpRequest, app: str, model: str, pk: int) -> HttpResponse:
    """Where a record came from and what it led to, as lists and a small SVG graph."""
    target_model = trace.traceable_kinds().get(model)
    if target_model is None or target_model._meta.app_label != app:
        raise Http404
    if not can(request.user, "view", target_model):
        raise PermissionDenied
    obj = get_object_or_404(
        restrict(target_model._default_manager.all(), request.user, "view"), pk=pk
    )
    result = trace.trace(obj, request.user)
    context = {"object": obj, "trace": result, "graph": trace.graph(result)}
    return render(request, "lessons/trace.html", context)
