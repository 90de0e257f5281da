"""The search page: ``GET /search/?q=`` (``opf.core.search``). A plain form: it works
without JavaScript; the top bar's box (``/`` focuses it) opens it. With HTMX the
results follow the words as they are typed (the outcome partial, URL pushed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opf.core.limits import max_search_length
from opf.core.permissions import signed_in_user
from opf.core.search import LIMIT, search
from opf.core.ui.htmx import wants_partial


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    query = request.GET.get("q", "")
    error = ""
    groups = []
    try:
        groups = search(user, query)
    except ValidationError as refused:
        error = refused.messages[0]
    status = 400 if error else 200
    partial = wants_partial(request)  # typing in the box: only the results change
    return render(
        request,
        "opf/search.html#outcome" if partial else "opf/search.html",
        {
            "partial": partial,
            "query": query.strip(),
            "groups": groups,
            "error": error,
            "total": sum(group.count for group in groups),
            "limit": LIMIT,
            "max_length": max_search_length(),
        },
        status=status,
    )
