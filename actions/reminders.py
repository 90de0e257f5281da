"""Reminders of the action plans (see opf.core.reminders): items due soon and overdue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from actions.models import ActionItem, ProcessActionPlan
from opf.core.reminders import DueEvent, ReminderKind

if TYPE_CHECKING:
    from opf.core.accounts import User


def _open_items() -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(status__in=ActionItem.OPEN_STATUSES, due__isnull=False)
        .filter(plan__state__in=ProcessActionPlan.OPEN_STATES)
        .select_related("assignee", "plan__owner")
        .order_by("due", "pk")
    )


def _recipients(item: ActionItem) -> list[User]:
    return [p for p in (item.assignee, item.plan.owner) if p is not None]


def items_due_soon(today: date, lead_days: int) -> Iterator[DueEvent]:
    """Open items due within ``lead_days`` (today included): the assignee and the plan owner."""
    due = _open_items().filter(due__gte=today, due__lte=today + timedelta(days=lead_days))
    for item in due:
        yield DueEvent(
            key=f"action-item-due:{item.pk}:{item.due}",
            recipients=_recipients(item),
            title=str(
                _("Action item “%(title)s” is due on %(date)s")
                % {"title": item.title, "date": item.due}
            ),
            body=str(_("Plan: %(plan)s. Status: %(status)s."))
            % {"plan": item.plan, "status": item.get_status_display()},
            url=item.get_absolute_url(),
        )


def items_overdue(today: date, lead_days: int) -> Iterator[DueEvent]:
    """Open items past their due date: once per item and due date."""
    for item in _open_items().filter(due__lt=today):
        yield DueEvent(
            key=f"action-item-overdue:{item.pk}:{item.due}",
            recipients=_recipients(item),
            title=str(
                _("Action item “%(title)s” is overdue (due %(date)s)")
                % {"title": item.title, "date": item.due}
            ),
            body=str(_("Plan: %(plan)s. Finish it, or agree a new date with the plan owner."))
            % {"plan": item.plan},
            url=item.get_absolute_url(),
        )


KINDS = [
    ReminderKind(
        "action-item-due",
        _("Action item due soon"),
        _("Tells the assignee and the plan owner that an open action item is due soon."),
        items_due_soon,
        default_lead_days=3,
    ),
    ReminderKind(
        "action-item-overdue",
        _("Action item overdue"),
        _("Tells the assignee and the plan owner, once, that an action item is overdue."),
        items_overdue,
        default_lead_days=0,
    ),
]
