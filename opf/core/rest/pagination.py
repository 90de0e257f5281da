from __future__ import annotations

from functools import partial
from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as BasePagination
from rest_framework.request import Request

from opf.core.limits import max_page_size


class CountedPaginator(Paginator):
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
            del self.django_paginator_class
