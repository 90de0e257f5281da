from __future__ import annotations

from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as BasePagination
from rest_framework.request import Request

from opf.core.freshness import counted
from opf.core.limits import max_page_size


class KeysFirstPaginator(Paginator):
    """Reads a page in two steps: the keys of its rows (the filtered, ordered rows
    alone, with only the joins the order needs), then those rows with every relation
    the answer shows. In one query, a list that shows many relations (a finding's
    appraisal, practice, place and their names) joins more tables than PostgreSQL
    reorders (``join_collapse_limit``), and its plan joined every row of the table
    before sorting: 0.6 s for a page of findings at scale 10, against 2 ms for the
    keys. A query more, the same at any size."""

    @cached_property
    def count(self) -> int:
        """The rows' number, kept until the data next changes (``freshness.counted``).
        Keyed by the rows without the relations loaded beside them: a COUNT joins none
        of them, and writing out their columns only to make the key cost milliseconds."""
        if isinstance(self.object_list, QuerySet):
            return counted(self.object_list.select_related(None))
        return len(self.object_list)

    def page(self, number: Any) -> Page:
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.distinct or rows.query.combinator:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(rows.values_list("pk", flat=True)[bottom:top])
        found = {row.pk: row for row in rows.order_by().filter(pk__in=keys)}
        return Page([found[key] for key in keys if key in found], number, self)


class CountedPaginator(KeysFirstPaginator):
    """A paginator told its count (``ObjectViewSet.lean_count``) instead of counting."""

    def __init__(self, *args: Any, known_count: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self) -> int:
        return self.known_count


class PageNumberPagination(BasePagination):
    """Page-number pagination; a ``page_size`` that is not a whole number from 1
    to ``OPF_MAX_PAGE_SIZE`` (``opf.core.limits``, as on list pages) is refused
    (400) rather than silently replaced."""

    page_size_query_param = "page_size"
    django_paginator_class = KeysFirstPaginator

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        limit = max_page_size()
        if not raw.isdigit() or not 1 <= int(raw) <= limit:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)d.") % {"max": limit}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        """As DRF's, with the view's ``lean_count()`` as the count when it has one."""
        count = view.lean_count() if hasattr(view, "lean_count") else None
        if count is None:
            return super().paginate_queryset(queryset, request, view)
        self.django_paginator_class = partial(CountedPaginator, known_count=count)  # type: ignore[assignment]
        try:
            return super().paginate_queryset(queryset, request, view)
        finally:
            del self.django_paginator_class  # back to the class's own
