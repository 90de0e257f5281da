"""Base form: every model form knows who fills it in (to scope its choices)."""

from __future__ import annotations

from typing import Any

from django import forms

from opf.concurrency import VersionCheckMixin, version_field
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
