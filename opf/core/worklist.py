"""The worklist: what waits for a person, contributed by the apps that own the records.

How an app adds a kind of work
------------------------------
Create ``<app>/worklist.py`` with ``KINDS``::

    KINDS = [WorkKind("action-items", _("Action items due"), open_items_of,
                      since=lambda item: item.due, perm="actions.view_actionitem")]

``records(user, today) -> QuerySet`` returns exactly the records waiting for ``user``,
in the order they are shown (overdue first). It is the one source of the home page
("Waiting for you" and the role's watch blocks), the ``/api/v1/my-work/`` endpoint and
the list the block links to: every list filterset takes ``?waiting=<slug>``
(``opf.core.ui.filters.WaitingFilterSet``), which keeps the list's rows that are in
``records`` — so the link shows exactly those records. The model must have a list page.

``since(record)`` says since when it waits (a date or a datetime, None if unknown);
``late(record, today)`` marks it overdue; ``note(record)`` adds a short text (read it
from annotations or ``select_related`` rows, never with a query of its own).
``perm`` (a model permission) and ``roles`` (role slugs) hide the kind from users without
them. ``section`` is ``WAITING`` (the user acts) or ``WATCHING`` (what the user's role
keeps an eye on); ``order`` sorts the kinds within a section. Each kind costs at most
two queries, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User

WAITING = "waiting"
WATCHING = "watching"
LIMIT = 10  # rows shown per kind; the count and the link cover all of them


def with_waiting_since(queryset: QuerySet) -> QuerySet:
    """Annotates ``waiting_since``: when the record last changed (its latest history
    entry), i.e. since when it has been in the state it waits in."""
    history = queryset.model.history.model
    latest = history.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return queryset.annotate(waiting_since=Subquery(latest.values("history_date")[:1]))


def waiting_since(record: Any) -> datetime | None:
    return getattr(record, "waiting_since", None)


def count_of(queryset: QuerySet, link: str) -> Coalesce:
    """A subquery counting ``queryset``'s rows whose ``link`` is the outer row."""
    counted = queryset.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0)


def _never_late(record: Any, today: date) -> bool:
    return False


@dataclass(frozen=True)
class WorkKind:
    slug: str
    label: StrOrPromise
    records: Callable[[User, date], QuerySet]
    since: Callable[[Any], date | datetime | None] = lambda record: None
    perm: str | None = None
    section: str = WAITING
    order: int = 100
    late: Callable[[Any, date], bool] = _never_late
    note: Callable[[Any], str] | None = None
    roles: tuple[str, ...] = ()  # role slugs (opf.core.roles); empty: whoever has ``perm``

    def visible_to(self, user: User) -> bool:
        from opf.core.roles import roles_of

        if self.perm is not None and not user.has_perm(self.perm):
            return False
        return not self.roles or any(role.slug in self.roles for role in roles_of(user))


@dataclass(frozen=True)
class WorkEntry:
    id: int
    title: str
    url: str
    since: date | datetime | None
    late: bool
    note: str
    record: Any = field(default=None, repr=False, compare=False)  # the API links it

    @property
    def waiting_for(self) -> datetime | None:
        """The moment it started waiting (a date, e.g. a due date, is shown as such)."""
        return self.since if isinstance(self.since, datetime) else None


@dataclass
class WorkBlock:
    kind: WorkKind
    count: int
    list_url: str
    entries: list[WorkEntry] = field(default_factory=list)

    @property
    def late_count(self) -> int:
        return sum(1 for entry in self.entries if entry.late)


@cache
def kinds() -> dict[str, WorkKind]:
    """Every app's kinds by slug, in section and ``order`` order."""
    from opf.core.registry import app_modules

    found = [kind for module in app_modules("worklist") for kind in module.KINDS]
    found.sort(key=lambda kind: (kind.section != WAITING, kind.order))
    return {kind.slug: kind for kind in found}


def list_url(kind: WorkKind, model: type[Model]) -> str:
    return (
        f"{reverse(f'{model._meta.app_label}:{model._meta.model_name}_list')}?waiting={kind.slug}"
    )


def _entry(kind: WorkKind, record: Any, today: date) -> WorkEntry:
    return WorkEntry(
        id=record.pk,
        title=str(record),
        url=record.get_absolute_url(),
        since=kind.since(record),
        late=kind.late(record, today),
        note=kind.note(record) if kind.note else "",
        record=record,
    )


def records_of(kind: WorkKind, user: User, today: date) -> QuerySet:
    """The kind's records for ``user``, among those the user may view."""
    from opf.core.permissions import restrict

    return restrict(kind.records(user, today), user, "view")


class _Total(Subquery):
    """The number of rows of a queryset, as an uncorrelated scalar subquery: the
    database counts once (narrow rows, from an index where one fits) and the outer
    query still stops after its first ``LIMIT`` rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def block(kind: WorkKind, user: User, today: date) -> WorkBlock:
    """One kind's rows for ``user`` (the first ``LIMIT``) and their count, in one query,
    so the query count never depends on the rows. The count is a subquery of its own
    rather than a window over the rows: a window makes the database build (join, sort)
    every waiting row to show ten, which grows with the organisation for the watch
    blocks (stale deployments, proposals to decide). A kind's records therefore never
    use ``distinct()``."""
    queryset = records_of(kind, user, today)
    total = _Total(queryset.order_by().values("pk"))
    rows = list(queryset.annotate(_total=total)[:LIMIT])
    count = rows[0]._total if rows else 0
    return WorkBlock(
        kind=kind,
        count=count,
        list_url=list_url(kind, queryset.model),
        entries=[_entry(kind, record, today) for record in rows[:LIMIT]],
    )


def worklist(user: User, today: date) -> list[WorkBlock]:
    """Every kind the user may see that has something in it, in order; kept until the
    data next changes (``opf.core.freshness``), per person, day, language (the records'
    names) and roles (the kinds they see), as the menu's counts and the my-work API
    are. Each kind counts every record waiting, which grows with the organization
    (the open plans with a late item: 2,000 probed at scale 10); the home page asks
    for it on every visit."""
    from django.utils.translation import get_language

    from opf.core.freshness import cached
    from opf.core.roles import roles_of

    roles = ",".join(role.slug for role in roles_of(user))
    key = ("worklist", user.pk, today.isoformat(), get_language(), roles)
    kept = cached(key, lambda: [_kept(found) for found in _blocks(user, today)])
    every = kinds()
    return [
        WorkBlock(kind=every[slug], count=count, list_url=url, entries=entries)
        for slug, count, url, entries in kept
        if slug in every
    ]


def _blocks(user: User, today: date) -> list[WorkBlock]:
    blocks = (block(kind, user, today) for kind in kinds().values() if kind.visible_to(user))
    return [found for found in blocks if found.count]


def _kept(found: WorkBlock) -> tuple[str, int, str, list[WorkEntry]]:
    """A block as the cache keeps it: its kind by slug (a kind holds functions)."""
    return found.kind.slug, found.count, found.list_url, found.entries


def waiting_queryset(slug: str, user: User, today: date) -> QuerySet | None:
    """The records of the kind ``slug`` for ``user`` (None for an unknown kind)."""
    kind = kinds().get(slug)
    if kind is None or not kind.visible_to(user):
        return None
    return records_of(kind, user, today)
