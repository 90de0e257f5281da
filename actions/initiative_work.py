"""What actions tells steering about initiatives (``opf.core.registry``): open action
plans and improvements of an initiative, and a person's open plans (owned or sponsored)
and action items (``OPEN_WORK``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from actions.models import ActionItem, Improvement, ProcessActionPlan
from opf.core.permissions import restrict

OPEN_IMPROVEMENTS = (
    Improvement.State.CANDIDATE,
    Improvement.State.SELECTED,
    Improvement.State.IN_ACTION,
)


def open_work(user: Any, people: set[int], initiatives: set[int]) -> list[dict[str, Any]]:
    work: list[dict[str, Any]] = []
    plans = (
        restrict(ProcessActionPlan.objects.all(), user)
        .filter(state__in=ProcessActionPlan.OPEN_STATES)
        .filter(Q(owner__in=people) | Q(sponsor__in=people) | Q(initiative__in=initiatives))
        .values_list("pk", "title", "owner_id", "sponsor_id", "initiative_id")
        .order_by("pk")
    )
    kind = str(ProcessActionPlan._meta.verbose_name)
    for pk, title, owner, sponsor, initiative in plans:
        work.append(
            {
                "kind": kind,
                "title": title,
                "href": reverse("actions:processactionplan_detail", args=[pk]),
                "people": sorted({p for p in (owner, sponsor) if p in people}),
                "initiative": initiative,
            }
        )
    improvements = (
        restrict(Improvement.objects.all(), user)
        .filter(state__in=OPEN_IMPROVEMENTS, initiative__in=initiatives)
        .values_list("pk", "title", "initiative_id")
        .order_by("pk")
    )
    kind = str(Improvement._meta.verbose_name)
    for pk, title, initiative in improvements:
        work.append(
            {
                "kind": kind,
                "title": title,
                "href": reverse("actions:improvement_detail", args=[pk]),
                "people": [],
                "initiative": initiative,
            }
        )
    items = (
        restrict(ActionItem.objects.all(), user)
        .filter(status__in=ActionItem.OPEN_STATUSES, assignee__in=people)
        .values_list("pk", "title", "assignee_id")
        .order_by("pk")
    )
    kind = str(ActionItem._meta.verbose_name)
    for pk, title, assignee in items:
        work.append(
            {
                "kind": kind,
                "title": title,
                "href": reverse("actions:actionitem_detail", args=[pk]),
                "people": [assignee],
                "initiative": None,
            }
        )
    return work


OPEN_WORK = open_work
