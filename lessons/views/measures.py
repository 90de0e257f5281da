"""Pages of the measurement repository: measures with their XmR control chart,
measurements and their CSV import, and quantitative objectives."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from lessons import baseline_queries, filters, forms, queries, tables
from lessons.models import (
    Measure,
    Measurement,
    ProcessPerformanceBaseline,
    QuantitativeObjective,
)
from lessons.services import measures as measure_services
from lessons.views.baselines import baseline_chart
from opf.core import charts
from opf.core.permissions import can, signed_in_user
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.core.uploads import import_max_bytes
from opf.organization.models import Project


class MeasureDetailView(ObjectDetailView):
    """The measure with its XmR control chart (one project's values, or the mean), or,
    with ``?baseline=<id>``, a frozen baseline's mix judged against its limits."""

    template_name = "lessons/measure_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        measure: Measure = self.object
        raw = self.request.GET.get("project", "")
        project = None
        if raw.isdigit():
            project = Project.objects.restrict(self.request.user, "view").filter(pk=raw).first()
        baselines = list(baseline_queries.frozen_baselines(measure.pk, self.request.user))
        wanted = self.request.GET.get("baseline", "")
        baseline = next((b for b in baselines if str(b.pk) == wanted), None)
        context.update(
            baselines=baselines,
            selected_baseline=baseline,
            baseline_unknown=bool(wanted) and baseline is None,
            can_add_baseline=can(self.request.user, "add", ProcessPerformanceBaseline),
        )
        if baseline is not None:
            baseline.measure = measure
            baseline_control = baseline_queries.baseline_control(baseline)
            context.update(
                baseline_control=baseline_control,
                chart=baseline_chart(baseline, baseline_control),
                control=None,
                projects=[],
                selected_project=None,
                objectives=measure.objectives.select_related("owner"),
            )
            return context
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
        (_lazy("Process-performance baselines"), "lessons:processperformancebaseline_list"),
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
        "max_bytes": import_max_bytes(),
    }
    return render(request, "lessons/measurements_import.html", context, status=status)
