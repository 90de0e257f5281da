from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from opf.core.ui.filters import SearchFilterSet
from opf.reference.models import Practice, ProcessArea, ReferenceModel


class ReferenceModelFilterSet(SearchFilterSet):
    search_fields = ("abbreviation", "name", "description")

    class Meta:
        model = ReferenceModel
        fields = ["q", "builtin"]


class ProcessAreaFilterSet(SearchFilterSet):
    search_fields = ("abbreviation", "name", "purpose")

    class Meta:
        model = ProcessArea
        fields = ["q", "reference_model", "category", "maturity_level"]


class PracticeFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "statement")
    reference_model = django_filters.ModelChoiceFilter(
        field_name="process_area__reference_model",
        queryset=ReferenceModel.objects.all(),
        label=_("Reference model"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="goal__kind",
        choices=[("specific", _("Specific")), ("generic", _("Generic"))],
        label=_("Kind"),
    )

    class Meta:
        model = Practice
        fields = ["q", "reference_model", "process_area", "kind"]
