"""Pages of compliance audits: the audit with its checklist (built and recorded in
place), compliance over time, and the non-compliances with their recurrence rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lessons import filters, forms, queries, tables
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    NonCompliance,
    RecurrenceRule,
)
from lessons.services import audits as audit_services
from opf.core import charts
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, signed_in_user
from opf.core.ui.htmx import wants_partial
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews


class ComplianceAuditDetailView(ObjectDetailView):
    """The audit with its checklist; each item's result is recorded in place (HTMX)."""

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("project__manager", "auditor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        audit: ComplianceAudit = self.object
        user = self.request.user
        items = list(
            audit.items.select_related(
                "asset_version__asset", "non_compliance", "tailoring"
            ).order_by("pk")
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
        "reopen": audit_services.audit_reopen,
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
            request,
            ngettext(
                "%(count)d item added to the checklist.",
                "%(count)d items added to the checklist.",
                len(created),
            )
            % {"count": len(created)},
        )
    return HttpResponseRedirect(f"{audit.get_absolute_url()}#checklist")


@require_POST
def audit_item_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one item's result; HTMX swaps the item's row, errors in place."""
    item = get_object_or_404(
        AuditItem.objects.select_related("audit__project", "asset_version__asset", "tailoring"),
        pk=pk,
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
    # The row, and the score in the heading swapped out of band: it moves as results do.
    item.audit.refresh_from_db(fields=["score"])
    page = "lessons/complianceaudit_detail.html"
    row = render_to_string(f"{page}#item_row", context, request)
    score = render_to_string(f"{page}#score_badge", {"object": item.audit, "oob": True}, request)
    return HttpResponse(row + score, status=400 if error else 200)


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
