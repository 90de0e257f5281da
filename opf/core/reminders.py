"""Reminder kinds: what is due, for whom. Each lifecycle app adds its kinds in
``<app>.reminders`` as ``KINDS`` (see ``opf.core.registry``); beat runs
``opf.send_reminders`` for each kind on the schedule the process group sets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User


@dataclass(frozen=True)
class DueEvent:
    """One thing that is due. ``key`` names the due event (e.g. ``appraisal:7:2026-12-01``):
    a reminder goes once per key and recipient, however often the task runs."""

    key: str
    recipients: Iterable[User]
    title: str
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class ReminderKind:
    slug: str
    label: StrOrPromise
    description: StrOrPromise
    find_due: Callable[[date, int], Iterable[DueEvent]]  # (today, lead days) -> events
    default_lead_days: int = 7
    default_hour: int = 7


@cache
def kinds() -> dict[str, ReminderKind]:
    from opf.core.registry import app_modules

    found: dict[str, ReminderKind] = {}
    for module in app_modules("reminders"):
        for kind in module.KINDS:
            found[kind.slug] = kind
    return found


TASK_NAME = "opf.send_reminders"
DIGEST_TASK_NAME = "opf.send_digests"
DIGEST_PERIODIC_TASK = "Daily digest"


def periodic_task_name(kind: ReminderKind) -> str:
    return f"Reminders: {kind.slug}"


def sync_schedules(**_: Any) -> None:
    """Give every reminder kind a beat schedule (created once; staff edit it later)."""
    import json

    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if not PeriodicTask.objects.filter(name=DIGEST_PERIODIC_TASK).exists():
        at_six, _created = CrontabSchedule.objects.get_or_create(
            minute="0", hour="6", day_of_week="*", day_of_month="*", month_of_year="*"
        )
        PeriodicTask.objects.create(
            name=DIGEST_PERIODIC_TASK,
            task=DIGEST_TASK_NAME,
            crontab=at_six,
            description="One e-mail a day with the reminders people asked to receive as a digest.",
        )
    for kind in kinds().values():
        if PeriodicTask.objects.filter(name=periodic_task_name(kind)).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour=str(kind.default_hour),
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
        )
        PeriodicTask.objects.create(
            name=periodic_task_name(kind),
            task=TASK_NAME,
            crontab=crontab,
            kwargs=json.dumps({"kind": kind.slug, "lead_days": kind.default_lead_days}),
            description=str(kind.description),
        )
