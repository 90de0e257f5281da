"""Lessons, proposals and their evaluation (SP 3.4): the loop back to improvements."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import Improvement
from lessons import notices
from lessons.models import ImprovementProposal, Lesson
from lessons.services.common import submit_object
from opf.core.errors import TransitionRefused
from opf.core.notices import tell
from opf.core.permissions import can
from opf.core.services import save_object

if TYPE_CHECKING:
    from opf.core.accounts import User

PROPOSAL_DECIDED = notices.PROPOSAL_DECIDED

# --- lessons -----------------------------------------------------------------


def lesson_submit(lesson: Lesson, *, actor: User) -> Lesson:
    return submit_object(lesson, actor=actor, reason=_("Submitted"))


@transaction.atomic
def lesson_publish(lesson: Lesson, *, actor: User, reason: str = "") -> Lesson:
    Lesson.workflow.run(
        lesson, "publish", actor=actor, reason=reason, extra={"published_on": timezone.localdate()}
    )
    notices.lesson_published(lesson, actor)
    return lesson


@transaction.atomic
def lesson_archive(lesson: Lesson, *, actor: User, reason: str = "") -> Lesson:
    return Lesson.workflow.run(lesson, "archive", actor=actor, reason=reason)


# --- proposals ---------------------------------------------------------------


def proposal_submit(proposal: ImprovementProposal, *, actor: User) -> ImprovementProposal:
    proposal.source = ImprovementProposal.Source.MEMBER
    return submit_object(proposal, actor=actor, reason=_("Submitted"))


@transaction.atomic
def proposal_accept(
    proposal: ImprovementProposal, *, actor: User, reason: str = ""
) -> ImprovementProposal:
    """Accepting creates the improvement that carries the proposal (a candidate in
    the pipeline), links it, and tells the submitter."""
    if not can(actor, "evaluate", proposal):
        raise TransitionRefused(_("You are not allowed to do this."))
    if proposal.state != ImprovementProposal.State.SUBMITTED:
        raise TransitionRefused(_("This proposal was already decided."))
    improvement = save_object(
        Improvement(
            title=proposal.title,
            description="\n\n".join(
                part
                for part in (
                    proposal.problem,
                    _("Proposed change: %(text)s") % {"text": proposal.proposed_change},
                    proposal.expected_benefit
                    and _("Expected benefit: %(text)s") % {"text": proposal.expected_benefit},
                )
                if part
            ),
        ),
        actor=actor,
        reason=_("Created from an accepted proposal"),
    )
    areas = set()
    if proposal.process_area_id:
        areas.add(proposal.process_area_id)
    if proposal.asset is not None:
        areas |= set(proposal.asset.process_areas.values_list("pk", flat=True))
    improvement.process_areas.set(areas)
    ImprovementProposal.workflow.run(
        proposal,
        "accept",
        actor=actor,
        reason=reason,
        extra={
            "improvement": improvement,
            "decision_reason": reason.strip(),
            "decided_on": timezone.localdate(),
        },
    )
    _tell_submitter(proposal, _("accepted"), actor)
    return proposal


@transaction.atomic
def proposal_reject(
    proposal: ImprovementProposal, *, actor: User, reason: str = ""
) -> ImprovementProposal:
    ImprovementProposal.workflow.run(
        proposal,
        "reject",
        actor=actor,
        reason=reason,
        extra={"decision_reason": reason.strip(), "decided_on": timezone.localdate()},
    )
    _tell_submitter(proposal, _("rejected"), actor)
    return proposal


def _tell_submitter(proposal: ImprovementProposal, outcome: str, actor: User) -> None:
    submitter = proposal.submitted_by
    if submitter is None or not submitter.is_active:
        return
    body = proposal.decision_reason
    if proposal.improvement_id:
        body = "\n".join(
            filter(None, [body, _("Improvement: %(title)s") % {"title": proposal.improvement}])
        )
    tell(
        recipient=submitter,
        kind=PROPOSAL_DECIDED,
        title=_("Your proposal “%(title)s” was %(outcome)s")
        % {"title": proposal.title, "outcome": outcome},
        body=body,
        url=proposal.get_absolute_url(),
        key=f"{PROPOSAL_DECIDED}:improvementproposal:{proposal.pk}:{proposal.state}",
        actor=actor,
    )
