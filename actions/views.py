"""Pages of the improvement pipeline: the ranked list, scoring, manual rank,
selection, and creation from weaknesses or needs in one step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from actions import filters, forms, services, tables
from actions.models import CostRate, Improvement, ImprovementScore, PrioritizationCriterion
from appraisals.models import Appraisal, Finding, ProcessNeed
from opf.core.permissions import can, signed_in_user
from opf.core.registry import page_context
from opf.core.ui.forms import set_queryset, typed_field
from opf.core.ui.htmx import wants_partial
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews


class PrioritizationCriterionViews(ObjectViews):
    path_prefix = "prioritization-criteria"
    model = PrioritizationCriterion
    table = tables.PrioritizationCriterionTable
    filterset = filters.PrioritizationCriterionFilterSet
    form = forms.PrioritizationCriterionForm
    inline_fields = ("weight", "active")
    list_links = ((_lazy("Hourly rate"), "actions:costrate_list"),)


class CostRateViews(ObjectViews):
    path_prefix = "cost-rates"
    model = CostRate
    table = tables.CostRateTable
    filterset = filters.CostRateFilterSet
    form = forms.CostRateForm


def score_rows(improvement: Improvement, computed: int | None = None) -> list[dict[str, Any]]:
    """One row per active criterion with this improvement's score (two queries); a
    computed (benefit/cost) criterion shows ``computed``, the business case's score."""
    scores = {
        s.criterion_id: s.value for s in ImprovementScore.objects.filter(improvement=improvement)
    }
    return [
        {
            "criterion": c,
            "computed": c.source != PrioritizationCriterion.Source.SCORED,
            "value": computed
            if c.source != PrioritizationCriterion.Source.SCORED
            else scores.get(c.pk),
        }
        for c in PrioritizationCriterion.objects.filter(active=True)
    ]


class ImprovementDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        improvement: Improvement = self.object
        case = services.business_case_of(improvement)
        context.update(
            priority=services.priority_of(improvement),
            score_rows=score_rows(improvement, case.ratio_score),
            case=case,
            currency=CostRate.currency_in_use(),
            score_choices=typed_field(forms.ScoreForm.base_fields, "value", ChoiceField).choices,
            source_findings=improvement.findings.select_related("appraisal", "process_area"),
            source_needs=improvement.needs.all(),
            areas=improvement.process_areas.all(),
            rank_form=forms.RankForm(
                initial={"rank": improvement.rank_override, "reason": improvement.rank_reason}
            ),
        )
        context.update(page_context("actions.improvement_detail", self.request.user, context))
        return context


class ImprovementViews(ObjectViews):
    path_prefix = "improvements"
    model = Improvement
    queryset = Improvement.objects.select_related("owner").ranked()
    table = tables.ImprovementTable
    filterset = filters.ImprovementFilterSet
    form = forms.ImprovementForm
    detail_view = ImprovementDetailView
    inline_fields = ("owner",)
    list_links = ((_lazy("Prioritization criteria"), "actions:prioritizationcriterion_list"),)
    transitions = {
        "select": services.improvement_select,
        "defer": services.improvement_defer,
        "reject": services.improvement_reject,
        "reconsider": services.improvement_reconsider,
    }


def _improvement(request: HttpRequest, pk: int) -> Improvement:
    improvement = get_object_or_404(Improvement.objects.restrict(request.user, "view"), pk=pk)
    if not can(request.user, "change", improvement):
        raise PermissionDenied
    return improvement


@require_POST
def improvement_score(request: HttpRequest, pk: int, criterion: int) -> HttpResponse:
    """Set one criterion's score; HTMX swaps the scores card (with the new priority)."""
    improvement = _improvement(request, pk)
    criterion_obj = get_object_or_404(
        PrioritizationCriterion,
        pk=criterion,
        active=True,
        source=PrioritizationCriterion.Source.SCORED,
    )
    form = forms.ScoreForm(request.POST)
    status = 200
    if form.is_valid():
        services.improvement_score(
            improvement=improvement,
            criterion=criterion_obj,
            value=form.cleaned_data["value"],
            actor=signed_in_user(request),
        )
    else:
        status = 400
    if not wants_partial(request):
        if status == 400:
            messages.error(request, _("Choose a score from 1 to 5."))
        return HttpResponseRedirect(f"{improvement.get_absolute_url()}#scores")
    context = {
        "object": improvement,
        "priority": services.priority_of(improvement),
        "score_rows": score_rows(improvement, services.business_case_of(improvement).ratio_score),
        "score_choices": typed_field(forms.ScoreForm.base_fields, "value", ChoiceField).choices,
        "can_change": True,
        "score_error": form.errors.get("value"),
    }
    return render(request, "actions/improvement_detail.html#scores", context, status=status)


@require_POST
def improvement_rank(request: HttpRequest, pk: int) -> HttpResponse:
    improvement = _improvement(request, pk)
    form = forms.RankForm(request.POST)
    if form.is_valid():
        try:
            services.improvement_set_rank(
                improvement,
                rank=form.cleaned_data["rank"],
                reason=form.cleaned_data["reason"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rank saved."))
    else:
        messages.error(request, _("A rank is a whole number from 1."))
    return HttpResponseRedirect(improvement.get_absolute_url())


@require_POST
def improvement_from_findings(request: HttpRequest) -> HttpResponse:
    """The appraisal page's "Create improvement" from the picked weaknesses."""
    if not can(request.user, "add", Improvement):
        raise PermissionDenied
    raw = request.POST.get("appraisal", "")
    appraisal = get_object_or_404(
        Appraisal.objects.restrict(request.user, "view"), pk=raw if raw.isdigit() else 0
    )
    back = f"{appraisal.get_absolute_url()}#findings"
    form = forms.FromFindingsForm(request.POST)
    set_queryset(form.fields, "findings", Finding.objects.filter(appraisal=appraisal))
    if not form.is_valid():
        messages.error(request, _("Pick at least one weakness of this appraisal."))
        return HttpResponseRedirect(back)
    try:
        created = services.improvement_create_from_findings(
            findings=form.cleaned_data["findings"],
            title=form.cleaned_data["title"],
            separately=form.cleaned_data["separately"],
            actor=signed_in_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back)
    messages.success(
        request,
        ngettext(
            "Created %(count)d improvement: %(titles)s.",
            "Created %(count)d improvements: %(titles)s.",
            len(created),
        )
        % {"count": len(created), "titles": "; ".join(str(i) for i in created)},
    )
    if len(created) == 1:
        return HttpResponseRedirect(created[0].get_absolute_url())
    return HttpResponseRedirect(f"{reverse('actions:improvement_list')}?appraisal={appraisal.pk}")


@require_POST
def improvement_from_need(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "add", Improvement):
        raise PermissionDenied
    need = get_object_or_404(ProcessNeed.objects.restrict(request.user, "view"), pk=pk)
    improvement = services.improvement_create_from_need(need=need, actor=signed_in_user(request))
    messages.success(request, _("Created %(title)s from the need.") % {"title": improvement})
    return HttpResponseRedirect(improvement.get_absolute_url())
