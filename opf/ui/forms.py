"""Base form: every model form knows who fills it in, to scope its choices and
to refuse values that would give a user's own row away."""

from __future__ import annotations

from typing import Any

from django import forms

from opf.concurrency import VersionCheckMixin, version_field
from opf.permissions import OWN_ROWS_ONLY, gives_away
from opf.versioning import is_versioned

from .widgets import speed_up_selects


class ObjectForm(VersionCheckMixin, forms.ModelForm):
    """A versioned model's form carries a hidden ``version`` (``opf.concurrency``):
    saving a record someone changed meanwhile is refused with their values."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
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
        super()._post_clean()
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
