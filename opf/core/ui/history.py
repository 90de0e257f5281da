"""Change history of a record, with field-level differences, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import ManyToManyField, Model
from simple_history.models import HistoricalRecords

from opf.core.display import model_field

if TYPE_CHECKING:
    from opf.core.accounts import User


@dataclass
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    id: int
    when: datetime
    user: User | None
    kind: str
    reason: str
    changes: list[FieldChange]


class Members(list):
    """The members of a many-to-many field at one point of the history (a team, a
    scope): shown on a page as one line, given to the API as a list of names."""

    def __str__(self) -> str:
        return ", ".join(str(member) for member in self)


# {field name: {history row id: ids of the related records then}}
Snapshots = dict[str, dict[int, frozenset[Any]]]

KIND = {"+": "created", "~": "changed", "-": "deleted"}

# A person's history never shows when they signed in or joined, nor their password:
# rows written by a sign-in (before ``ChangeHistory``) and these fields' changes are left out.
PERSONAL_FIELDS = frozenset({"password", "last_login", "date_joined"})


def hidden_fields(model: type[Model]) -> frozenset[str]:
    return PERSONAL_FIELDS if issubclass(model, AbstractBaseUser) else frozenset()


def history_of(obj: Model, limit: int | None = 50) -> list[HistoryEntry]:
    """The newest ``limit`` changes of ``obj``: two queries whatever the length, and
    one per many-to-many field the history records (none for a model that keeps
    no history)."""
    history = getattr(obj, "history", None)  # django-simple-history's manager
    if history is None:
        return []
    model = type(obj)
    hidden = hidden_fields(model)
    records_qs = history.select_related("history_user").order_by("-history_date", "-history_id")
    # Entries may be left out (``hidden``): then every row is read to find ``limit``.
    records = list(records_qs[: limit + 1] if limit and not hidden else records_qs)
    snapshots = _snapshots(history.model, records)
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records):
        if limit and len(entries) >= limit:
            break
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = _entry(model, record, previous, hidden, snapshots)
        if entry is not None:
            entries.append(entry)
    _resolve_values(model, entries)
    return entries


def _snapshots(history_model: type[Model], records: list[Any]) -> Snapshots:
    """The members of each recorded many-to-many field at each of ``records``
    (simple_history's ``m2m_fields``): one query per field."""
    found: Snapshots = {}
    ids = [record.history_id for record in records]
    for field in getattr(history_model, "_history_m2m_fields", []):
        rows = HistoricalRecords.m2m_models[field].objects.filter(history_id__in=ids)
        members: dict[int, set[Any]] = {pk: set() for pk in ids}
        for history_id, member in rows.values_list(
            "history_id", f"{field.m2m_reverse_field_name()}_id"
        ):
            members[history_id].add(member)
        found[field.name] = {pk: frozenset(values) for pk, values in members.items()}
    return found


def _entry(
    model: type[Model], record: Any, previous: Any, hidden: frozenset[str], snapshots: Snapshots
) -> HistoryEntry | None:
    """One history row against the one before it; None for a row that changed only
    ``hidden`` fields (or nothing) and gives no reason."""
    changes: list[FieldChange] = []
    if previous is not None and record.history_type == "~":
        delta = record.diff_against(
            previous, excluded_fields=hidden | set(snapshots), foreign_keys_are_objs=False
        )
        for change in delta.changes:
            field = model_field(model, change.field)
            changes.append(
                FieldChange(change.field, str(field.verbose_name), change.old, change.new)
            )
        for name, members in snapshots.items():
            old, new = members[previous.history_id], members[record.history_id]
            if old != new:
                label = str(model_field(model, name).verbose_name)
                changes.append(FieldChange(name, label, old, new))
    reason = record.history_change_reason or ""
    if hidden and record.history_type == "~" and not changes and not reason:
        return None
    return HistoryEntry(
        id=record.history_id,
        when=record.history_date,
        user=record.history_user,
        kind=KIND.get(record.history_type, record.history_type),
        reason=reason,
        changes=changes,
    )


def _resolve_values(model: type[Model], entries: list[HistoryEntry]) -> None:
    """Show related records and choice labels instead of raw ids and codes:
    one query per related model, whatever the number of changes."""
    wanted: dict[type[Model], set[Any]] = {}
    for entry in entries:
        for change in entry.changes:
            field = model_field(model, change.field)
            if isinstance(field, ManyToManyField) and isinstance(field.related_model, type):
                wanted.setdefault(field.related_model, set()).update(change.old | change.new)
            elif field.many_to_one and isinstance(field.related_model, type):
                wanted.setdefault(field.related_model, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    found = {related: related._default_manager.in_bulk(ids) for related, ids in wanted.items()}
    for entry in entries:
        for change in entry.changes:
            field = model_field(model, change.field)
            if isinstance(field, ManyToManyField) and isinstance(field.related_model, type):
                objects = found[field.related_model]
                change.old = _members(objects, change.old)
                change.new = _members(objects, change.new)
            elif field.many_to_one and isinstance(field.related_model, type):
                objects = found[field.related_model]
                change.old = objects.get(change.old, change.old)
                change.new = objects.get(change.new, change.new)
            elif field.choices:
                labels = dict(field.flatchoices)
                change.old = labels.get(change.old, change.old)
                change.new = labels.get(change.new, change.new)


def _members(objects: dict[Any, Model], ids: frozenset[Any]) -> Members:
    """The records ``ids`` name, by name (a deleted one by its id)."""
    return Members(sorted((str(objects.get(pk, pk)) for pk in ids), key=str.casefold))
