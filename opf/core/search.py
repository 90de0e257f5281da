"""The global search: records of every kind by title, code or statement.

How an app makes its records findable
-------------------------------------
Create ``<app>/search.py`` (found through ``opf.core.registry``) with ``KINDS``::

    KINDS = [Searchable(Project, text=("name", "description"), codes=("code",))]

``text`` are the fields a search term is looked for in (title, statement, …);
``codes`` the identifying codes ("OPF SP 1.1", a project's code): a term matches
them too, and a record whose code is the query itself comes first. A field may
follow a relation (``practice__code``: a finding is found by its practice's code);
``select_related`` names what ``str(record)`` and ``detail`` read, so that showing a
result costs no query of its own.

What a search finds
-------------------
Every word of the query must occur (case-insensitively) in one of the kind's fields.
Only what the user may view is searched (``opf.core.permissions.restrict``), archived
records are left out as in the lists, and each kind shows at most ``LIMIT`` records
with the count of all it found: one query per kind the user may view, whatever the
number of rows.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, reduce
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Model, Q, QuerySet, Value, When, Window
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from opf.core.archive import is_archivable
from opf.core.limits import max_search_length, search_too_long
from opf.core.permissions import restrict

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User

NO_NUL = _("Null characters are not allowed.")
LIMIT = 5  # records shown per kind; the count and the list link cover all of them
MAX_WORDS = 8  # further words are ignored: a pasted paragraph is not eight joins


@dataclass(frozen=True)
class Searchable:
    model: type[Model]
    text: tuple[str, ...]
    codes: tuple[str, ...] = ()
    select_related: tuple[str, ...] = ()
    detail: Callable[[Any], str] | None = None  # a short context line (read no relation
    # that ``select_related`` does not name)
    list_query: str = "q"  # the list page's search parameter, for "see all"

    @property
    def slug(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    @property
    def label(self) -> StrOrPromise:
        return self.model._meta.verbose_name_plural or self.model.__name__

    def list_url(self) -> str | None:
        opts = self.model._meta
        try:
            return reverse(f"{opts.app_label}:{opts.model_name}_list")
        except NoReverseMatch:
            return None

    def matching(self, words: list[str], query: str) -> QuerySet:
        fields = self.text + self.codes
        per_word = [
            reduce(operator.or_, (Q(**{f"{f}__icontains": w}) for f in fields)) for w in words
        ]
        queryset = self.model._default_manager.filter(*per_word)
        if is_archivable(self.model):
            queryset = queryset.filter(archived_at__isnull=True)
        exact_code = [When(Q(**{f"{code}__iexact": query}), then=Value(0)) for code in self.codes]
        starts = [When(Q(**{f"{f}__istartswith": query}), then=Value(1)) for f in fields]
        rank = Case(*exact_code, *starts, default=Value(2), output_field=IntegerField())
        return queryset.annotate(_rank=rank).order_by("_rank", "-pk")


@dataclass
class Hit:
    record: Any
    title: str
    url: str
    detail: str


@dataclass
class Group:
    kind: Searchable
    count: int
    hits: list[Hit] = field(default_factory=list)
    list_url: str | None = None

    @property
    def more(self) -> int:
        return self.count - len(self.hits)


@cache
def kinds() -> tuple[Searchable, ...]:
    from opf.core.registry import app_modules

    return tuple(kind for module in app_modules("search") for kind in module.KINDS)


def words_of(query: str) -> list[str]:
    return query.split()[:MAX_WORDS]


def check_query(query: str) -> str:
    """The query, stripped; a ``ValidationError`` if it is too long or holds a NUL
    character (which PostgreSQL text cannot hold: a query would fail)."""
    query = query.strip()
    if "\x00" in query:
        raise ValidationError(NO_NUL, code="null_characters_not_allowed")
    if len(query) > max_search_length():
        raise ValidationError(search_too_long(len(query)), code="max_length")
    return query


def search(user: User | AnonymousUser, query: str, limit: int = LIMIT) -> list[Group]:
    """The kinds with records matching ``query`` that ``user`` may view, in
    ``CONTRIBUTORS`` order, each with its first ``limit`` records and their count."""
    query = check_query(query)
    words = words_of(query)
    if not words:
        return []
    groups = []
    for kind in kinds():
        queryset = restrict(kind.matching(words, query), user, "view")
        if kind.select_related:
            queryset = queryset.select_related(*kind.select_related)
        rows = list(queryset.annotate(_total=Window(Count("pk")))[:limit])
        if not rows:
            continue
        list_url = kind.list_url()
        groups.append(
            Group(
                kind=kind,
                count=rows[0]._total,
                hits=[
                    Hit(
                        record=row,
                        title=str(row),
                        url=row.get_absolute_url(),
                        detail=kind.detail(row) if kind.detail else "",
                    )
                    for row in rows
                ],
                list_url=f"{list_url}?{kind.list_query}=" if list_url else None,
            )
        )
    return groups
