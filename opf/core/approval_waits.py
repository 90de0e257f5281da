"""How long records wait for an executive's decision, read from their history.

Every record that waits for an executive's approval (``opf.core.approval``: a
``submitted`` state, ``submitted_by`` and ``approver``; and what the features add in
``<pkg>.steering.DECISIONS``, e.g. an action plan in review) has a history: each time
it entered "waiting for approval" and the next change that took it out (approved or
sent back) is one decision, by whoever made that change, after that many days.

Read by steering's executive engagement (time to decide per executive and per kind
of record, the program measuring its own process, #19) and by the process
improvement plan's chapter on the program's own process (``lessons.documents``).
One query per kind of record, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from opf.core import approval
from opf.core.dashboard import once, previous_period
from opf.core.registry import app_modules
from opf.core.roles import DOMAIN_APPS


@dataclass(frozen=True)
class Wait:
    kind: str  # the model's label, e.g. "deployment.assetversion"
    decider: int | None
    days: float
    decided_on: date


def approval_models() -> list[type[Model]]:
    """The models whose records wait for an executive's approval, with history."""
    found = []
    for app in DOMAIN_APPS:
        if not apps.is_installed(app):
            continue
        for model in apps.get_app_config(app).get_models():
            names = {f.name for f in model._meta.fields}
            if {"state", "submitted_by", "approver"} <= names and hasattr(model, "history"):
                found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def decision_histories() -> list[tuple[type[Model], str, str]]:
    """(model, state field, waiting value) of every record an executive decides on:
    the approval models (``state`` "submitted") and what the features add in
    ``<pkg>.steering.DECISIONS`` (an action plan: ``state`` "in review")."""
    found: list[tuple[type[Model], str, str]] = [
        (model, "state", approval.SUBMITTED) for model in approval_models()
    ]
    for module in app_modules("steering"):
        found += list(getattr(module, "DECISIONS", ()))
    return found


def waits(start: date, end: date) -> list[Wait]:
    """Each decision taken from ``start`` to ``end`` (local days): the history of each
    record, from entering the waiting value to the next change that took it out, by
    whoever made it. One query per kind of record."""
    found: list[Wait] = []
    for model, field, waiting in decision_histories():
        history = model.history.model  # type: ignore[attr-defined]
        submitted = history.objects.filter(**{field: waiting}).values("id")
        rows = (
            history.objects.filter(id__in=submitted)
            .order_by("id", "history_date", "history_id")
            .values_list("id", field, "history_date", "history_user_id")
        )
        kind = model._meta.label_lower
        current: Any = None
        since: datetime | None = None
        for pk, state, when, who in rows.iterator():
            if pk != current:
                current, since = pk, None
            if state == waiting:
                since = since or when
            elif since is not None:
                day = timezone.localdate(when)
                if start <= day <= end:
                    found.append(Wait(kind, who, (when - since).total_seconds() / 86400, day))
                since = None
    return found


def waits_for(f: Any) -> list[Wait]:
    """The decisions of a dashboard filter's period and of the period before, read once
    per filter (the engagement panel and the program's own process share them)."""
    return once(f, "approval_waits", lambda: waits(previous_period(f).start, f.end))


def _figure(now: list[float], earlier: list[float]) -> dict[str, Any]:
    return {
        "count": len(now),
        "median_days": round(median(now), 1) if now else None,
        "count_before": len(earlier),
        "median_days_before": round(median(earlier), 1) if earlier else None,
    }


def by_kind(
    decided: list[Wait], period: tuple[date, date], before: tuple[date, date]
) -> dict[str, Any]:
    """Median days from submission to decision, per kind of record (``kinds``) and for
    all (``all``), in ``period`` and in ``before`` (first and last days)."""
    found: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for wait in decided:
        now, earlier = found[wait.kind]
        if period[0] <= wait.decided_on <= period[1]:
            now.append(wait.days)
        elif before[0] <= wait.decided_on <= before[1]:
            earlier.append(wait.days)
    kinds = [
        {
            "kind": str(apps.get_model(label)._meta.verbose_name_plural).capitalize(),
            **_figure(now, earlier),
        }
        for label, (now, earlier) in sorted(found.items())
    ]
    every_now = [d for now, _e in found.values() for d in now]
    every_before = [d for _n, earlier in found.values() for d in earlier]
    return {"kinds": kinds, "all": _figure(every_now, every_before)}
