"""Who sees which dashboard, and the filter form shared by the page and the API.

- ``opf.use_executive_dashboard`` (executives, process group): every org unit;
- project managers: their own org unit's subtree (the filter is pinned to it);
- anyone else: no dashboard (the home page shows the public summary).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opf.core.dashboard import default_period
from opf.core.roles import PROJECT_MANAGER, has_role
from opf.core.ui.choices import refine_filter_choices
from opf.core.ui.forms import set_queryset, typed_field
from opf.core.ui.widgets import speed_up_selects
from opf.organization.forms import DateInput
from opf.organization.scope import DashboardFilter

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User
    from opf.organization.models import OrgUnit

FULL = "full"
UNIT = "unit"
PERM = "opf.use_executive_dashboard"
MAX_MONTHS = 60


def scope_of(user: User | AnonymousUser) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.has_perm(PERM):
        return FULL
    if has_role(user, PROJECT_MANAGER) and user.org_unit_id:
        return UNIT
    return None


class DashboardFilterForm(forms.Form):
    org_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Org unit")
    )
    start = forms.DateField(required=False, label=_("From"), widget=DateInput())
    end = forms.DateField(required=False, label=_("To"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        user: User,
        all_url: str | None = None,
        full: bool = False,
        **kwargs: Any,
    ) -> None:
        """``all_url``/``full``: the page with every org unit listed, and whether this
        is it (``all_choices_of``); otherwise a big organization's units load on demand
        (600 options at scale 10 made the cached dashboard grow with the units)."""
        super().__init__(*args, **kwargs)
        from opf.organization.models import OrgUnit

        units = OrgUnit.objects.restrict(user, "view").filter(active=True).order_by("path")
        if scope_of(user) == UNIT and user.org_unit is not None:
            units = units.filter(path__startswith=user.org_unit.path)
        set_queryset(self.fields, "org_unit", units)
        refine_filter_choices(self.fields, type(self), all_url, full)
        typed_field(self.fields, "org_unit", forms.ModelChoiceField).empty_label = (
            _("Whole organization") if scope_of(user) == FULL else None
        )
        speed_up_selects(self.fields)  # draws OnDemandChoices: a big unit set is searched

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error("start", _("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        return data


def dashboard_filter(
    user: User | AnonymousUser,
    data: Any,
    all_choices: tuple[str | None, bool] = (None, False),
) -> tuple[DashboardFilter, DashboardFilterForm]:
    """The filter from request parameters; invalid values fall back to the defaults
    (the form keeps its errors for the page/API to show). PermissionDenied when the
    user has no dashboard. ``all_choices``: see ``DashboardFilterForm``."""
    scope = scope_of(user)
    if scope is None or not user.is_authenticated:
        raise PermissionDenied
    all_url, full = all_choices
    form = DashboardFilterForm(data or None, user=user, all_url=all_url, full=full)
    valid = form.is_valid() if data else False
    cleaned = form.cleaned_data if valid else {}
    today = timezone.localdate()
    start, end = default_period(today)
    end = cleaned.get("end") or end
    start = cleaned.get("start") or (default_period(end)[0] if cleaned.get("end") else start)
    unit = cleaned.get("org_unit")
    if (
        scope == UNIT
        and user.org_unit is not None
        and (unit is None or not unit.path.startswith(user.org_unit.path))
    ):
        unit = user.org_unit
    return DashboardFilter(user=user, org_unit=unit, start=start, end=end), form
