from __future__ import annotations

from typing import Any

from django.db.models import F
from rest_framework import serializers

from opf.core.rest.serializers import ObjectSerializer
from opf.core.rest.viewsets import ObjectViewSet
from opf.reference import filters, forms
from opf.reference.models import Practice, ProcessArea, ReferenceModel

EDITION = {"version": "edition"}  # the form's name -> the API's


class ReferenceModelSerializer(ObjectSerializer):
    # The model's own "version" is its edition; in the API ``version`` is always the
    # integer of optimistic locking, so the edition has its own name.
    edition = serializers.CharField(
        source="version", max_length=30, help_text='The edition of the model, e.g. "1.2".'
    )

    class Meta:
        model = ReferenceModel
        fields = [
            *ObjectSerializer.Meta.fields,
            *(EDITION.get(name, name) for name in forms.ReferenceModelForm.Meta.fields),
            "builtin",
        ]
        read_only_fields = ["builtin"]


class ProcessAreaSerializer(ObjectSerializer):
    class Meta:
        model = ProcessArea
        fields = [*ObjectSerializer.Meta.fields, *forms.ProcessAreaForm.Meta.fields]


class PracticeSerializer(ObjectSerializer):
    goal_code = serializers.CharField(source="goal.code", read_only=True, default=None)
    goal_kind = serializers.CharField(source="goal.kind", read_only=True, default=None)

    class Meta:
        model = Practice
        fields = [
            "id",
            "url",
            "web_url",
            "display",
            "process_area",
            "goal",
            "goal_code",
            "goal_kind",
            "code",
            "name",
            "statement",
            "description",
            "work_products",
            "subpractices",
            "order",
        ]


class ReferenceModelViewSet(ObjectViewSet):
    queryset = ReferenceModel.objects.annotate(edition=F("version"))
    serializer_class = ReferenceModelSerializer
    filterset_class = filters.ReferenceModelFilterSet
    ordering_fields = ["abbreviation", "edition", "name"]
    ordering = ["abbreviation", "edition"]


class ProcessAreaViewSet(ObjectViewSet):
    queryset = ProcessArea.objects.select_related("reference_model")
    serializer_class = ProcessAreaSerializer
    filterset_class = filters.ProcessAreaFilterSet
    ordering_fields = ["order", "abbreviation", "maturity_level"]
    ordering = ["reference_model", "order"]


class PracticeViewSet(ObjectViewSet):
    queryset = Practice.objects.select_related("goal", "process_area")
    serializer_class = PracticeSerializer
    filterset_class = filters.PracticeFilterSet
    ordering_fields = ["order", "code"]
    ordering = ["process_area", "order"]


def register(router: Any) -> None:
    router.register("reference-models", ReferenceModelViewSet, basename="reference-model")
    router.register("process-areas", ProcessAreaViewSet, basename="process-area")
    router.register("practices", PracticeViewSet, basename="practice")
