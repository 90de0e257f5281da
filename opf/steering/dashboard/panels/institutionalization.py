"""Institutionalization: process areas x generic practices, by the evidence rules
of ``opf.steering.dashboard.institutionalization``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core import charts
from opf.core.dashboard import Panel
from opf.organization.scope import DashboardFilter
from opf.steering.dashboard.institutionalization import PROGRAM_AREAS, RULES, grid


def areas_shown(f: DashboardFilter) -> list[Any]:
    """The process areas of the reference model holding OPF (the built-in CMMI model)."""
    from opf.reference.models import ProcessArea

    visible = ProcessArea.objects.restrict(f.user, "view")
    model_id = (
        visible.filter(abbreviation__in=PROGRAM_AREAS)
        .order_by("-reference_model__builtin", "reference_model_id")
        .values_list("reference_model_id", flat=True)
        .first()
    )
    if model_id is None:
        return []
    return list(
        visible.filter(reference_model_id=model_id).order_by(
            "maturity_level", "order", "abbreviation"
        )
    )


def build(f: DashboardFilter) -> dict[str, Any]:
    areas = areas_shown(f)
    evidence = grid(f, {a.abbreviation: a.pk for a in areas})
    rows = []
    for area in areas:
        cells = []
        for rule in RULES:
            found = evidence[rule.code].get(area.pk)
            cells.append(
                {"gp": rule.code, "text": found[0], "href": found[1], "rule": str(rule.rule)}
                if found
                else None
            )
        rows.append(
            {
                "area": area.abbreviation,
                "name": area.name,
                "href": area.get_absolute_url(),
                "program": area.abbreviation in PROGRAM_AREAS,
                "cells": cells,
                "covered": sum(1 for c in cells if c),
            }
        )
    return {
        "practices": [{"code": r.code, "title": str(r.title), "rule": str(r.rule)} for r in RULES],
        "rows": rows,
    }


def draw(figures: dict[str, Any]) -> dict[str, charts.Chart]:
    cells = {}
    for i, row in enumerate(figures["rows"]):
        for j, cell in enumerate(row["cells"]):
            cells[(i, j)] = (
                charts.Cell(1, _("yes"), cell["href"]) if cell else charts.Cell(None, "")
            )
    return {
        "grid": charts.heatmap(
            _("Evidence of the generic practices"),
            [r["area"] for r in figures["rows"]],
            [p["code"] for p in figures["practices"]],
            cells,
            x_label=_("Generic practice (GP)"),
            y_label=_("Process area"),
            low=0,
            high=1,
            cell_width=33,
            cell_height=15,
            row_hrefs=[r["href"] for r in figures["rows"]],
        )
    }


PANEL = Panel(
    "institutionalization",
    _lazy("Institutionalization"),
    "opf/dashboard/panels/institutionalization.html",
    build,
    order=90,
    charts=draw,
)
