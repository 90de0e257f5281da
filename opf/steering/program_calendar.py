"""The program calendar: every feature's program events (``opf.core.calendar``) on one
page (a month as an agenda, week by week), in one iCalendar feed and in the API.

Who sees it: whoever sees the whole program on the executive dashboard
(``opf.use_executive_dashboard``: the process group and the executives). The feed is
the person's private calendar link (``CalendarFeed``'s token) with the filters as
query parameters; it stops answering when the person loses the right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opf.core.calendar import ProgramEvent, ProgramWindow, program_kinds
from opf.core.dashboard import add_months, month_start
from opf.core.ui.choices import refine_filter_choices
from opf.core.ui.forms import set_queryset
from opf.organization.forms import DateInput
from opf.organization.models import OrgUnit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

PERM = "opf.use_executive_dashboard"
MAX_DAYS = 366  # the longest window the API serves
FEED_MONTHS_BACK = 3  # the feed: from the month three months ago ...
FEED_MONTHS_AHEAD = 12  # ... to twelve months after the current one
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def may_see(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERM))


def check_may_see(user: User | AnonymousUser) -> None:
    if not may_see(user):
        raise PermissionDenied


class CalendarFilterForm(forms.Form):
    """The filters the page, the feed and the API share: an org unit (and below) and
    the kinds of event (none ticked: every kind)."""

    org_unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Org unit"),
        help_text=_("Its events and those of the units below it."),
    )
    kind = forms.MultipleChoiceField(
        required=False,
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.restrict(user, "view").filter(active=True).order_by("path")
        set_queryset(self.fields, "org_unit", units)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.MultipleChoiceField)
        kind.choices = [(k.slug, k.label) for k in program_kinds().values()]
        refine_filter_choices(self.fields)


class CalendarPageForm(CalendarFilterForm):
    """The page shows one month (``YYYY-MM``; this month when empty)."""

    month = forms.CharField(
        required=False,
        label=_("Month"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-12"}),
    )
    field_order = ["month", "org_unit", "kind"]

    def clean_month(self) -> date | None:
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        found = MONTH.match(value.strip())
        if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
            raise forms.ValidationError(
                _("Enter a month as year and month, e.g. 2026-12."), code="invalid"
            )
        return date(int(found[1]), int(found[2]), 1)


class CalendarRangeForm(CalendarFilterForm):
    """The API asks for days ``start`` to ``end`` (this month when both are empty), at
    most ``MAX_DAYS`` of them."""

    start = forms.DateField(required=False, label=_("From"), widget=DateInput())
    end = forms.DateField(required=False, label=_("To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error(
                    "end", _("Choose at most %(n)s days from the start.") % {"n": MAX_DAYS}
                )
        return data


def _window(start: date, end: date, cleaned: dict[str, Any]) -> ProgramWindow:
    unit = cleaned.get("org_unit")
    return ProgramWindow(
        start=start,
        end=end,
        unit_path=unit.path if unit is not None else "",
        kinds=frozenset(cleaned.get("kind") or ()),
    )


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def page_window(form: CalendarPageForm) -> tuple[date, ProgramWindow]:
    """The month and window the page shows: each valid filter applies, an invalid one
    falls back to its default (the form keeps its error for the page to show)."""
    if form.is_bound:
        form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    first = cleaned.get("month") or month_start(timezone.localdate())
    return first, _window(first, month_end(first), cleaned)


def range_window(form: CalendarRangeForm) -> ProgramWindow:
    """The API's window; call it on a valid form."""
    cleaned = form.cleaned_data
    today = timezone.localdate()
    start, end = cleaned.get("start"), cleaned.get("end")
    if start is None and end is None:
        start, end = month_start(today), month_end(month_start(today))
    elif start is None:
        assert end is not None
        start = month_start(end)
    elif end is None:
        end = month_end(month_start(start))
    return _window(start, end, cleaned)


def feed_window(form: CalendarFilterForm) -> ProgramWindow:
    """The feed's window: from three months back to a year ahead."""
    first = month_start(timezone.localdate())
    start = add_months(first, -FEED_MONTHS_BACK)
    end = add_months(first, FEED_MONTHS_AHEAD + 1) - timedelta(days=1)
    return _window(start, end, form.cleaned_data)


def filter_query(form: CalendarFilterForm, **extra: Any) -> str:
    """The valid filters as URL parameters, with ``extra`` (links that keep them)."""
    cleaned = getattr(form, "cleaned_data", {})
    params: list[tuple[str, str]] = []
    if cleaned.get("org_unit") is not None:
        params.append(("org_unit", str(cleaned["org_unit"].pk)))
    params.extend(("kind", kind) for kind in cleaned.get("kind") or ())
    params.extend((key, str(value)) for key, value in extra.items() if value)
    return urlencode(params)


@dataclass(frozen=True)
class Entry:
    event: ProgramEvent
    kind_label: str


@dataclass(frozen=True)
class Week:
    """A week (Monday to Sunday) of the month shown, with the events listed there."""

    first: date
    last: date
    events: list[Entry]


def weeks(first: date, events: list[ProgramEvent]) -> list[Week]:
    """The weeks touching the month starting ``first``; each event is listed once, in
    the week of its first day in the month (an event begun earlier opens the month)."""
    last = month_end(first)
    labels = {slug: str(kind.label) for slug, kind in program_kinds().items()}
    monday = first - timedelta(days=first.weekday())
    found: list[Week] = []
    while monday <= last:
        sunday = monday + timedelta(days=6)
        shown = [
            Entry(e, labels.get(e.kind, e.kind))
            for e in events
            if monday <= max(e.start, first) <= sunday
        ]
        found.append(Week(first=max(monday, first), last=min(sunday, last), events=shown))
        monday += timedelta(days=7)
    return found
