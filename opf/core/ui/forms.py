"""Base form: every model form knows who fills it in, to scope its choices and
to refuse values that would give a user's own row away."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opf.core.display import display_value, model_field
from opf.core.field_rights import refused_fields
from opf.core.permissions import OWN_ROWS_ONLY, gives_away
from opf.core.ui.choices import refine_choices
from opf.core.ui.widgets import speed_up_selects
from opf.core.uploads import read_text, validate_import
from opf.core.versioning import VersionedModel, conflict_message, is_versioned

if TYPE_CHECKING:
    from opf.core.accounts import User

    _FormBase = forms.BaseForm  # what VersionCheckMixin is mixed into
else:
    _FormBase = object

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


# --- versions: two people editing one record cannot overwrite each other -----


def current_values(obj: Model, names: list[str] | tuple[str, ...]) -> list[tuple[str, Any]]:
    """(label, value as shown on pages) of ``names``: what the other writer saved."""
    rows = []
    for name in names:
        field = model_field(obj, name)
        if field.many_to_many:
            value: Any = ", ".join(str(o) for o in getattr(obj, name).all()) or "—"
        else:
            value, _url = display_value(obj, name)
        rows.append((str(field.verbose_name), value))
    return rows


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class VersionCheckMixin(_FormBase):
    """Form behaviour for a hidden ``version`` field carrying the version the
    form was opened at (``ObjectForm`` adds the field itself for versioned models).

    Views pass ``form.expected_version`` to ``save_object``; on ``StaleVersion``
    they call ``form.add_conflict(error.current)``, which adds the message,
    lists the current values and moves the hidden field to the current
    version, so submitting again (after review) is a deliberate choice.
    """

    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    data: Any

    def init_version(self) -> None:
        instance = getattr(self, "instance", None)
        if "version" in self.fields and instance is not None and instance.pk is not None:
            self.initial.setdefault("version", instance.version)
        self.conflict: list[tuple[str, Any]] = []

    @property
    def expected_version(self) -> int | None:
        if "version" not in self.fields or not hasattr(self, "cleaned_data"):
            return None
        value = self.cleaned_data.get("version")
        return int(value) if value is not None else None

    def conflict_fields(self, current: Model) -> list[str]:
        """The model fields whose current values the conflict message shows."""
        return [n for n in self.fields if n != "version" and _is_field(current, n)]

    def add_conflict(self, current: VersionedModel) -> None:
        names = self.conflict_fields(current)
        self.conflict = current_values(current, names)
        shown = "; ".join(f"{label}: {value}" for label, value in self.conflict)
        message = conflict_message(current)
        if shown:
            message = f"{message} {gettext('Current values')}: {shown}."
        self.add_error(None, message)
        data = self.data.copy()
        data[self.add_prefix("version")] = str(current.version)
        self.data = data


class RefinedChoicesMixin(_FormBase):
    """Refine the form's choices (``opf.core.ui.choices``: active people only, org
    unit trees, prompts, pickers, dependent choices, length counters) and speed up
    its selects, once, when the form is first shown or validated: after the
    subclass's ``__init__`` has set its querysets."""

    _choices_refined = False

    def refine_fields(self) -> None:
        if self._choices_refined:
            return
        self._choices_refined = True
        refine_choices(self)
        speed_up_selects(self.fields)

    def __getitem__(self, name: str) -> forms.BoundField:
        self.refine_fields()
        return super().__getitem__(name)

    def full_clean(self) -> None:
        self.refine_fields()
        super().full_clean()


class VersionedFormMixin(RefinedChoicesMixin, VersionCheckMixin, forms.Form):
    """A plain (non-model) form that edits a versioned record."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.init_version()


def _is_field(obj: Model, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except Exception:
        return False
    return True


# --- model forms ---------------------------------------------------------------


class ObjectForm(RefinedChoicesMixin, VersionCheckMixin, forms.ModelForm):
    """A versioned model's form carries a hidden ``version`` (``VersionCheckMixin``):
    saving a record someone changed meanwhile is refused with their values.

    Fields the user may not write (``opf.core.field_rights``) are shown
    disabled: Django then keeps their stored values whatever is posted."""

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if is_versioned(self._meta.model) and "version" not in self.fields:
            self.fields["version"] = version_field()
        self.init_version()
        self.read_only_fields = self.disable_refused_fields()

    def disable_refused_fields(self) -> list[str]:
        if self.user is None:
            return []
        adding = self.instance.pk is None
        target = self._meta.model if adding else self.instance
        refused = refused_fields(self.user, "add" if adding else "change", target, self.fields)
        for name in refused:
            self.fields[name].disabled = True
        return refused

    def _post_clean(self) -> None:
        """A user who may write only their own rows (``OWNER_PATH``) may not choose
        values that make the row someone else's: checked on what would be saved,
        so a forged post is refused like a choice (the API asks the same rule).
        It is asked first: who may not write the row learns nothing from the
        model's validation (another project's measurement "already has a value")."""
        if self.user is not None:
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
                return
        super()._post_clean()  # type: ignore[misc]  # Django's hook after model validation; not in the stubs


class CsvImportForm(forms.Form):
    """The two steps of every CSV import page (``ui/csv_import.html``): a checked
    file (the import size limit, extension, UTF-8 text) to preview, then its
    text, carried in a hidden field, to import all or nothing (the import checks
    its size again: ``opf.core.csvimport``)."""

    file = forms.FileField(label=_("CSV file"), required=False)
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        if upload is not None:
            try:
                validate_import(upload, extensions=("csv",))
            except forms.ValidationError as error:
                self.add_error("file", error)
                return data
            data["content"] = read_text(upload)
        elif not data.get("content"):
            self.add_error("file", _("Choose a CSV file."))
        return data
