"""Pages of the process architecture: the tree (value chain → process → sub-process)
with each process's owner, standing against the standard process set and hand-offs;
a process's record; the hand-offs; their forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lessons import filters, forms, tables
from lessons.models import Handoff, Process
from lessons.services import architecture
from opf.core.permissions import can, signed_in_user
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews


@require_GET
def process_architecture(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", Process):
        raise PermissionDenied
    user = signed_in_user(request)
    rows, coverage = architecture.tree(user)
    return render(
        request,
        "lessons/process_architecture.html",
        {
            "chains": architecture.by_value_chain(rows),
            "coverage": coverage,
            "can_add": can(user, "add", Process),
            "can_add_handoff": can(user, "add", Handoff),
        },
    )


class ProcessDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        process: Process = self.object
        user = self.request.user
        rows, _coverage = architecture.tree(
            user, architecture.processes_for(user).filter(pk=process.pk)
        )
        context.update(
            row=rows[0] if rows else None,
            children=architecture.processes_for(user).filter(parent=process).order_by("path"),
            areas=process.process_areas.select_related("reference_model"),
            assets=process.assets.all(),
            measures=process.measures.all(),
        )
        return context


class ProcessViews(ObjectViews):
    path_prefix = "processes"
    model = Process
    queryset = Process.objects.select_related("owner", "owning_unit", "parent")
    table = tables.ProcessTable
    filterset = filters.ProcessFilterSet
    form = forms.ProcessForm
    detail_view = ProcessDetailView
    detail_template = "lessons/process_detail.html"


class HandoffViews(ObjectViews):
    path_prefix = "handoffs"
    model = Handoff
    queryset = Handoff.objects.select_related("source", "target")
    table = tables.HandoffTable
    filterset = filters.HandoffFilterSet
    form = forms.HandoffForm
