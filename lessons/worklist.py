"""What waits for people in lessons and audits (see ``opf.core.worklist``): the
non-compliances they answer; for the process group, the overdue non-compliances and
the proposals to decide; for project managers, the lessons to reuse; for everyone,
their submissions and what became of them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lessons.models import ImprovementProposal, Lesson, NonCompliance
from opf.core.worklist import WATCHING, WorkKind

if TYPE_CHECKING:
    from opf.core.accounts import User


def _overdue(nc: NonCompliance, today: date) -> bool:
    return nc.due_date is not None and nc.due_date < today


def open_non_compliances() -> QuerySet[NonCompliance]:
    return (
        NonCompliance.objects.filter(state__in=NonCompliance.OPEN_STATES)
        .select_related("project")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def non_compliances_to_answer(user: User, today: date) -> QuerySet[NonCompliance]:
    """Open ones the user owns, or, with no owner, on a project the user manages."""
    return open_non_compliances().filter(
        Q(owner=user) | Q(owner__isnull=True, project__manager=user)
    )


def overdue_non_compliances(user: User, today: date) -> QuerySet[NonCompliance]:
    return open_non_compliances().filter(due_date__lt=today)


def proposals_to_decide(user: User, today: date) -> QuerySet[ImprovementProposal]:
    submitted = ImprovementProposal.objects.filter(state=ImprovementProposal.State.SUBMITTED)
    return submitted.order_by("submitted_on", "pk")


def lessons_to_reuse(user: User, today: date) -> QuerySet[Lesson]:
    """Published lessons about the user's projects or the assets deployed on them."""
    deployed = Lesson.objects.filter(asset__versions__deployments__project__manager=user)
    return (
        Lesson.objects.filter(state=Lesson.State.PUBLISHED)
        .filter(Q(project__manager=user) | Q(pk__in=deployed.values("pk")))
        .order_by("-published_on", "-pk")
    )


def my_lessons(user: User, today: date) -> QuerySet[Lesson]:
    return Lesson.objects.filter(submitted_by=user).order_by("-submitted_on", "-pk")


def my_proposals(user: User, today: date) -> QuerySet[ImprovementProposal]:
    return ImprovementProposal.objects.filter(submitted_by=user).order_by("-submitted_on", "-pk")


def _state(record: Lesson | ImprovementProposal) -> str:
    return str(record.get_state_display())


KINDS = [
    WorkKind(
        "non-compliances",
        _("Non-compliances to answer"),
        non_compliances_to_answer,
        since=lambda nc: nc.opened_on,
        perm="lessons.view_noncompliance",
        order=50,
        late=_overdue,
        note=lambda nc: str(nc.project or ""),
    ),
    WorkKind(
        "overdue-non-compliances",
        _("Overdue non-compliances"),
        overdue_non_compliances,
        since=lambda nc: nc.due_date,
        perm="lessons.view_noncompliance",
        section=WATCHING,
        order=50,
        late=_overdue,
        note=lambda nc: str(nc.project or ""),
        roles=("process_group",),
    ),
    WorkKind(
        "proposals-to-decide",
        _("Proposals to decide"),
        proposals_to_decide,
        since=lambda proposal: proposal.submitted_on,
        perm="lessons.view_improvementproposal",
        section=WATCHING,
        order=60,
        roles=("process_group",),
    ),
    WorkKind(
        "lessons-to-reuse",
        _("Lessons to reuse"),
        lessons_to_reuse,
        since=lambda lesson: lesson.published_on,
        perm="lessons.view_lesson",
        section=WATCHING,
        order=70,
        roles=("project_manager",),
    ),
    WorkKind(
        "my-lessons",
        _("Your lessons and what became of them"),
        my_lessons,
        since=lambda lesson: lesson.submitted_on,
        perm="lessons.view_lesson",
        section=WATCHING,
        order=90,
        note=_state,
    ),
    WorkKind(
        "my-proposals",
        _("Your proposals and what became of them"),
        my_proposals,
        since=lambda proposal: proposal.submitted_on,
        perm="lessons.view_improvementproposal",
        section=WATCHING,
        order=91,
        note=_state,
    ),
]
