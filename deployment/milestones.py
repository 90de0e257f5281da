"""An improvement's deployment milestones, stored on it (#24): ``first_deployed_at``, the
first time a project deployment of an asset version released from one of its adopted
pilots was in use or verified, and ``first_verified_at``, the first time one was
verified, both as the deployments' history shows them (the trace of
``lessons.effect_queries``: improvement → action plan → pilot → asset version →
project deployment).

The rule is :func:`milestone_expressions` (SQL over the history); the stored values are
kept equal to it in the same transaction as the write that moves it, whatever the door
(services, edit pages, the API, the shell): a deployment saved or moved along its
workflow in use or verified, an
improvement added to or removed from a plan, a pilot moved to another plan or deleted,
an asset version's pilot changed or the version deleted (an improvement's own save
leaves them alone: ``Improvement.DERIVED_FIELDS``). So the dashboard's funnel and the
loop's cycle times read two columns instead of the deployment history, and a
deployment update that moves no milestone writes nothing they read. Bulk writes send
no signal: who writes in bulk (the dataset builder) calls :func:`refresh_milestones`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from actions.models import Improvement, Pilot, ProcessActionPlan
from deployment.models import AssetVersion, ProjectDeployment

TRACE = "pilot__action_plan__improvements"  # from an asset version to its improvements
FIELDS = Improvement.DERIVED_FIELDS
UNKNOWN = object()  # a field not read (deferred)


def _first(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(queryset.order_by(field).values(field)[:1])


def milestone_expressions() -> dict[str, Subquery]:
    """The milestones as SQL on an improvement row (the rule; correlated subqueries over
    the deployments' history)."""
    history = ProjectDeployment.history.filter(**{f"asset_version__{TRACE}": OuterRef("pk")})
    return {
        "first_deployed_at": _first(
            history.filter(state__in=ProjectDeployment.DONE_STATES), "history_date"
        ),
        "first_verified_at": _first(
            history.filter(state=ProjectDeployment.State.VERIFIED), "history_date"
        ),
    }


def refresh_milestones(improvements: QuerySet[Improvement] | None = None) -> int:
    """Store the milestones of ``improvements`` (every one when None) as the history
    makes them now: one read, and a write only when one moved (so a figure that reads
    improvements is not computed again for nothing). Returns how many moved."""
    rows = improvements if improvements is not None else Improvement.objects.all()
    computed = {f"_{name}": expression for name, expression in milestone_expressions().items()}
    moved = [
        Improvement(pk=pk, first_deployed_at=deployed, first_verified_at=verified)
        for pk, old_deployed, old_verified, deployed, verified in rows.order_by()
        .annotate(**computed)
        .values_list("pk", *FIELDS, *computed)
        .iterator(chunk_size=2000)
        if (old_deployed, old_verified) != (deployed, verified)
    ]
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


def keep_milestones() -> None:
    """Connect the recomputations (``DeploymentConfig.ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

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
