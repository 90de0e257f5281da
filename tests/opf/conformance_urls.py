"""The project's URLs with two API answers that break the schema on purpose
(tests/opf/test_response_conformance.py): the conformance check must catch them."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


@login_not_required
def wrong_improvement(request: HttpRequest, pk: int) -> JsonResponse:
    """An improvement whose id is a text and which lacks every other field."""
    return JsonResponse({"id": "seven"})


@login_not_required
def teapot(request: HttpRequest) -> JsonResponse:
    """A status no operation documents."""
    return JsonResponse({"results": []}, status=418)


urlpatterns = [
    path("api/v1/improvements/<int:pk>/", wrong_improvement),
    path("api/v1/improvements/", teapot),
    path("", include("opf.urls")),
]
