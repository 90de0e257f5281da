"""Base form: every model form knows who fills it in, to scope its choices and
to refuse values that would give a user's own row away."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opf.core.concurrency import VersionCheckMixin, version_field
from opf.core.permissions import OWN_ROWS_ONLY, gives_away
from opf.core.ui.widgets import speed_up_selects
from opf.core.uploads import IMPORT_MAX_BYTES, read_text, validate_upload
from opf.core.versioning import is_versioned

if TYPE_CHECKING:
    from opf.core.accounts import User

F = TypeVar("F", bound=forms.Field)


def typed_field(fields: Mapping[str, forms.Field], name: str, kind: type[F]) -> F:
    """``fields[name]``, which the form declares (or its model field gives) as a
    ``kind``: the stubs type a form's fields as plain ``Field``."""
    field = fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The field {name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def set_queryset(fields: Mapping[str, forms.Field], name: str, queryset: QuerySet[Any]) -> None:
    """Offer the rows of ``queryset`` in the model choice field ``name``."""
    typed_field(fields, name, forms.ModelChoiceField).queryset = queryset


class ObjectForm(VersionCheckMixin, forms.ModelForm):
    """A versioned model's form carries a hidden ``version`` (``opf.core.concurrency``):
    saving a record someone changed meanwhile is refused with their values."""

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if is_versioned(self._meta.model) and "version" not in self.fields:
            self.fields["version"] = version_field()
        self.init_version()
        speed_up_selects(self.fields)

    def _post_clean(self) -> None:
        """A user who may write only their own rows (``OWNER_PATH``) may not choose
        values that make the row someone else's: checked on what would be saved,
        so a forged post is refused like a choice (the API asks the same rule)."""
        super()._post_clean()  # type: ignore[misc]  # Django's hook after model validation; not in the stubs
        if self.user is None:
            return
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.fields and not self.fields[name].disabled
        }
        field = gives_away(
            self.user, self._meta.model, adding=self.instance.pk is None, values=values
        )
        if field:
            self.add_error(field, OWN_ROWS_ONLY)


class CsvImportForm(forms.Form):
    """The two steps of every CSV import page (``ui/csv_import.html``): a checked
    file (size, extension, UTF-8 text) to preview, then its text, carried in a
    hidden field, to import all or nothing."""

    file = forms.FileField(label=_("CSV file"), required=False)
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload is not None:
            try:
                validate_upload(
                    upload,
                    extensions=("csv",),
                    limit_setting="OPF_IMPORT_MAX_BYTES",
                    default_limit=IMPORT_MAX_BYTES,
                )
            except forms.ValidationError as error:
                self.add_error("file", error)
                return data
            data["content"] = read_text(upload)
        elif not data.get("content"):
            self.add_error("file", _("Choose a CSV file."))
        return data
