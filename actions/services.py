"""Writes of the improvement pipeline (SP 1.3), used by pages, API and demo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisals.models import Finding, ProcessNeed
from opf.services.objects import check, save_object

from .models import Improvement, ImprovementScore, PrioritizationCriterion

# --- lifecycle ---------------------------------------------------------------


@transaction.atomic
def improvement_select(improvement: Improvement, *, actor: Any, reason: str = "") -> Improvement:
    return Improvement.workflow.run(improvement, "select", actor=actor, reason=reason)


@transaction.atomic
def improvement_defer(improvement: Improvement, *, actor: Any, reason: str = "") -> Improvement:
    return Improvement.workflow.run(improvement, "defer", actor=actor, reason=reason)


@transaction.atomic
def improvement_reject(improvement: Improvement, *, actor: Any, reason: str = "") -> Improvement:
    return Improvement.workflow.run(improvement, "reject", actor=actor, reason=reason)


@transaction.atomic
def improvement_reconsider(
    improvement: Improvement, *, actor: Any, reason: str = ""
) -> Improvement:
    return Improvement.workflow.run(improvement, "reconsider", actor=actor, reason=reason)


# --- creation from sources ---------------------------------------------------


@transaction.atomic
def improvement_create_from_findings(
    *,
    findings: Iterable[Finding],
    title: str,
    actor: Any,
    separately: bool = False,
    description: str = "",
) -> list[Improvement]:
    """Weaknesses -> one improvement citing them all, or one per weakness."""
    chosen = list(findings)
    if not chosen:
        raise ValidationError({"findings": _("Choose at least one weakness.")})
    if any(f.kind != Finding.Kind.WEAKNESS for f in chosen):
        raise ValidationError({"findings": _("Only weaknesses become improvements.")})
    if not separately and not title.strip():
        raise ValidationError({"title": _("Give the improvement a title.")})
    groups = [[f] for f in chosen] if separately else [chosen]
    created = []
    for group in groups:
        if separately:
            text = f"{title.strip()}: {group[0]}" if title.strip() else str(group[0])
        else:
            text = title.strip()
        improvement = save_object(
            Improvement(title=text[:200], description=description),
            actor=actor,
            reason=_("Created from findings"),
        )
        improvement.findings.set(group)
        improvement.process_areas.set({f.process_area_id for f in group})
        created.append(improvement)
    return created


@transaction.atomic
def improvement_create_from_need(*, need: ProcessNeed, actor: Any) -> Improvement:
    improvement = save_object(
        Improvement(title=str(need)[:200], description=need.statement),
        actor=actor,
        reason=_("Created from a process need"),
    )
    improvement.needs.add(need)
    return improvement


# --- prioritization ----------------------------------------------------------


@transaction.atomic
def improvement_score(
    *, improvement: Improvement, criterion: PrioritizationCriterion, value: int | None, actor: Any
) -> ImprovementScore | None:
    """Set (or, with ``None``, clear) one criterion's score of an improvement."""
    check(actor, "change", improvement)
    existing = ImprovementScore.objects.filter(improvement=improvement, criterion=criterion).first()
    if value is None:
        if existing is not None:
            existing._history_user = actor
            existing.delete()
        return None
    score = existing or ImprovementScore(improvement=improvement, criterion=criterion)
    score.value = value
    return save_object(score, actor=actor)


@transaction.atomic
def improvement_set_rank(
    improvement: Improvement, *, rank: int | None, reason: str = "", actor: Any
) -> Improvement:
    """Pin an improvement at a manual rank (a reason is required), or unpin it."""
    check(actor, "change", improvement)
    if rank is not None and rank < 1:
        raise ValidationError({"rank": _("A rank starts at 1.")})
    if rank is not None and not reason.strip():
        raise ValidationError({"reason": _("Say why the rank is set by hand.")})
    improvement.rank_override = rank
    improvement.rank_reason = reason.strip() if rank is not None else ""
    return save_object(
        improvement,
        actor=actor,
        reason=(_("Rank set to %(rank)d") % {"rank": rank}) if rank else _("Manual rank removed"),
    )


def priority_of(improvement: Improvement) -> int:
    return Improvement.objects.with_priority().get(pk=improvement.pk).priority


def selected_improvements() -> Any:
    """What action plans start from: the selected improvements, best first."""
    return Improvement.objects.filter(state=Improvement.State.SELECTED).ranked()
