from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opf.core.ui.forms import ObjectForm, set_queryset
from opf.core.uploads import validate_import
from opf.reference.models import Practice, ProcessArea, ReferenceModel


def areas_with_their_model(fields: dict[str, Any]) -> None:
    """A form's process-area picker names each area's model: read them in one query."""
    if "process_areas" in fields:
        set_queryset(fields, "process_areas", ProcessArea.objects.select_related("reference_model"))


class ReferenceModelForm(ObjectForm):
    class Meta:
        model = ReferenceModel
        fields = ["abbreviation", "name", "version", "description"]

    @property
    def expected_version(self) -> int | None:
        """``version`` here is the model's own edition ("1.2"), not the hidden
        lost-update version: a reference model is not versioned."""
        return None


class ProcessAreaForm(ObjectForm):
    class Meta:
        model = ProcessArea
        fields = [
            "reference_model",
            "abbreviation",
            "name",
            "category",
            "maturity_level",
            "purpose",
            "order",
        ]


class PracticeForm(ObjectForm):
    class Meta:
        model = Practice
        fields = ["process_area", "goal", "code", "name", "statement", "description", "order"]


class ReferenceImportForm(forms.Form):
    file = forms.FileField(label=_("File (.json or .csv)"))
    abbreviation = forms.CharField(
        label=_("Abbreviation (CSV only)"), max_length=30, required=False
    )
    name = forms.CharField(label=_("Name (CSV only)"), max_length=200, required=False)
    version = forms.CharField(label=_("Version (CSV only)"), max_length=30, required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".csv")):
            raise forms.ValidationError(_("Upload a .json or .csv file."))
        validate_import(upload, extensions=("json", "csv"))
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload and upload.name.lower().endswith(".csv"):
            for name in ("abbreviation", "name", "version"):
                if not data.get(name):
                    self.add_error(name, _("Required for a CSV file."))
        return data
