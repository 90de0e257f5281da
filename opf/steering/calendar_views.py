"""The program calendar's page and iCalendar feed (``opf.steering.program_calendar``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opf.core.calendar import program_events, to_ical
from opf.core.dashboard import add_months
from opf.core.permissions import signed_in_user
from opf.core.ui.htmx import template_for
from opf.notifications.models import CalendarFeed
from opf.steering.program_calendar import (
    CalendarFilterForm,
    CalendarPageForm,
    check_may_see,
    feed_window,
    filter_query,
    may_see,
    page_window,
    weeks,
)


@require_GET
def program_calendar(request: HttpRequest) -> HttpResponse:
    """One month of the program's events, week by week; the filters swap the agenda
    with HTMX (a plain GET form without JavaScript)."""
    user = signed_in_user(request)
    check_may_see(user)
    form = CalendarPageForm(request.GET or None, user=user)
    first, window = page_window(form)
    if not form.data.get("month"):
        shown = request.GET.copy()
        shown["month"] = f"{first:%Y-%m}"  # the month field shows the month shown
        form = CalendarPageForm(shown, user=user)
        form.is_valid()
    events = program_events(window)
    feed = CalendarFeed.objects.filter(user=user).first()
    feed_url = ""
    if feed is not None:
        path = reverse("opf:program_calendar_feed", args=[feed.token])
        query = filter_query(form)
        feed_url = request.build_absolute_uri(f"{path}?{query}" if query else path)
    here = reverse("opf:program_calendar")
    context: dict[str, Any] = {
        "title": _("Program calendar"),
        "form": form,
        "first": first,
        "window": window,
        "weeks": weeks(first, events),
        "count": len(events),
        "unit": form.cleaned_data.get("org_unit") if form.is_bound else None,
        "previous": add_months(first, -1),
        "next": add_months(first, 1),
        "previous_url": f"{here}?{filter_query(form, month=f'{add_months(first, -1):%Y-%m}')}",
        "next_url": f"{here}?{filter_query(form, month=f'{add_months(first, 1):%Y-%m}')}",
        "feed_url": feed_url,
    }
    status = 400 if form.is_bound and form.errors else 200
    template = template_for(request, "opf/program_calendar.html", "agenda")
    return render(request, template, context, status=status)


@login_not_required
@require_GET
def program_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's private calendar token is the credential (as for their own feed);
    the filters are the page's (``org_unit``, ``kind``). Whoever may no longer see the
    program calendar, or whose link was revoked, finds nothing here."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None or not may_see(feed.user):
        raise Http404
    form = CalendarFilterForm(request.GET, user=feed.user)
    if not form.is_valid():
        lines = [f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    events = [event.as_calendar_event() for event in program_events(feed_window(form))]
    body = to_ical(events, str(_("OPF – program calendar")))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opf-program.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
