"""Pages of the webhooks (process group only): endpoints with their recent deliveries,
a test ping, a new secret, and redelivery. Every step is a plain POST (no JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opf.core.errors import TransitionRefused
from opf.core.events import event_types
from opf.core.permissions import can, restrict, signed_in_user
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.core.ui.writing import ObjectFormView
from opf.core.versioning import StaleVersion, conflict_message
from opf.webhooks import filters, forms, services, tables
from opf.webhooks.models import WebhookDelivery, WebhookEndpoint

RECENT_DELIVERIES = 25


def _secret_key(pk: int) -> str:
    return f"opf.webhooks.secret:{pk}"


def show_secret_once(request: HttpRequest, endpoint: WebhookEndpoint) -> None:
    request.session[_secret_key(endpoint.pk)] = endpoint.secret


class EndpointDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        endpoint = self.object
        known = event_types()
        context["event_labels"] = [
            (slug, known[slug].label if slug in known else slug) for slug in endpoint.events
        ]
        context["deliveries"] = list(
            endpoint.deliveries.prefetch_related("attempt_log").order_by("-created_at", "-pk")[
                :RECENT_DELIVERIES
            ]
        )
        context["secret"] = self.request.session.pop(_secret_key(endpoint.pk), None)
        return context


class EndpointFormView(ObjectFormView):
    def form_valid(self, form: forms.WebhookEndpointForm) -> HttpResponse:  # type: ignore[override]
        adding = "pk" not in self.kwargs
        if adding:
            form.instance.created_by = signed_in_user(self.request)
        response = super().form_valid(form)
        if adding and self.object is not None and self.object.pk:
            show_secret_once(self.request, self.object)  # type: ignore[arg-type]
        return response


class WebhookEndpointViews(ObjectViews):
    path_prefix = "webhooks"
    model = WebhookEndpoint
    queryset = WebhookEndpoint.objects.select_related("created_by")
    table = tables.WebhookEndpointTable
    filterset = filters.WebhookEndpointFilterSet
    form = forms.WebhookEndpointForm
    form_view = EndpointFormView
    detail_view = EndpointDetailView
    detail_template = "opf/webhookendpoint_detail.html"


def _endpoint_to_change(request: HttpRequest, pk: int) -> WebhookEndpoint:
    user = signed_in_user(request)
    endpoint = get_object_or_404(restrict(WebhookEndpoint.objects.all(), user), pk=pk)
    if not can(user, "change", endpoint):
        raise PermissionDenied
    return endpoint


@require_POST
def endpoint_ping(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint_to_change(request, pk)
    services.endpoint_ping(endpoint, actor=signed_in_user(request))
    messages.success(request, _("A test ping is on its way; its delivery is listed below."))
    return HttpResponseRedirect(endpoint.get_absolute_url())


@require_POST
def endpoint_rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint_to_change(request, pk)
    endpoint = services.endpoint_rotate_secret(endpoint, actor=signed_in_user(request))
    show_secret_once(request, endpoint)
    messages.success(request, _("The signing secret is replaced; the old one signs nothing."))
    return HttpResponseRedirect(endpoint.get_absolute_url())


@require_POST
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    delivery = get_object_or_404(
        restrict(WebhookDelivery.objects.select_related("endpoint"), user), pk=pk
    )
    if not can(user, "change", delivery):
        raise PermissionDenied
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = None
    try:
        services.delivery_redeliver(delivery, actor=user, expected_version=expected)
    except StaleVersion as stale:
        messages.error(request, conflict_message(stale.current))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The delivery is sent again."))
    return HttpResponseRedirect(delivery.endpoint.get_absolute_url())
