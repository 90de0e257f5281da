"""The initiatives as the gap essay reads them (#20): churn, departed advocates, and the
initiatives over time by method and owning unit.

- **Churn**: an initiative ended without deploying anything (no project deployment of
  an asset its plans produced reached "in use" or "verified") and another one started
  within ``OPF_CHURN_MONTHS`` after it ended, owned by another org unit or with another
  method. An initiative that ended after deploying handed over: no warning.
- **Departed advocates**: an initiative's owner or sponsor, or a process-group lead,
  whose account is deactivated (they left) while work of theirs or of their initiative
  is open; the open work is listed.

What the lifecycle apps know of an initiative comes through the registry
(``<pkg>.initiative_work``: ``DEPLOYED(initiative ids) -> ids`` and
``OPEN_WORK(user, people ids, initiative ids) -> [work]``), so this module reads no
lifecycle app's code. Every function takes the dashboard's filter and makes a fixed
number of queries.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from opf.core.dashboard import add_months, iso
from opf.core.permissions import restrict
from opf.core.registry import app_modules
from opf.core.thresholds import churn_months
from opf.initiatives.models import Initiative
from opf.organization.scope import DashboardFilter
from opf.steering.models import Body, CommitteeMembership


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    first = add_months(day.replace(day=1), months)
    last_day = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(day.day, last_day))


def visible_initiatives(f: DashboardFilter) -> list[Initiative]:
    """Every initiative the viewer may see (whatever the org unit: churn crosses units)."""
    rows = restrict(Initiative.objects.all(), f.user).select_related(
        "owning_unit", "owner", "sponsor"
    )
    return list(rows.order_by("start", "pk"))


def in_scope(f: DashboardFilter, initiative: Initiative) -> bool:
    return f.org_unit is None or initiative.owning_unit.path.startswith(f.org_unit.path)


def deployed_initiatives(ids: set[int]) -> set[int]:
    found: set[int] = set()
    for module in app_modules("initiative_work"):
        rule = getattr(module, "DEPLOYED", None)
        if rule is not None:
            found |= rule(ids)
    return found


def open_work(user: Any, people: set[int], initiatives: set[int]) -> list[dict[str, Any]]:
    work: list[dict[str, Any]] = []
    if not people and not initiatives:
        return work
    for module in app_modules("initiative_work"):
        rule = getattr(module, "OPEN_WORK", None)
        if rule is not None:
            work.extend(rule(user, people, initiatives))
    return work


def _link(initiative: Initiative) -> dict[str, Any]:
    return {
        "name": initiative.name,
        "href": initiative.get_absolute_url(),
        "method": initiative.get_method_display(),
        "unit": str(initiative.owning_unit),
        "start": iso(initiative.start),
        "end": iso(initiative.end),
    }


def churn(
    f: DashboardFilter,
    initiatives: list[Initiative] | None = None,
    deployed: set[int] | None = None,
) -> list[dict[str, Any]]:
    """Each ended initiative that deployed nothing and the ones that replaced it within
    the threshold (started in the period, another owning unit or another method)."""
    rows = visible_initiatives(f) if initiatives is None else initiatives
    ended = [i for i in rows if i.state == Initiative.State.ENDED and i.end is not None]
    if deployed is None:
        deployed = deployed_initiatives({i.pk for i in ended})
    limit = churn_months()
    found = []
    for old in ended:
        if old.pk in deployed or old.end is None:
            continue
        horizon = months_after(old.end, limit)
        for new in rows:
            if new.pk == old.pk or not (old.end <= new.start <= horizon):
                continue
            if not (f.start <= new.start <= f.end):
                continue
            if new.owning_unit_id == old.owning_unit_id and new.method == old.method:
                continue  # the same group going on with the same method: not churn
            if not (in_scope(f, old) or in_scope(f, new)):
                continue
            found.append(
                {
                    "ended": _link(old),
                    "replaced_by": _link(new),
                    "months": limit,
                    "another_unit": new.owning_unit_id != old.owning_unit_id,
                    "another_method": new.method != old.method,
                }
            )
    return found


def departed_advocates(
    f: DashboardFilter, initiatives: list[Initiative] | None = None
) -> list[dict[str, Any]]:
    """People who left (deactivated accounts) while their work is open: initiative owners
    and sponsors, and process-group leads. Each with what they were and the open work."""
    from opf.core.accounts import User

    rows = visible_initiatives(f) if initiatives is None else initiatives
    rows = [i for i in rows if in_scope(f, i)]
    roles: dict[int, list[str]] = {}
    theirs: dict[int, set[int]] = {}  # person -> initiatives they own or sponsor
    for initiative in rows:
        named = {"name": initiative.name}
        for person, text in (
            (initiative.owner, _("owner of %(name)s") % named),
            (initiative.sponsor, _("sponsor of %(name)s") % named),
        ):
            if person is None or person.is_active:
                continue
            roles.setdefault(person.pk, []).append(text)
            theirs.setdefault(person.pk, set()).add(initiative.pk)
    leads = (
        CommitteeMembership.objects.filter(
            body=Body.PROCESS_GROUP,
            role=CommitteeMembership.Role.LEAD,
            user__is_active=False,
        )
        .exclude(end__lt=f.start)
        .values_list("user_id", flat=True)
    )
    for person_id in set(leads):
        roles.setdefault(person_id, []).append(_("process-group lead"))
        theirs.setdefault(person_id, set())
    if not roles:
        return []
    people = set(roles)
    initiative_ids = set().union(*theirs.values())
    work = open_work(f.user, people, initiative_ids)
    names = {u.pk: u for u in User.objects.filter(pk__in=people)}
    found = []
    for person_id in sorted(people, key=lambda pk: str(names.get(pk, ""))):
        items = [
            {k: w[k] for k in ("kind", "title", "href")}
            for w in work
            if person_id in w["people"] or w["initiative"] in theirs[person_id]
        ]
        if not items:
            continue
        person = names.get(person_id)
        found.append(
            {
                "person": str(person) if person else "",
                "href": reverse("opf:user_detail", args=[person_id]),
                "roles": roles[person_id],
                "work": items,
            }
        )
    return found


def timeline(f: DashboardFilter, initiatives: list[Initiative] | None = None) -> dict[str, Any]:
    """The initiatives running in the period, month by month, and how many ran per month
    by method and by owning unit."""
    rows = visible_initiatives(f) if initiatives is None else initiatives
    months = f.months()
    ends = [months_after(m, 1) for m in months]  # the first day after each month
    result_rows = []
    by_method: dict[str, list[int]] = {}
    by_unit: dict[str, list[int]] = {}
    for initiative in rows:
        if not in_scope(f, initiative):
            continue
        running = [
            initiative.start < after and (initiative.end is None or initiative.end >= first)
            for first, after in zip(months, ends, strict=True)
        ]
        if not any(running):
            continue
        result_rows.append(
            {**_link(initiative), "state": initiative.get_state_display(), "running": running}
        )
        for table, key in (
            (by_method, initiative.get_method_display()),
            (by_unit, str(initiative.owning_unit)),
        ):
            counts = table.setdefault(str(key), [0] * len(months))
            for index, on in enumerate(running):
                counts[index] += int(on)
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "rows": result_rows,
        "by_method": [{"label": k, "counts": v} for k, v in sorted(by_method.items())],
        "by_unit": [{"label": k, "counts": v} for k, v in sorted(by_unit.items())],
    }


def health(initiative: Initiative, deployed: set[int], departed: set[int]) -> str:
    """One word on an initiative's health, for the engagement figures."""
    if initiative.state == Initiative.State.ENDED:
        return "handed_over" if initiative.pk in deployed else "ended_without_deploying"
    if initiative.owner_id in departed or initiative.sponsor_id in departed:
        return "advocate_left"
    if initiative.pk in deployed:
        return "deploying"
    return "under_way"
