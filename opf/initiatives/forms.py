"""The initiative form (pages; the API serializer takes the same fields)."""

from __future__ import annotations

from typing import Any

from opf.core.ui.forms import ObjectForm, set_queryset
from opf.initiatives.models import Initiative
from opf.organization.forms import DateInput


class InitiativeForm(ObjectForm):
    class Meta:
        model = Initiative
        fields = [
            "name",
            "method",
            "owning_unit",
            "owner",
            "sponsor",
            "start",
            "end",
            "description",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "sponsor" in self.fields:
            set_queryset(self.fields, "sponsor", Initiative.sponsor_candidates())
