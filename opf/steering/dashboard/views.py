"""The dashboard page: the filter swaps the panels with HTMX."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from opf.core.dashboard import Panel, RenderedPanel, figures_key, panel_figures, panels_for
from opf.core.freshness import cached
from opf.core.ui.choices import all_choices_of
from opf.core.ui.htmx import wants_partial
from opf.organization.scope import DashboardFilter
from opf.steering.dashboard.access import FULL, dashboard_filter, scope_of
from opf.steering.dashboard.panels.headline import SLUG as HEADLINE

# How tall each panel usually is (in 100 px on a laptop, 1366 px wide, measured on the
# demo data), to share the panels between the two columns of a wide screen so that both
# end about as low; a panel not listed counts 3.
HEIGHTS = {
    "maturity": 3.5,
    "funnel": 3.2,
    "plan-health": 6.4,
    "deployment": 4.8,
    "compliance": 5.1,
    "sponsorship": 2.6,
    "engagement": 1.7,
    "initiatives": 2.0,
    "momentum": 3.5,
    "scope": 3.2,
    "institutionalization": 5.7,
}


MAX_SPLIT = 14  # panels past these go to the right column (never more than 2**14 splits)


def columns(panels: list[RenderedPanel]) -> list[list[RenderedPanel]]:
    """The panels (but the headline) in two columns, each keeping the panels' order,
    shared so that the taller column is as short as can be (every split is tried: a
    dashboard has about ten panels). On a phone the columns follow each other."""
    shown = [item for item in panels if item.panel.slug != HEADLINE]
    heights = [HEIGHTS.get(item.panel.slug, 3.0) for item in shown]
    best, best_height = 0, float("inf")
    for mask in range(1 << min(len(shown), MAX_SPLIT)):
        if mask & 1:  # the first panel opens the left column
            continue
        right = sum(h for i, h in enumerate(heights) if mask >> i & 1 or i >= MAX_SPLIT)
        taller = max(right, sum(heights) - right)
        if taller < best_height - 1e-9:
            best, best_height = mask, taller
    return [
        [item for i, item in enumerate(shown) if not best >> i & 1 and i < MAX_SPLIT],
        [item for i, item in enumerate(shown) if best >> i & 1 or i >= MAX_SPLIT],
    ]


def drawn_panels(f: DashboardFilter, request: HttpRequest) -> list[RenderedPanel]:
    """Every panel the user may see, drawn: each panel's section is kept as drawn with
    its figures (until the data they read changes), so a write draws again only the
    panels that read what it wrote (#24: drawing all twelve took most of the time after
    a deployment update at scale 10). The headline is drawn by the page itself."""
    key = figures_key(f)
    drawn = []
    for panel in panels_for(f.user):
        if panel.slug == HEADLINE:
            data = panel_figures(f, panel)
            drawn.append(RenderedPanel(panel, data, panel.draw(data)))
            continue

        def draw(panel: Panel = panel) -> str:
            data = panel_figures(f, panel)
            item = RenderedPanel(panel, data, panel.draw(data))
            return render_to_string(
                "opf/dashboard/panel_list.html#panel", {"item": item}, request=request
            )

        html = cached((*key, panel.slug, "drawn"), draw)
        drawn.append(RenderedPanel(panel, {}, html=mark_safe(html)))  # noqa: S308 (ours)
    return drawn


def dashboard(request: HttpRequest) -> HttpResponse:
    f, form = dashboard_filter(request.user, request.GET, all_choices_of(request))
    context: dict[str, Any] = {
        "filter": f,
        "form": form,
        "full": scope_of(request.user) == FULL,
    }
    refused = form.is_bound and bool(form.errors)

    def panels_html() -> str:
        panels = drawn_panels(f, request)
        return render_to_string(
            "opf/dashboard.html#panels",
            {
                **context,
                "panels": panels,
                "headline": next((p for p in panels if p.panel.slug == HEADLINE), None),
                "columns": columns(panels),
            },
            request=request,
        )

    # The panels as drawn are kept with their figures, until the data next changes.
    html = panels_html() if refused else cached((*figures_key(f), "page"), panels_html)
    status = 400 if refused else 200
    if wants_partial(request):
        return HttpResponse(html, status=status)
    context["panels_html"] = mark_safe(html)  # noqa: S308 (our own template's output)
    return render(request, "opf/dashboard.html", context, status=status)
