"""Process-performance baselines: freeze (compute and store the figures, lock) and
revise (a new draft revision from a frozen one). The rule is
``lessons.process_performance``; plain edits and excluded points go through
``opf.core.services.save_object`` like any record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons import baseline_queries
from lessons import process_performance as rule
from lessons.models import BaselineExclusion, ProcessPerformanceBaseline
from opf.core.display import in_sentence
from opf.core.errors import TransitionRefused
from opf.core.services import check, save_object

if TYPE_CHECKING:
    from opf.core.accounts import User

Baseline = ProcessPerformanceBaseline


@transaction.atomic
def baseline_freeze(baseline: Baseline, *, actor: User, reason: str = "") -> Baseline:
    """Compute the figures from today's data, store them with the points and lock the
    baseline; the revision it was made from, if frozen, is superseded."""
    if baseline.state != Baseline.State.DRAFT:
        raise TransitionRefused(
            _("This cannot be done now: the record is %(state)s.")
            % {"state": in_sentence(baseline.get_state_display())}
        )
    points = baseline_queries.live_points(baseline)
    if len(points) < rule.MIN_POINTS:
        raise TransitionRefused(
            _(
                "A baseline is frozen with at least %(min)s points; its selection and "
                "period give %(n)s."
            )
            % {"min": rule.MIN_POINTS, "n": len(points)}
        )
    figures = rule.figures([p.value for p in points])
    Baseline.workflow.run(
        baseline,
        "freeze",
        actor=actor,
        reason=reason,
        extra={
            **figures.stored(),
            "excluded_count": baseline.exclusions.count(),
            "points": [p.stored() for p in points],
            "frozen_at": timezone.now(),
            "frozen_by": actor,
        },
    )
    previous = baseline.revised_from
    if previous is not None and previous.state == Baseline.State.FROZEN:
        Baseline.workflow.run(
            previous,
            "supersede",
            actor=actor,
            reason=_("Superseded by revision %(rev)s") % {"rev": baseline.revision},
        )
    return baseline


@transaction.atomic
def baseline_revise(baseline: Baseline, *, actor: User, reason: str = "") -> Baseline:
    """A new draft revision of a frozen baseline: the same measure, name, selection,
    period and excluded points, to change and freeze in turn."""
    check(actor, "add", Baseline)
    if baseline.state != Baseline.State.FROZEN:
        raise TransitionRefused(
            _("Only a frozen baseline is revised; a draft is edited as it is.")
            if baseline.state == Baseline.State.DRAFT
            else _("Only the latest frozen revision is revised.")
        )
    newer = baseline.revisions.order_by("-revision").first()
    if newer is not None:
        raise TransitionRefused(
            _("Revision %(rev)s of this baseline exists already.") % {"rev": newer.revision}
        )
    revision = save_object(
        Baseline(
            measure_id=baseline.measure_id,
            name=baseline.name,
            revision=baseline.revision + 1,
            revised_from=baseline,
            org_unit_id=baseline.org_unit_id,
            project_types=list(baseline.project_types),
            size_classes=list(baseline.size_classes),
            phases=list(baseline.phases),
            period_start=baseline.period_start,
            period_end=baseline.period_end,
            notes=baseline.notes,
        ),
        actor=actor,
        reason=reason or _("Revision of revision %(rev)s") % {"rev": baseline.revision},
    )
    for exclusion in baseline.exclusions.order_by("pk"):
        save_object(
            BaselineExclusion(
                baseline=revision,
                period=exclusion.period,
                project_id=exclusion.project_id,
                reason=exclusion.reason,
            ),
            actor=actor,
        )
    return revision
