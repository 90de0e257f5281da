"""The appraisal disclosure statement (ADS): what an appraisal covered and concluded,
as a page anyone who may read the appraisal can open (and print)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from appraisals import method, queries
from appraisals.models import Appraisal
from appraisals.views import _appraisal


def disclosure(appraisal: Appraisal) -> dict[str, Any]:
    """Scope and sampling, model, method, people, dates, ratings and their expiry."""
    rates = method.rates(appraisal.method)
    return {
        "appraisal": appraisal,
        "units": list(appraisal.org_units.all()),
        "projects": list(appraisal.projects.select_related("org_unit")),
        "areas": list(appraisal.process_areas.order_by("maturity_level", "order")),
        "team": queries.team_of(appraisal),
        "rates": rates,
        "ratings": list(queries.ratings_of(appraisal).exclude(value="")) if rates else [],
        "maturity": queries.maturity_by_unit(appraisal),
        "expires": method.ratings_expire(appraisal.actual_end) if rates else None,
        "rules": queries.rules(),
    }


@require_GET
def appraisal_disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal(request, pk)
    return render(request, "appraisals/appraisal_disclosure.html", disclosure(appraisal))
