"""REST endpoint of the initiatives (``/api/v1/initiatives/``) with their steps."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.steps import step
from opf.core.rest.viewsets import ObjectViewSet
from opf.initiatives import filters, forms, services
from opf.initiatives.models import Initiative


class InitiativeSerializer(ObjectSerializer):
    class Meta:
        model = Initiative
        fields = [
            *ObjectSerializer.Meta.fields,
            *forms.InitiativeForm.Meta.fields,
            "state",
            "outcome",
        ]
        read_only_fields = ["state", "outcome"]


class InitiativeViewSet(ObjectViewSet):
    queryset = Initiative.objects.select_related("owning_unit", "owner", "sponsor")
    serializer_class = InitiativeSerializer
    filterset_class = filters.InitiativeFilterSet
    ordering_fields = ["start", "name"]
    ordering = ["-start", "pk"]

    @step(InitiativeSerializer, "Start the proposed initiative.")
    def activate(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.initiative_activate)

    @step(InitiativeSerializer, "End the initiative; the reason is its outcome (required).")
    def end(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.initiative_end)

    @step(InitiativeSerializer, "Reopen an ended initiative.")
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self.take_step(request, services.initiative_reopen)


def register(router: Any) -> None:
    router.register("initiatives", InitiativeViewSet, basename="initiative")
