"""Pages of process-performance baselines (GP 4.1): the baseline with its mix, points,
limits, excluded points, judgement of the points after it and capability; freeze,
new revision, and the excluded points' own pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lessons import baseline_queries, filters, forms, tables
from lessons import process_performance as rule
from lessons.models import BaselineExclusion, ProcessPerformanceBaseline
from lessons.services import baselines as baseline_services
from opf.core import charts
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, signed_in_user
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews


def baseline_chart(
    baseline: ProcessPerformanceBaseline, control: baseline_queries.BaselineControl
) -> charts.Chart | None:
    """The baseline's points, then (frozen) the points after it, with its limits; the
    signals of the points after marked and a line where the baseline ends."""
    xmr = control.chart
    if xmr is None:
        return None
    return charts.line_chart(
        str(_("Baseline: %(baseline)s") % {"baseline": baseline}),
        [p.period.strftime("%Y-%m") for p in control.points],
        [
            charts.Series(
                str(_("Mean of the mix's projects")),
                [p.value for p in control.points],
                marked=frozenset(p.index for p in xmr.signals),
            )
        ],
        x_label=str(_("Month")),
        y_label=baseline.measure.unit,
        ref_lines=[
            charts.RefLine(xmr.ucl, str(_("UNPL"))),
            charts.RefLine(xmr.centre, str(_("Centre"))),
            charts.RefLine(xmr.lcl, str(_("LNPL"))),
        ],
        x_marks=[(control.baseline_count - 0.5, str(_("Baseline ends")))]
        if control.after_count
        else [],
    )


class BaselineDetailView(ObjectDetailView):
    template_name = "lessons/processperformancebaseline_detail.html"
    # The mix and the period are shown in words in the "Project mix" card.
    detail_exclude = (
        "org_unit",
        "project_types",
        "size_classes",
        "phases",
        "period_start",
        "period_end",
    )

    def transition_links(self, obj: Any) -> list[tuple[Any, str]]:
        """Freeze only: a baseline is superseded by freezing its next revision, never
        by a step of its own."""
        return [(t, url) for t, url in super().transition_links(obj) if t.name != "supersede"]

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("measure", "org_unit", "revised_from")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        baseline: ProcessPerformanceBaseline = self.object
        user = self.request.user
        control = baseline_queries.baseline_control(baseline)
        context.update(
            control=control,
            chart=baseline_chart(baseline, control),
            exclusions=baseline.exclusions.select_related("project").order_by("period", "pk"),
            capabilities=baseline_queries.capabilities(baseline),
            rule_text=rule.rule_text(),
            min_points=rule.MIN_POINTS,
            selection=baseline.selection_labels(),
            revisions=ProcessPerformanceBaseline.objects.filter(
                measure=baseline.measure_id, name=baseline.name
            ).order_by("-revision"),
            can_exclude=not baseline.is_locked and can(user, "add", BaselineExclusion),
            can_revise=baseline.state == ProcessPerformanceBaseline.State.FROZEN
            and can(user, "add", ProcessPerformanceBaseline),
        )
        return context


class ProcessPerformanceBaselineViews(ObjectViews):
    path_prefix = "baselines"
    model = ProcessPerformanceBaseline
    queryset = ProcessPerformanceBaseline.objects.select_related("measure", "org_unit")
    table = tables.ProcessPerformanceBaselineTable
    filterset = filters.ProcessPerformanceBaselineFilterSet
    form = forms.ProcessPerformanceBaselineForm
    detail_view = BaselineDetailView
    detail_template = "lessons/processperformancebaseline_detail.html"
    transitions = {"freeze": baseline_services.baseline_freeze}


class BaselineExclusionViews(ObjectViews):
    path_prefix = "baseline-exclusions"
    model = BaselineExclusion
    queryset = BaselineExclusion.objects.select_related("baseline", "project")
    table = tables.BaselineExclusionTable
    filterset = filters.BaselineExclusionFilterSet
    form = forms.BaselineExclusionForm


@require_POST
def baseline_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft revision of a frozen baseline; the page of the new revision."""
    baseline = get_object_or_404(
        ProcessPerformanceBaseline.objects.restrict(request.user, "view"), pk=pk
    )
    if not can(request.user, "add", ProcessPerformanceBaseline):
        raise PermissionDenied
    try:
        revision = baseline_services.baseline_revise(
            baseline, actor=signed_in_user(request), reason=request.POST.get("reason", "")
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Revision %(rev)s is a draft: change it, then freeze it.")
            % {"rev": revision.revision},
        )
        return HttpResponseRedirect(revision.get_absolute_url())
    return HttpResponseRedirect(baseline.get_absolute_url())
