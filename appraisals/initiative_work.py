"""What appraisals tell steering about initiatives (``opf.core.registry``): the open
appraisals of an initiative, or sponsored by a person (``OPEN_WORK``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from appraisals.models import Appraisal
from opf.core.permissions import restrict

CLOSED = (Appraisal.State.CLOSED, Appraisal.State.CANCELLED)


def open_work(user: Any, people: set[int], initiatives: set[int]) -> list[dict[str, Any]]:
    rows = (
        restrict(Appraisal.objects.all(), user)
        .filter(archived_at__isnull=True)
        .exclude(state__in=CLOSED)
        .filter(Q(sponsor__in=people) | Q(initiative__in=initiatives))
        .values_list("pk", "title", "sponsor_id", "initiative_id")
        .order_by("pk")
    )
    kind = str(Appraisal._meta.verbose_name)
    return [
        {
            "kind": kind,
            "title": title,
            "href": reverse("appraisals:appraisal_detail", args=[pk]),
            "people": [sponsor] if sponsor in people else [],
            "initiative": initiative,
        }
        for pk, title, sponsor, initiative in rows
    ]


OPEN_WORK = open_work
