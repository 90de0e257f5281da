"""The appraisal disclosure statement (ADS): what an appraisal covered and concluded,
as a page anyone who may read the appraisal can open, and as a PDF (the
``appraisal_disclosure`` document kind in ``appraisals.documents``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from appraisals import queries
from appraisals.views import _appraisal


@require_GET
def appraisal_disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal(request, pk)
    return render(request, "appraisals/appraisal_disclosure.html", queries.disclosure(appraisal))
