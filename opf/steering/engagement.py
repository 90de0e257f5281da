"""Executive engagement as figures (#20), per executive and for the steering committee,
over the dashboard's period:

- **meetings attended**: held steering-committee meetings with the person among the
  attendees (the committee: meetings held and the mean number of executives present);
- **decisions taken**: the decisions recorded at those meetings;
- **approvals and time to decide**: every record that waits for an executive's approval
  (``opf.core.approval``: a ``submitted`` state, ``submitted_by`` and ``approver``; and
  what the features add in ``<pkg>.steering.DECISIONS``, e.g. an action plan in review)
  is read from its history: each time it entered "waiting for approval" and the next
  change that took it out (approved or sent back) is one decision, by whoever made that
  change, after that many days; the median is shown;
- **initiatives sponsored** and their health (``opf.steering.initiatives.health``).

A falling trend — fewer meetings attended or decisions taken than in the period of the
same length just before, or a longer median time to decide — is a warning (the page and
the briefing). A fixed number of queries: one per model with approvals, a few more.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from opf.core import approval, approval_waits
from opf.core.dashboard import previous_period
from opf.organization.scope import DashboardFilter
from opf.steering import initiatives as initiative_figures
from opf.steering.models import Body, SteeringMeeting


def decisions_on_approvals(f: DashboardFilter) -> list[tuple[int | None, float, date]]:
    """(decider, days waited, day decided) for each approval decided in the period and
    the one before (``opf.core.approval_waits``, read once per filter)."""
    return [(w.decider, w.days, w.decided_on) for w in approval_waits.waits_for(f)]


def _meetings(f: DashboardFilter) -> list[dict[str, Any]]:
    meetings = (
        SteeringMeeting.objects.filter(
            body=Body.STEERING_COMMITTEE,
            state=SteeringMeeting.State.HELD,
            scheduled_at__date__gte=f.start,
            scheduled_at__date__lte=f.end,
        )
        .annotate(decision_count=Count("decisions", distinct=True))
        .values("pk", "decision_count")
    )
    return list(meetings)


def _attendance(meeting_ids: list[int]) -> dict[int, set[int]]:
    through = SteeringMeeting.attendees.through
    present: dict[int, set[int]] = defaultdict(set)
    for meeting, person in through.objects.filter(steeringmeeting_id__in=meeting_ids).values_list(
        "steeringmeeting_id", "user_id"
    ):
        present[meeting].add(person)
    return present


Decided = list[tuple[int | None, float, date]]  # (decider, days waited, day decided)


def _period(f: DashboardFilter, executives: set[int], decided_approvals: Decided) -> dict[str, Any]:
    """The figures of one period: per person and for the committee."""
    meetings = _meetings(f)
    present = _attendance([m["pk"] for m in meetings])
    attended: dict[int, int] = defaultdict(int)
    decided: dict[int, int] = defaultdict(int)
    executives_present = 0
    for meeting in meetings:
        people = present.get(meeting["pk"], set())
        executives_present += len(people & executives)
        for person in people:
            attended[person] += 1
            decided[person] += meeting["decision_count"]
    waits = [(who, days) for who, days, day in decided_approvals if f.start <= day <= f.end]
    by_decider: dict[int, list[float]] = defaultdict(list)
    for who, days in waits:
        if who is not None:
            by_decider[who].append(days)
    return {
        "meetings": len(meetings),
        "decisions": sum(m["decision_count"] for m in meetings),
        "mean_present": round(executives_present / len(meetings), 1) if meetings else None,
        "approvals": len(waits),
        "median_days": round(median(d for _w, d in waits), 1) if waits else None,
        "attended": attended,
        "decided": decided,
        "by_decider": by_decider,
    }


def engagement(f: DashboardFilter) -> dict[str, Any]:
    from opf.core.accounts import User

    executives = set(approval.executives().values_list("pk", flat=True))
    earlier = previous_period(f)
    decided = decisions_on_approvals(f)
    now = _period(f, executives, decided)
    before = _period(earlier, executives, decided)
    initiatives = initiative_figures.visible_initiatives(f)
    ids = {i.pk for i in initiatives}
    deployed = initiative_figures.deployed_initiatives(ids)
    departed = {
        person.pk
        for i in initiatives
        for person in (i.owner, i.sponsor)
        if person is not None and not person.is_active
    }
    sponsored: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for initiative in initiatives:
        if initiative.sponsor_id is None or not initiative_figures.in_scope(f, initiative):
            continue
        code = initiative_figures.health(initiative, deployed, departed)
        sponsored[initiative.sponsor_id].append(
            {
                "name": initiative.name,
                "href": initiative.get_absolute_url(),
                "health": code,
                "health_label": str(health_label(code)),
            }
        )
    rows = []
    for person in User.objects.filter(pk__in=executives | set(sponsored)).order_by(
        "last_name", "first_name", "pk"
    ):
        waits = now["by_decider"].get(person.pk, [])
        attended, attended_before = now["attended"][person.pk], before["attended"][person.pk]
        rows.append(
            {
                "person": str(person),
                "href": reverse("opf:user_detail", args=[person.pk]),
                "active": person.is_active,
                "meetings_attended": attended,
                "meetings_attended_before": attended_before,
                "decisions": now["decided"][person.pk],
                "approvals": len(waits),
                "median_days": round(median(waits), 1) if waits else None,
                "initiatives": sponsored.get(person.pk, []),
                "falling": attended < attended_before,
            }
        )
    warnings = trend_warnings(now, before)
    return {
        "committee": {
            key: now[key]
            for key in ("meetings", "decisions", "mean_present", "approvals", "median_days")
        },
        "committee_before": {
            key: before[key]
            for key in ("meetings", "decisions", "mean_present", "approvals", "median_days")
        },
        "executives": rows,
        "approval_kinds": approval_waits.by_kind(
            approval_waits.waits_for(f), (f.start, f.end), (earlier.start, earlier.end)
        )["kinds"],
        "warnings": warnings,
        "warning": bool(warnings),
    }


def trend_warnings(now: dict[str, Any], before: dict[str, Any]) -> list[str]:
    """What fell against the period just before (nothing when that period had nothing)."""
    warnings = []
    if before["meetings"] and now["meetings"] < before["meetings"]:
        warnings.append(
            _("The committee met %(now)s times, %(before)s times the period before.")
            % {"now": now["meetings"], "before": before["meetings"]}
        )
    if (
        before["mean_present"] is not None
        and now["mean_present"] is not None
        and now["mean_present"] < before["mean_present"]
    ):
        warnings.append(
            _("Fewer executives attend: %(now)s per meeting, %(before)s the period before.")
            % {"now": now["mean_present"], "before": before["mean_present"]}
        )
    if before["decisions"] and now["decisions"] < before["decisions"]:
        warnings.append(
            _("%(now)s decisions taken, %(before)s the period before.")
            % {"now": now["decisions"], "before": before["decisions"]}
        )
    if (
        before["median_days"] is not None
        and now["median_days"] is not None
        and now["median_days"] > before["median_days"]
    ):
        warnings.append(
            _("Approvals take longer: %(now)s days (median), %(before)s the period before.")
            % {"now": now["median_days"], "before": before["median_days"]}
        )
    return warnings


def health_label(code: str) -> str:
    labels = {
        "under_way": _("under way"),
        "deploying": _("deploying"),
        "advocate_left": _("advocate left"),
        "handed_over": _("ended after deploying"),
        "ended_without_deploying": _("ended without deploying"),
    }
    return labels[code]
