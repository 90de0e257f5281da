"""The trace page: where a record came from and what it led to, as lists and a
small SVG graph."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from lessons import trace
from opf.core.permissions import can, restrict


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
