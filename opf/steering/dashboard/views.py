"""The dashboard page: the filter swaps the panels with HTMX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opf.core.dashboard import figures, render_panels
from opf.core.ui.htmx import template_for
from opf.steering.dashboard.access import FULL, dashboard_filter, scope_of


def dashboard(request: HttpRequest) -> HttpResponse:
    f, form = dashboard_filter(request.user, request.GET)
    panels = render_panels(figures(f))
    context = {
        "filter": f,
        "form": form,
        "panels": panels,
        "full": scope_of(request.user) == FULL,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, template_for(request, "opf/dashboard.html", "panels"), context, status=status
    )
