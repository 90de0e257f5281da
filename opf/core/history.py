"""Who made a change and why, for the history rows django-simple-history writes.

simple_history takes the row's user and reason from two attributes of the
instance being saved, ``_history_user`` and ``_change_reason``; no model
declares them, so they are set here, in one typed place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django_stubs_ext import StrPromise


def attribute_change(
    instance: Model,
    actor: AbstractBaseUser | None,  # a User (opf.core.accounts builds on this module)
    reason: str | StrPromise | None = None,
) -> None:
    """The next save of ``instance`` is recorded as made by ``actor`` (None: by
    no one, e.g. a scheduled task), with ``reason`` unless it is None."""
    setattr(instance, "_history_user", actor)  # noqa: B010 - an attribute no model declares
    if reason is not None:
        setattr(instance, "_change_reason", reason)  # noqa: B010


class ChangeHistory(HistoricalRecords):
    """simple_history's records, without a row for a save that writes only fields
    the history leaves out: a sign-in saves ``last_login`` alone, and a row per
    sign-in would tell every reader of a person's history when they sign in.

    Many-to-many fields named in ``m2m_fields`` (a team, a scope, targets) are
    recorded too: every row holds the members at that point, so the history shows
    them before and after. One write is one row: members set after a save of the
    same object (a form's ``save_m2m``, a serializer's ``set``) update the row that
    save wrote; otherwise an add, remove or clear writes its own row. A change made
    from the other side (``user.appraisal_teams.add(appraisal)``) is recorded on
    each record it touches.
    """

    def contribute_to_class(self, cls: type[Model], name: str) -> None:
        super().contribute_to_class(cls, name)
        cls._change_history = self  # type: ignore[attr-defined]  # see record_members

    def create_historical_record_m2ms(self, history_instance: Model, instance: Model) -> None:
        super().create_historical_record_m2ms(history_instance, instance)
        setattr(instance, "_history_row", history_instance)  # noqa: B010 - see m2m_changed

    def _update_members(self, instance: Model) -> bool:
        """Record the members now in the row this object's last write wrote, if any."""
        row = getattr(instance, "_history_row", None)
        if row is None:
            return False
        for field in getattr(row, "_history_m2m_fields", []):
            self.m2m_models[field].objects.filter(history=row).delete()
        super().create_historical_record_m2ms(row, instance)
        return True

    def post_save(
        self, instance: Model, created: bool, using: str | None = None, **kwargs: Any
    ) -> None:
        written = kwargs.get("update_fields")
        if not created and written and set(written) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(
        self, instance: Model, action: str, attr: str, pk_set: Any, reverse: bool, **kwargs: Any
    ) -> None:
        if action in ("post_add", "post_remove") and not pk_set:
            return  # nothing added (all there already) or removed: nothing to record
        if not reverse:
            if action.startswith("post_") and self._update_members(instance):
                return
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        # From the other side: ``instance`` is the related object, ``model`` ours.
        model = kwargs["model"]
        if action == "pre_clear":
            through = getattr(model, attr).through
            own = getattr(model, attr).field.m2m_field_name()
            other = getattr(model, attr).field.m2m_reverse_field_name()
            ids = through.objects.filter(**{other: instance.pk}).values_list(f"{own}_id", flat=True)
            setattr(instance, f"_history_cleared_{attr}", set(ids))
            return
        if action == "post_clear":
            pk_set = getattr(instance, f"_history_cleared_{attr}", set())
        for record in model._default_manager.filter(pk__in=pk_set or ()):
            super().m2m_changed(record, action, attr, pk_set, False, **kwargs)


def record_members(row: Model, instance: Model) -> None:
    """Record ``instance``'s many-to-many members in its history ``row``, for a row
    written without a save (a workflow step moves the state with ``update()``):
    otherwise that row would show the plan's improvements, say, as removed."""
    recorder = getattr(type(instance), "_change_history", None)
    if isinstance(recorder, ChangeHistory) and recorder.m2m_fields:
        recorder.create_historical_record_m2ms(row, instance)
