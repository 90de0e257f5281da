"""Inbox, notification preferences, reminder schedules and the calendar feed."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from opf.core.calendar import ical
from opf.core.notices import NoticeKind
from opf.core.notices import kinds as notice_kinds
from opf.core.permissions import signed_in_user
from opf.core.reminders import ReminderKind, kinds, periodic_task_name
from opf.core.ui.htmx import wants_partial
from opf.notifications.models import CalendarFeed, Notification, NotificationPreference
from opf.notifications.services import mark_read, undelivered_emails

UNDELIVERED_SHOWN = 50  # the newest failures on the reminder settings page


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=signed_in_user(request))
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "opf/inbox.html", {"page": page, "title": _("Notifications")})


@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return render(request, "opf/inbox.html#unread", {"unread": count})


@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification from the inbox: it counts as read, and leads to its record."""
    user = signed_in_user(request)
    notification = get_object_or_404(Notification, pk=pk, recipient=user)
    mark_read(user, [notification.pk])
    return HttpResponseRedirect(_inside_or_inbox(notification.url))


def _inside_or_inbox(url: str) -> str:
    """Only a link inside the site is followed (notifications hold the records' paths)."""
    return url if url.startswith("/") and not url.startswith("//") else reverse("opf:inbox")


@require_POST
def read(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in_user(request)
    if pk is not None:
        notification = get_object_or_404(Notification, pk=pk, recipient=user)
        mark_read(user, [notification.pk])
        if wants_partial(request):
            notification.refresh_from_db()
            return render(request, "opf/inbox.html#item", {"n": notification})
        return HttpResponseRedirect(notification.url or reverse("opf:inbox"))
    mark_read(user)
    messages.success(request, _("All notifications are marked as read."))
    return HttpResponseRedirect(reverse("opf:inbox"))


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every: list[NoticeKind | ReminderKind] = [*notice_kinds().values(), *kinds().values()]
        for kind in every:
            self.fields[kind.slug] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=NotificationPreference.Delivery.choices,
                initial=current.get(kind.slug, NotificationPreference.Delivery.IMMEDIATE),
            )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    current = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind, delivery in form.cleaned_data.items():
                NotificationPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"delivery": delivery}
                )
        messages.success(request, _("Your notification preferences are saved."))
        return HttpResponseRedirect(request.path)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": _("Notifications")}
    return render(request, "opf/preferences.html", context, status=status)


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(label=_lazy("Enabled"), required=False)
    hour = forms.IntegerField(label=_lazy("Hour of day"), min_value=0, max_value=23)
    lead_days = forms.IntegerField(label=_lazy("Days ahead"), min_value=0, max_value=365)


def _can_manage(request: HttpRequest) -> None:
    if not request.user.has_perm("opf.manage_reminders"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    """Process group staff set when each reminder runs and how many days ahead it looks."""
    _can_manage(request)
    tasks = {
        t.name: t
        for t in PeriodicTask.objects.filter(name__startswith="Reminders: ").select_related(
            "crontab"
        )
    }
    rows = []
    for kind in kinds().values():
        task = tasks.get(periodic_task_name(kind))
        if task is None:
            continue
        kwargs = json.loads(task.kwargs or "{}")
        initial = {
            "enabled": task.enabled,
            "hour": int(task.crontab.hour)
            if task.crontab and task.crontab.hour.isdigit()
            else kind.default_hour,
            "lead_days": kwargs.get("lead_days", kind.default_lead_days),
        }
        bound = request.method == "POST" and request.POST.get("kind") == kind.slug
        form = ScheduleForm(request.POST if bound else None, initial=initial, prefix=kind.slug)
        if bound and form.is_valid():
            crontab, _created = CrontabSchedule.objects.get_or_create(
                minute="0",
                hour=str(form.cleaned_data["hour"]),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
            )
            task.enabled = form.cleaned_data["enabled"]
            task.crontab = crontab
            task.kwargs = json.dumps(
                {**kwargs, "kind": kind.slug, "lead_days": form.cleaned_data["lead_days"]}
            )
            task.save()
            messages.success(request, _("Schedule of “%(kind)s” saved.") % {"kind": kind.label})
            return HttpResponseRedirect(request.path)
        rows.append((kind, task, form))
    status = 400 if request.method == "POST" else 200
    undelivered = undelivered_emails()
    context: dict[str, Any] = {
        "rows": rows,
        "title": _("Reminders"),
        "undelivered": undelivered[:UNDELIVERED_SHOWN],
        "undelivered_count": undelivered.count(),
    }
    return render(request, "opf/reminder_settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    feed = CalendarFeed.objects.filter(user=user).first()
    if request.method == "POST":
        if feed:
            feed.delete()
        if request.POST.get("action") == "create":
            feed = CalendarFeed.objects.create(user=user)
            messages.success(
                request, _("Your calendar link is ready; an older link no longer works.")
            )
        else:
            feed = None
            messages.success(request, _("Your calendar link was revoked."))
        return HttpResponseRedirect(request.path)
    url = (
        request.build_absolute_uri(reverse("opf:calendar_feed", args=[feed.token])) if feed else ""
    )
    return render(
        request, "opf/calendar.html", {"feed": feed, "feed_url": url, "title": _("Calendar")}
    )


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The token in the URL is the credential; a revoked one is simply not found."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(ical(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="opf.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
