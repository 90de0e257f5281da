"""Base form: every model form knows who fills it in (to scope its choices)."""

from __future__ import annotations

from typing import Any

from django import forms

from .widgets import speed_up_selects


class ObjectForm(forms.ModelForm):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        speed_up_selects(self.fields)
