"""The small pieces an app needs to show its records in steering's dashboard panels.

An app's ``<pkg>.steering`` module (see ``opf.core.registry``) declares what it shows
there with these types, so that it needs nothing from ``opf.steering`` itself:

- ``EVIDENCE``: ``{GP code: rule(f, areas) -> Evidence}``, where ``f`` is the dashboard
  filter (``opf.organization.scope.DashboardFilter``) and ``areas`` maps the shown
  process areas' abbreviations to their pks. :func:`by_area` turns query rows into
  :data:`Evidence`, reading only the rows of those areas.
- ``PROGRAM_EVIDENCE``: ``{GP code: rule(f) -> Found | None}``, the evidence for the
  program's own process areas (OPF, OPD); :func:`found` makes one from a record.
- ``INITIATIVES``: :class:`Initiative` descriptors for the scope panel.

Restrict every read to what ``f.user`` may see and date it up to ``f.end`` where the
record has a date; an area rule reads each relation in two statements
(:func:`first_per_area`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse

Found = tuple[str, str]  # (what, link)
Evidence = dict[int, Found]  # process area pk -> (what, link)
AreaRule = Callable[[Any, dict[str, int]], Evidence]  # (DashboardFilter, areas) -> Evidence
ProgramRule = Callable[[Any], Found | None]  # (DashboardFilter) -> Found | None


def url(name: str, pk: int) -> str:
    """The record's page; empty while the area has no page for it yet."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def latest(queryset: QuerySet[Any]) -> Any:
    """The newest row of ``queryset`` (highest pk), or None."""
    return queryset.order_by("-pk").first()


def found(record: Any) -> Found | None:
    """A record as evidence: its text and page; None without a record."""
    return (str(record), record.get_absolute_url()) if record is not None else None


HEAD = 500  # rows read first, in the rule's order (see first_per_area)


def first_per_area(
    pairs: QuerySet[Any], areas: Collection[int], head: int = HEAD
) -> list[tuple[Any, ...]]:
    """The first row of each of ``areas`` (pks) in ``pairs``, a ``values_list(area,
    *rest)`` in its ``order_by``, read in two statements (#24):

    1. the first ``head`` rows of the given areas in that order, which an index on the
       order walks from its start: the areas found there have their first row among
       them (a record's rows come together, and every record before it is read);
    2. for the areas not found there, the first row of each by a window's row number,
       ranked over the rows of those areas only (a statement that finds nothing when
       every area was found).

    The rows of records of no area, or of an area not shown, are never read. The audits'
    items by area were 100,000 rows at scale 10 for some twenty areas; the newest
    hundred audits name them all. One row per area that has one: those found first, in
    the order of ``pairs``, then the others in that order."""
    fields = list(pairs._fields)  # type: ignore[attr-defined]
    # an alias of the selected area (F reuses its join): filtering on the lookup itself
    # would join a multi-valued relation a second time
    shown = pairs.alias(_area=F(fields[0]))
    rows: list[tuple[Any, ...]] = []
    reached: set[Any] = set()
    for row in shown.filter(_area__in=sorted(areas))[:head]:
        if row[0] not in reached:
            reached.add(row[0])
            rows.append(row)
    missing = sorted(a for a in areas if a not in reached) or [0]  # no pk is 0
    order = [_ordering(item) for item in pairs.query.order_by]
    ranked = (
        shown.filter(_area__in=missing)
        .annotate(_first=Window(RowNumber(), partition_by=[F(fields[0])], order_by=order))
        .filter(_first=1)
    )
    return rows + list(ranked.values_list(*fields).order_by(*pairs.query.order_by))


def _ordering(item: Any) -> Any:
    """An ``order_by`` item as an expression (``"-pk"`` → ``F("pk").desc()``)."""
    if not isinstance(item, str):
        return item
    return F(item[1:]).desc() if item.startswith("-") else F(item).asc()


def by_area(
    pairs: Iterable[Sequence[Any]],
    areas: dict[str, int],
    text: Callable[[Sequence[Any]], str],
    href: Callable[[Sequence[Any]], str],
) -> Evidence:
    """Evidence for the shown ``areas`` (abbreviation -> pk, a rule's second argument)
    from rows ``(area pk, *rest)``: the first row for each of those areas counts, its
    text and link made from ``rest``; rows of other areas or of none are skipped. A
    queryset (``values_list``) is cut to those rows in the database
    (:func:`first_per_area`)."""
    wanted = set(areas.values())
    if isinstance(pairs, QuerySet):
        pairs = first_per_area(pairs, wanted)
    evidence: Evidence = {}
    for area_id, *rest in pairs:
        if area_id in wanted and area_id not in evidence:
            evidence[area_id] = (text(rest), href(rest))
    return evidence


@dataclass(frozen=True)
class Initiative:
    """A kind of initiative the scope panel measures by the projects it reaches.

    ``units`` are lookups from the model to the org units it targets (each target's
    subtree is expanded by the panel), ``projects`` lookups to the projects it targets;
    a record in one of the ``ended`` states (or archived) is not open work and is not
    counted."""

    model: type[Model]
    ended: tuple[str, ...]
    units: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
