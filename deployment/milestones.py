"""An improvement's milestones along the loop, stored on it (#24), each the first time it
happened as the records show it:

- ``first_recorded_at``: its first history row (it was recorded);
- ``first_finding_at``: the first history row of the earliest of its source findings;
- ``first_selected_at``: its first history row in the state selected;
- ``first_approved_at``: the first approval of an action plan that implements it;
- ``first_released_at``: the first release of an asset version from a pilot of those
  plans;
- ``first_deployed_at``: the first time a project deployment of such a version was in
  use or verified, and ``first_verified_at``, the first time one was verified, both as
  the deployments' history shows them (the trace of ``lessons.effect_queries``:
  improvement → action plan → pilot → asset version → project deployment).

The rule is :func:`milestone_expressions` (SQL over those records); the stored values
are kept equal to it in the same transaction as the write that moves it, whatever the
door (services, edit pages, the API, the shell): a history row of the improvement
written (saved, its findings changed) or its workflow moved; a source finding linked,
unlinked or deleted; a plan moved along its workflow (approved), deleted, or its
improvements changed; a pilot moved to another plan or deleted; an asset version
released, its pilot changed or the version deleted; a deployment saved or moved along
its workflow in use or verified (an improvement's own save leaves them alone:
``Improvement.DERIVED_FIELDS``). So the dashboard's funnel and the loop's cycle times
read columns of the improvements instead of every history row, and a write that moves
no milestone writes nothing they read. Bulk writes send no signal: who writes in bulk
or re-dates history (the dataset builder, the demo) calls :func:`refresh_milestones`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from actions.models import Improvement, Pilot, ProcessActionPlan
from appraisals.models import Finding
from deployment.models import AssetVersion, ProjectDeployment

TRACE = "pilot__action_plan__improvements"  # from an asset version to its improvements
FIELDS = Improvement.DERIVED_FIELDS
UNKNOWN = object()  # a field not read (deferred)


def _first(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by(field).values(field)[:1])


def milestone_expressions() -> dict[str, Subquery]:
    """The milestones as SQL on an improvement row (the rule; correlated subqueries over
    the records they come from)."""
    own = Improvement.history.filter(id=OuterRef("pk"))
    sources = Improvement.findings.through.objects.filter(improvement_id=OuterRef(OuterRef("pk")))
    history = ProjectDeployment.history.filter(**{f"asset_version__{TRACE}": OuterRef("pk")})
    return {
        "first_recorded_at": _first(own, "history_date"),
        "first_finding_at": _first(
            Finding.history.filter(id__in=sources.values("finding_id")), "history_date"
        ),
        "first_selected_at": _first(own.filter(state=Improvement.State.SELECTED), "history_date"),
        "first_approved_at": _first(
            ProcessActionPlan.objects.filter(
                improvements=OuterRef("pk"), approved_at__isnull=False
            ),
            "approved_at",
        ),
        "first_released_at": _first(
            AssetVersion.objects.filter(**{TRACE: OuterRef("pk")}, released_at__isnull=False),
            "released_at",
        ),
        "first_deployed_at": _first(
            history.filter(state__in=ProjectDeployment.DONE_STATES), "history_date"
        ),
        "first_verified_at": _first(
            history.filter(state=ProjectDeployment.State.VERIFIED), "history_date"
        ),
    }


def refresh_milestones(improvements: QuerySet[Improvement] | None = None) -> int:
    """Store the milestones of ``improvements`` (every one when None) as the records make
    them now: one read, and a write only when one moved (so a figure that reads
    improvements is not computed again for nothing). Returns how many moved."""
    rows = improvements if improvements is not None else Improvement.objects.all()
    computed = {f"_{name}": expression for name, expression in milestone_expressions().items()}
    moved = []
    for pk, *values in (
        rows.order_by()
        .annotate(**computed)
        .values_list("pk", *FIELDS, *computed)
        .iterator(chunk_size=2000)
    ):
        old, new = values[: len(FIELDS)], values[len(FIELDS) :]
        if old != new:
            moved.append(Improvement(pk=pk, **dict(zip(FIELDS, new, strict=True))))
    if moved:  # a queryset update: no history row and no version bump (derived values)
        Improvement.objects.bulk_update(moved, FIELDS, batch_size=500)
    return len(moved)


def improvements_of_versions(version_ids: Iterable[int | None]) -> QuerySet[Improvement]:
    """The improvements the asset versions were released for (through their pilots)."""
    ids = [pk for pk in version_ids if pk is not None]
    return Improvement.objects.filter(
        pk__in=AssetVersion.objects.filter(pk__in=ids, **{f"{TRACE}__isnull": False}).values(TRACE)
    )


def improvements_of_pilots(pilot_ids: Iterable[int | None]) -> QuerySet[Improvement]:
    ids = [pk for pk in pilot_ids if pk is not None]
    return Improvement.objects.filter(action_plans__pilots__in=ids).distinct()


def improvements_of_plans(plan_ids: Iterable[int | None]) -> QuerySet[Improvement]:
    ids = [pk for pk in plan_ids if pk is not None]
    return Improvement.objects.filter(action_plans__in=ids).distinct()


# --- keeping the stored milestones exact ---------------------------------------------


def _deployment_saved(
    sender: type, instance: ProjectDeployment, raw: bool = False, **kw: Any
) -> None:
    """Its history row is written (simple_history's receiver runs first: it connects
    when the model is prepared, this one when the app is ready). Only a row in use or
    verified can move a milestone."""
    if not raw and instance.state in ProjectDeployment.DONE_STATES:
        refresh_milestones(improvements_of_versions([instance.asset_version_id]))


def _deployment_moved(sender: type, instance: ProjectDeployment, target: str, **kw: Any) -> None:
    """A workflow step (``opf.core.workflow``: an update and its own history row, no
    save): the same as a save."""
    if target in ProjectDeployment.DONE_STATES:
        refresh_milestones(improvements_of_versions([instance.asset_version_id]))


def _plan_improvements_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    if getattr(instance, "_milestones_loaded", False):
        return  # a backup or fixture being loaded: the improvements' values come with it
    if reverse:  # improvement.action_plans.add(plan): the one improvement
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_milestones(Improvement.objects.filter(pk=instance.pk))
        return
    if action == "pre_clear":
        instance._milestone_improvements = list(instance.improvements.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        refresh_milestones(Improvement.objects.filter(pk__in=pk_set or ()))
    elif action == "post_clear":
        ids = getattr(instance, "_milestone_improvements", [])
        refresh_milestones(Improvement.objects.filter(pk__in=ids))


def _plan_saved(sender: type, instance: ProcessActionPlan, raw: bool = False, **kw: Any) -> None:
    """A plan saved raw (``loaddata``, a backup's restore) then gets its members set by
    the loader, which sends m2m_changed with no ``raw``: the milestones are not computed
    then, from a history only partly loaded, over the values the backup holds."""
    instance._milestones_loaded = raw  # type: ignore[attr-defined]


def _remember(field: str) -> Any:
    """post_init: the value ``field`` had when the object was read (None: new), to see
    on save whether it moved (no query)."""

    def remember(sender: type, instance: Any, **kw: Any) -> None:
        # A deferred field (``only()``) is not read here, and not written by a save.
        loaded = instance.__dict__.get(field, UNKNOWN)
        instance._milestone_before = loaded if instance.pk else None

    return remember


def _pilot_saved(sender: type, instance: Pilot, raw: bool = False, **kw: Any) -> None:
    before = getattr(instance, "_milestone_before", None)
    if not raw and before not in (None, UNKNOWN) and before != instance.action_plan_id:
        refresh_milestones(improvements_of_plans([before, instance.action_plan_id]))
    instance._milestone_before = instance.action_plan_id  # type: ignore[attr-defined]


def _pilot_deleted(sender: type, instance: Pilot, **kw: Any) -> None:
    """Its asset versions lost their pilot (SET_NULL, a bulk update): not traced now."""
    refresh_milestones(improvements_of_plans([instance.action_plan_id]))


def _version_saved(sender: type, instance: AssetVersion, raw: bool = False, **kw: Any) -> None:
    before = getattr(instance, "_milestone_before", None)
    if not raw and before is not UNKNOWN and before != instance.pilot_id:
        refresh_milestones(improvements_of_pilots([before, instance.pilot_id]))
    instance._milestone_before = instance.pilot_id  # type: ignore[attr-defined]


def _version_deleted(sender: type, instance: AssetVersion, **kw: Any) -> None:
    refresh_milestones(improvements_of_pilots([instance.pilot_id]))


def _improvement_written(sender: type, history_instance: Any, **kw: Any) -> None:
    """A history row of an improvement written (simple-history's
    ``post_create_historical_record``): only its first row (recorded) or a row in the
    state selected can move one of its own milestones; an edit of a candidate reads
    nothing."""
    if history_instance.history_type == "+" or (
        history_instance.state == Improvement.State.SELECTED
    ):
        refresh_milestones(Improvement.objects.filter(pk=history_instance.id))


def _improvement_moved(sender: type, instance: Improvement, **kw: Any) -> None:
    """A workflow step writes the improvement's history row itself (no signal)."""
    refresh_milestones(Improvement.objects.filter(pk=instance.pk))


def _plan_moved(sender: type, instance: ProcessActionPlan, **kw: Any) -> None:
    """Approved (``approved_at``), or any other step: its improvements' approvals."""
    refresh_milestones(improvements_of_plans([instance.pk]))


def _version_moved(sender: type, instance: AssetVersion, **kw: Any) -> None:
    """Released (``released_at``), or any other step."""
    refresh_milestones(improvements_of_versions([instance.pk]))


def _before_delete(sender: type, instance: Finding | ProcessActionPlan, **kw: Any) -> None:
    """pre_delete (or a clear): remember the improvements of a finding or a plan, for
    after (their links go in bulk, with no signal)."""
    improvements = instance.improvements.values_list("pk", flat=True)
    instance._milestone_improvements = list(improvements)  # type: ignore[union-attr]


def _after_delete(sender: type, instance: Any, **kw: Any) -> None:
    ids = getattr(instance, "_milestone_improvements", [])
    if ids:
        refresh_milestones(Improvement.objects.filter(pk__in=ids))


def _findings_changed(
    sender: type, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """An improvement's source findings changed, from either side (members set after a
    save update that save's history row: no new row, no signal)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_milestones(Improvement.objects.filter(pk=instance.pk))
    elif action == "pre_clear":
        _before_delete(sender, instance)
    elif action in ("post_add", "post_remove"):
        refresh_milestones(Improvement.objects.filter(pk__in=pk_set or ()))
    elif action == "post_clear":
        _after_delete(sender, instance)


def keep_milestones() -> None:
    """Connect the recomputations (``DeploymentConfig.ready``)."""
    from django.db.models.signals import (
        m2m_changed,
        post_delete,
        post_init,
        post_save,
        pre_delete,
    )
    from simple_history.signals import post_create_historical_record

    from opf.core.workflow import transitioned

    post_save.connect(_deployment_saved, sender=ProjectDeployment, dispatch_uid="milestones-pd")
    transitioned.connect(
        _deployment_moved, sender=ProjectDeployment, dispatch_uid="milestones-pd-step"
    )
    m2m_changed.connect(
        _plan_improvements_changed,
        sender=ProcessActionPlan.improvements.through,
        dispatch_uid="milestones-plan",
    )
    post_save.connect(_plan_saved, sender=ProcessActionPlan, dispatch_uid="milestones-plan-raw")
    post_init.connect(
        _remember("action_plan_id"), sender=Pilot, weak=False, dispatch_uid="milestones-pilot-"
    )
    post_save.connect(_pilot_saved, sender=Pilot, dispatch_uid="milestones-pilot")
    post_delete.connect(_pilot_deleted, sender=Pilot, dispatch_uid="milestones-pilot-del")
    post_init.connect(
        _remember("pilot_id"), sender=AssetVersion, weak=False, dispatch_uid="milestones-av-"
    )
    post_save.connect(_version_saved, sender=AssetVersion, dispatch_uid="milestones-av")
    post_delete.connect(_version_deleted, sender=AssetVersion, dispatch_uid="milestones-av-del")
    transitioned.connect(_version_moved, sender=AssetVersion, dispatch_uid="milestones-av-step")
    # the milestones before the deployments: the improvement's own, its findings', its plans'
    post_create_historical_record.connect(
        _improvement_written, sender=Improvement.history.model, dispatch_uid="milestones-own"
    )
    transitioned.connect(_improvement_moved, sender=Improvement, dispatch_uid="milestones-step")
    m2m_changed.connect(
        _findings_changed, sender=Improvement.findings.through, dispatch_uid="milestones-findings"
    )
    transitioned.connect(_plan_moved, sender=ProcessActionPlan, dispatch_uid="milestones-plan-step")
    for model in (Finding, ProcessActionPlan):  # a source finding, a plan deleted
        name = model._meta.model_name
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"milestones-{name}-del-")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"milestones-{name}-del")
