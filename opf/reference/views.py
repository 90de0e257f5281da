from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from opf.core.permissions import can, signed_in_user
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.reference import filters, forms, tables
from opf.reference.models import Practice, ProcessArea, ReferenceModel
from opf.reference.services import ImportFailed, import_reference_model


class ReferenceModelDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["areas"] = self.object.process_areas.annotate(
            goal_count=Count("goals", distinct=True),
            practice_count=Count("practices", distinct=True),
        )
        return context


class ReferenceModelViews(ObjectViews):
    path_prefix = "reference-models"
    model = ReferenceModel
    queryset = ReferenceModel.objects.annotate(area_count=Count("process_areas"))
    table = tables.ReferenceModelTable
    filterset = filters.ReferenceModelFilterSet
    form = forms.ReferenceModelForm
    list_links = ((_lazy("Import from a file"), "opf:referencemodel_import"),)
    detail_view = ReferenceModelDetailView
    detail_template = "opf/referencemodel_detail.html"


class ProcessAreaDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["goals"] = self.object.goals.prefetch_related("practices")
        context["loose_practices"] = self.object.practices.filter(goal__isnull=True)
        return context


class ProcessAreaViews(ObjectViews):
    path_prefix = "process-areas"
    model = ProcessArea
    queryset = ProcessArea.objects.select_related("reference_model")
    table = tables.ProcessAreaTable
    filterset = filters.ProcessAreaFilterSet
    form = forms.ProcessAreaForm
    detail_view = ProcessAreaDetailView
    detail_template = "opf/processarea_detail.html"


class PracticeViews(ObjectViews):
    path_prefix = "practices"
    model = Practice
    queryset = Practice.objects.select_related("process_area__reference_model", "goal")
    table = tables.PracticeTable
    filterset = filters.PracticeFilterSet
    form = forms.PracticeForm
    detail_template = "opf/practice_detail.html"


@require_http_methods(["GET", "POST"])
def reference_import(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "add", ReferenceModel):
        raise PermissionDenied
    form = forms.ReferenceImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        meta = {k: form.cleaned_data[k] for k in ("abbreviation", "name", "version")}
        try:
            model = import_reference_model(
                upload.read(),
                upload.name,
                actor=signed_in_user(request),
                **(meta if upload.name.lower().endswith(".csv") else {}),
            )
        except ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(request, _("Imported %(model)s.") % {"model": model})
            return HttpResponseRedirect(model.get_absolute_url())
    status = 400 if request.method == "POST" and (errors or form.errors) else 200
    return render(
        request, "opf/reference_import.html", {"form": form, "errors": errors}, status=status
    )
