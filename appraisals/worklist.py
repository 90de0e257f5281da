"""What waits for people in the appraisals (see ``opf.core.worklist``): the appraisals
they are on, with how far the characterization has come, and the ratings the lead
appraiser has to confirm; for the process group, the open appraisals."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisals.models import Appraisal, Characterization, Rating
from opf.core.worklist import WATCHING, WorkKind, count_of, waiting_since, with_waiting_since
from opf.reference.models import Practice

if TYPE_CHECKING:
    from opf.core.accounts import User

OPEN_STATES = (
    Appraisal.State.PLANNED,
    Appraisal.State.SCHEDULED,
    Appraisal.State.IN_PROGRESS,
    Appraisal.State.FINDINGS_DELIVERED,
)


def with_progress(appraisals: QuerySet[Appraisal]) -> QuerySet[Appraisal]:
    """Annotates ``characterized`` and ``instances`` (in-scope practices x places)."""
    practices = Practice.objects.all()
    units = Appraisal.org_units.through.objects.all()
    projects = Appraisal.projects.through.objects.all()
    return appraisals.annotate(
        characterized=count_of(Characterization.objects.all(), "appraisal"),
        practice_count=count_of(practices, "process_area__appraisals"),
        unit_count=count_of(units, "appraisal"),
        project_count=count_of(projects, "appraisal"),
    )


def appraisals_on(user: User, today: date) -> QuerySet[Appraisal]:
    """Open appraisals the user leads or is on the team of, soonest first."""
    on_team = Appraisal.team.through.objects.filter(user=user).values("appraisal")
    mine = Appraisal.objects.filter(Q(lead_appraiser=user) | Q(pk__in=on_team))
    return with_progress(mine.filter(state__in=OPEN_STATES)).order_by("planned_start", "pk")


def open_appraisals(user: User, today: date) -> QuerySet[Appraisal]:
    opened = Appraisal.objects.filter(state__in=OPEN_STATES)
    return with_progress(opened).order_by("planned_start", "pk")


def ratings_to_confirm(user: User, today: date) -> QuerySet[Rating]:
    """Proposed ratings of in-progress appraisals the user leads."""
    ratings = Rating.objects.filter(
        appraisal__lead_appraiser=user,
        appraisal__state=Appraisal.State.IN_PROGRESS,
        value="",
    ).select_related("appraisal", "process_area", "org_unit")
    return with_waiting_since(ratings).order_by("waiting_since", "pk")


def progress(appraisal: Appraisal) -> str:
    """“37 of 60 practice instances characterized”."""
    instances = appraisal.practice_count * (appraisal.unit_count + appraisal.project_count)  # type: ignore[attr-defined]
    return _("%(done)s of %(total)s practice instances characterized") % {
        "done": appraisal.characterized,  # type: ignore[attr-defined]
        "total": instances,
    }


KINDS = [
    WorkKind(
        "ratings-to-confirm",
        gettext_lazy("Ratings to confirm"),
        ratings_to_confirm,
        since=waiting_since,
        perm="appraisals.view_rating",
        order=30,
        note=lambda rating: str(rating.appraisal),
    ),
    WorkKind(
        "my-appraisals",
        gettext_lazy("Appraisals you are on"),
        appraisals_on,
        since=lambda appraisal: appraisal.planned_start,
        perm="appraisals.view_appraisal",
        order=80,
        note=progress,
    ),
    WorkKind(
        "open-appraisals",
        gettext_lazy("Open appraisals"),
        open_appraisals,
        since=lambda appraisal: appraisal.planned_start,
        perm="appraisals.view_appraisal",
        section=WATCHING,
        order=10,
        note=progress,
        roles=("process_group",),
    ),
]
