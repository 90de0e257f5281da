from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as BasePagination
from rest_framework.request import Request

from opf.core.limits import max_page_size


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
